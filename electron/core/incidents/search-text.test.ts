import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands, type IncidentDraft, type IncidentFilter } from '@shared';
import { DATABASE_FILE, openDatabase, type Db } from '../store/database';
import { IncidentStore } from './incident-store';
import { searchBody, searchQuery } from './search-text';

describe('searchBody', () => {
  it('indexes a Han run as overlapping bigrams plus its last character', () => {
    expect(searchBody('可疑快艇高速靠岸')).toBe('可疑 疑快 快艇 艇高 高速 速靠 靠岸 岸');
    expect(searchBody('岸')).toBe('岸');
  });

  it('keeps Latin letters and digits as lower-case words and drops punctuation', () => {
    expect(searchBody('GS-2026-000123')).toBe('gs 2026 000123');
    expect(searchBody('WiFi 断网！')).toBe('wifi 断网 网');
  });

  it('splits Han characters from adjoining digits and letters', () => {
    expect(searchBody('欠款13万元')).toBe('欠款 款 13 万元 元');
    expect(searchBody('3号楼LED灯')).toBe('3 号楼 楼 led 灯');
  });

  it('joins all parts', () => {
    expect(searchBody('GS-2026-000001', '标题', '描述 text')).toBe('gs 2026 000001 标题 题 描述 述 text');
  });
});

describe('searchQuery', () => {
  it('makes a phrase of bigrams from 2+ Han characters', () => {
    expect(searchQuery('快艇')).toBe('"快艇"');
    expect(searchQuery('快艇高速')).toBe('"快艇 艇高 高速"');
  });

  it('makes a prefix query of a single character and of words', () => {
    expect(searchQuery('艇')).toBe('"艇"*');
    expect(searchQuery('WiFi')).toBe('"wifi"*');
    expect(searchQuery('000123')).toBe('"000123"*');
  });

  it('ANDs the groups', () => {
    expect(searchQuery('快艇 码头')).toBe('"快艇" AND "码头"');
    expect(searchQuery('GS-2026-000123')).toBe('"gs"* AND "2026"* AND "000123"*');
    expect(searchQuery('13万元')).toBe('"13"* AND "万元"');
  });

  it('returns null for text with nothing searchable', () => {
    for (const text of ['', '   ', '，。！？', '"*-()', '🚤']) expect(searchQuery(text), text).toBeNull();
  });

  it('never lets FTS syntax through: groups hold only letters and digits', () => {
    const query = searchQuery('"快艇" OR title:* NEAR(a b) -c ^d')!;
    expect(query).toBe('"快艇" AND "or"* AND "title"* AND "near"* AND "a"* AND "b"* AND "c"* AND "d"*');
  });
});

