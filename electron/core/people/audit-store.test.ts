import { describe, expect, it } from 'vitest';
import { csvCell } from './audit-store';

describe('csvCell', () => {
  it('escapes cells a spreadsheet would run as a formula (OWASP), and quotes as CSV needs', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('陈海生')).toBe('陈海生');
    expect(csvCell(null)).toBe('');
    expect(csvCell(3)).toBe('3');
  });
});