describe('full-text search through the store', () => {
  const NOW = Date.UTC(2026, 5, 1, 2, 0, 0);
  let dir: string;
  let db: Db;
  let store: IncidentStore;

  const draft = (title: string, description = ''): IncidentDraft => ({
    category: 'other',
    title,
    description,
    source: 'phone',
    priority: 4,
    occurredAt: NOW - 3_600_000,
  });
  const create = (title: string, description?: string) =>
    store.create(commands['incidents.create'].input.parse({ draft: draft(title, description) }).draft, 'tester').incident;
  const filter = (f: IncidentFilter) => commands['incidents.list'].input.parse({ filter: f }).filter;
  const search = (text: string) => store.list(filter({ text }), 0, 500).rows.map((r) => r.title);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-search-'));
    db = openDatabase(path.join(dir, DATABASE_FILE));
    store = new IncidentStore(db, { codePrefix: 'GS', now: () => NOW });
    create('桂山码头发现可疑快艇高速靠岸', '视频监控室值班员发现可疑情况，已截图留存。');
    create('企湾渔船异常靠泊，疑似走私', '建议联合海警核查。');
    create('食堂承包欠款13万元，三方来访');
    create('Guishan WiFi 基站断网', '通信 outage reported by GRID worker');
    // The next code is GS-2026-000123.
    db.prepare("UPDATE code_counters SET last = 122 WHERE prefix = 'GS' AND year = 2026").run();
    create('海滨栈道护栏松动存在坠落隐患');
    create('Smith AND Wesson near the pier');
  });

  afterAll(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds a 2-character word in the middle of a title', () => {
    expect(search('快艇')).toEqual(['桂山码头发现可疑快艇高速靠岸']);
  });

  it('finds a 4-character phrase, and not its characters out of order', () => {
    expect(search('快艇高速')).toEqual(['桂山码头发现可疑快艇高速靠岸']);
    expect(search('高速快艇')).toEqual([]);
  });

  it('finds a single character, also the last of a run', () => {
    expect(search('艇')).toEqual(['桂山码头发现可疑快艇高速靠岸']);
    expect(search('岸')).toEqual(['桂山码头发现可疑快艇高速靠岸']);
    expect(search('泊')).toEqual(['企湾渔船异常靠泊，疑似走私']);
  });

  it('finds words at the start and end of a run', () => {
    expect(search('桂山')).toEqual(['桂山码头发现可疑快艇高速靠岸']);
    expect(search('靠岸')).toEqual(['桂山码头发现可疑快艇高速靠岸']);
    expect(search('走私')).toEqual(['企湾渔船异常靠泊，疑似走私']);
  });

  it('finds Han words next to digits', () => {
    expect(search('万元')).toEqual(['食堂承包欠款13万元，三方来访']);
    expect(search('13万元')).toEqual(['食堂承包欠款13万元，三方来访']);
  });

  it('matches the description', () => {
    expect(search('截图留存')).toEqual(['桂山码头发现可疑快艇高速靠岸']);
    expect(search('海警')).toEqual(['企湾渔船异常靠泊，疑似走私']);
  });

  it('matches code fragments', () => {
    expect(search('000123')).toEqual(['海滨栈道护栏松动存在坠落隐患']);
    expect(search('GS-2026-000123')).toEqual(['海滨栈道护栏松动存在坠落隐患']);
    expect(search('gs-2026-000123')).toEqual(['海滨栈道护栏松动存在坠落隐患']);
    expect(search('GS-2026-000002')).toEqual(['企湾渔船异常靠泊，疑似走私']);
    expect(search('2026')).toHaveLength(store.count());
  });

  it('is case-insensitive for Latin text and matches word prefixes', () => {
    expect(search('wifi')).toEqual(['Guishan WiFi 基站断网']);
    expect(search('WIFI')).toEqual(['Guishan WiFi 基站断网']);
    expect(search('grid')).toEqual(['Guishan WiFi 基站断网']);
    expect(search('outa')).toEqual(['Guishan WiFi 基站断网']);
  });

  it('ANDs the words of a mixed query', () => {
    expect(search('快艇 码头')).toEqual(['桂山码头发现可疑快艇高速靠岸']);
    expect(search('wifi 断网')).toEqual(['Guishan WiFi 基站断网']);
    expect(search('快艇 走私')).toEqual([]);
  });

  it('returns nothing when nothing matches', () => {
    expect(search('台风')).toEqual([]);
    expect(search('zzz')).toEqual([]);
  });

  it('returns nothing (not an error) for a punctuation-only query', () => {
    expect(store.list(filter({ text: '，。！？——……' }), 0, 50)).toEqual({ total: 0, rows: [], now: NOW });
  });

  it.each(['"', '""', '"快艇', '快艇"', '*', '快艇*', '*艇', 'AND', 'OR', 'NOT 快艇', 'NEAR(', 'NEAR(快艇 码头, 2)', '-', '-快艇', '快艇 -码头', '^快艇', 'title:快艇', '(', ')', '{body}', "'; DROP TABLE incidents; --", '\\'])(
    'never throws on %j',
    (text) => {
      expect(() => store.list(filter({ text }), 0, 50)).not.toThrow();
    },
  );

  it('treats operator words as plain words', () => {
    expect(search('AND')).toEqual(['Smith AND Wesson near the pier']);
    expect(search('NEAR(')).toEqual(['Smith AND Wesson near the pier']);
    expect(search('"快艇"')).toEqual(['桂山码头发现可疑快艇高速靠岸']);
  });

  it('follows title and description edits', () => {
    const incident = create('镇政府广场路灯不亮', '群众来电反映');
    expect(search('路灯')).toEqual(['镇政府广场路灯不亮']);
    const patch = commands['incidents.update'].input.parse({
      id: incident.id,
      expectedVersion: 1,
      patch: { title: '镇政府广场公共厕所无水' },
    }).patch;
    store.update(incident.id, 1, patch, 'tester');
    expect(search('路灯')).toEqual([]);
    expect(search('厕所')).toEqual(['镇政府广场公共厕所无水']);
    expect(search('来电')).toEqual(['镇政府广场公共厕所无水']);
    expect(search(incident.code)).toEqual(['镇政府广场公共厕所无水']);
    const described = commands['incidents.update'].input.parse({ id: incident.id, expectedVersion: 2, patch: { description: '已联系水务' } }).patch;
    store.update(incident.id, 2, described, 'tester');
    expect(search('来电')).toEqual([]);
    expect(search('水务')).toEqual(['镇政府广场公共厕所无水']);
    // The index holds exactly one entry per incident.
    expect(db.prepare('SELECT count(*) AS n FROM incident_search').get()).toEqual({ n: store.count() });
  });

  it('is not changed by edits of other fields', () => {
    const incident = create('牛头岛流浪犬伤人隐患');
    const patch = commands['incidents.update'].input.parse({ id: incident.id, expectedVersion: 1, patch: { priority: 2 } }).patch;
    store.update(incident.id, 1, patch, 'tester');
    expect(search('流浪犬')).toEqual(['牛头岛流浪犬伤人隐患']);
  });
});
