/**
 * The workflow commands over every transport: the two stories of the brief (the speedboat: police
 * then quarantine; the debt petition settled at town level with a lawyer), supervision, statistics,
 * and bad input that must be refused with a typed error and change nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ContractError,
  UNIT_CSV_COLUMNS,
  workflowCommands,
  attachmentCommands,
  type CommandInput,
  type CommandName,
  type CommandOutput,
  type ConsoleClient,
  type Cosign,
  type Unit,
  type UnitDraft,
} from '@shared';
import { TEST_SESSION_HOURS, cosignBy } from './login';
import { openCore, type Core } from '../../electron/core';
import { DRAFT, NOW, expectContractError, nextEvent, type TransportFactory, type TransportHarness } from './suite';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OPERATOR = '值班员 陈海生';
/** Valid resident ID numbers (checksums computed by the national rule). */
const ID_A = '11010519491231002X';
const ID_B = '440402199001011236';
/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** One grid around DRAFT's location: core computes a located incident's grid, whatever the draft says. */
const gridAroundDraft = (code: string) => ({
  crs: 'wgs84' as const,
  geojson: JSON.stringify({
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { code }, geometry: { type: 'Polygon', coordinates: [[[113.8, 22.1], [113.9, 22.1], [113.9, 22.2], [113.8, 22.2], [113.8, 22.1]]] } }],
  }),
});

export function workflowsContractSuite(label: string, factory: TransportFactory): void {
  describe(`the workflow contract over ${label}`, () => {
    let dir: string;
    let clock: number;
    let core: Core;
    let harness: TransportHarness;
    let client: ConsoleClient;
    /** The shift leader's credentials for co-signed acts (四眼原则: unmasking, settings, deleting, closing…). */
    let cosign: Cosign;

    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-workflows-'));
      clock = NOW;
      core = openCore({ dataDir: dir, host: 'node', operator: OPERATOR, version: '0.0.0-test', sessionHours: TEST_SESSION_HOURS, now: () => clock });
      harness = await factory(core);
      client = (await harness.open()).client;
      cosign = await cosignBy(core);
    });

    afterEach(async () => {
      await harness.close();
      core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const unit = (draft: UnitDraft) => client.invoke('units.create', { draft });
    const directory = async () => ({
      police: await unit({ kind: 'police_station', name: '桂山边防派出所', phone: '0756-8830110', radioChannel: '治安 3 频道' }),
      otherPolice: await unit({ kind: 'police_station', name: '万山海岸派出所', phone: '0756-8839110', onDuty: false }),
      site: await unit({ kind: 'quarantine_site', name: '桂山镇集中隔离点', capacity: 3 }),
      small: await unit({ kind: 'quarantine_site', name: '镇卫生院留观点', capacity: 1 }),
      townMediation: await unit({ kind: 'mediation_committee', name: '桂山镇人民调解委员会' }),
      lawyer: await unit({ kind: 'lawyer', name: '林志明律师', phone: '13800138011' }),
    });
    const incident = () => client.invoke('incidents.create', { draft: DRAFT });
    const persons = [
      { name: '嫌疑人甲', idType: 'resident_id' as const, idNumber: ID_A, phone: '13812345678' },
      { name: '嫌疑人乙', idType: 'resident_id' as const, idNumber: ID_B },
    ];

    /** Everything a refused command must leave untouched. */
    const state = async () => ({
      summary: await client.invoke('incidents.summary', {}),
      checked: (await client.invoke('events.verify', {})).checked,
      pending: (await client.invoke('outbox.status', {})).pending,
      units: await client.invoke('units.list', {}),
      board: await client.invoke('quarantine.board', {}),
      supervision: await client.invoke('supervision.list', {}),
    });

    it('every workflow and attachment command answers with exactly its output schema', async () => {
      const covered = { ...workflowCommands, ...attachmentCommands };
      const called = new Set<CommandName>();
      const call = async <N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>> => {
        const value = await client.invoke(name, input);
        expect(value, name).toEqual(covered[name as keyof typeof covered].output.parse(value));
        called.add(name);
        return value;
      };
      const police = await call('units.create', { draft: { kind: 'police_station', name: '桂山边防派出所', phone: '0756-8830110' } });
      const site = await call('units.create', { draft: { kind: 'quarantine_site', name: '隔离点', capacity: 2 } });
      const edited = await call('units.update', { id: police.id, expectedVersion: 1, draft: { kind: 'police_station', name: '桂山边防派出所', radioChannel: '3' } });
      expect(edited).toMatchObject({ version: 2, radioChannel: '3', phone: '' });
      const spare = await call('units.create', { draft: { kind: 'lawyer', name: '待删除' } });
      expect(await call('units.delete', { id: spare.id, expectedVersion: 1, cosign })).toEqual({});
      expect(await call('units.list', { kind: 'police_station' })).toHaveLength(1);
      const exported = await call('units.exportCsv', {});
      expect(exported.csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(UNIT_CSV_COLUMNS.join(','));
      expect(await call('units.importCsv', { csv: `${UNIT_CSV_COLUMNS.join(',')}\nlawyer,黄雅琪律师,13800138012,,,,1,劳动争议\n` })).toEqual({ imported: 1 });
      const settings = await call('workflows.settings', {});
      expect(settings).toMatchObject({ simpleDays: 0, ordinaryDays: 3, hardDays: 7, maxDays: 15, quarantineTermDays: 21, mediationTermDays: 30 });
      expect(await call('workflows.updateSettings', { settings: { ...settings, ordinaryDays: 2 }, cosign })).toMatchObject({ ordinaryDays: 2 });

      const created = await incident();
      const prepared = await call('workflows.prepare', { incidentId: created.id, kind: 'police' });
      expect(prepared.recommendedId).toBe(police.id);
      const escalated = await call('workflows.escalate', { incidentId: created.id, escalation: { kind: 'police', unitId: police.id, ask: '请出警核查' } });
      const stepped = await call('workflows.step', { id: escalated.workflow.id, expectedVersion: 1, step: { action: 'acknowledge', note: '' } });
      const extended = await call('workflows.extendDeadline', { id: stepped.workflow.id, expectedVersion: 2, days: 3, reason: '需调取监控' });
      expect(extended.workflow.deadline).toBeGreaterThan(stepped.workflow.deadline);
      expect(await call('workflows.forIncident', { incidentId: created.id })).toHaveLength(1);
      const q = await call('workflows.escalate', {
        incidentId: created.id,
        escalation: { kind: 'quarantine', unitId: site.id, startDate: '2026-06-01', persons: [persons[0]!] },
      });
      const revealed = await call('workflows.revealPerson', { workflowId: q.workflow.id, personId: q.workflow.quarantine!.persons[0]!.id, cosign });
      expect(revealed.person.idNumber).toBe(ID_A);
      expect((await call('quarantine.board', {})).sites).toHaveLength(1);
      expect(await call('supervision.list', {})).toMatchObject({ now: clock });
      expect(await call('workflows.summary', {})).toEqual({ open: 2, overdue: 0, now: clock });
      expect(await call('supervision.urge', { incidentId: created.id, note: '请尽快反馈' })).toMatchObject({ id: created.id });
      expect(await call('stats.query', { from: '2026-06-01', to: '2026-06-30' })).toMatchObject({ total: { reported: 1 } });
      const photo = await call('attachments.add', { incidentId: created.id, name: '现场.png', mime: 'image/png', dataBase64: PNG });
      expect(photo.attachment).toMatchObject({ name: '现场.png', mime: 'image/png', bytes: 70, actor: OPERATOR });
      expect(await call('attachments.list', { incidentId: created.id })).toEqual([photo.attachment]);
      expect(await call('attachments.get', { id: photo.attachment.id })).toEqual({ attachment: photo.attachment, dataBase64: PNG });
      // The bytes live in the data directory under their SHA-256; a changed file is refused, not shown.
      const file = path.join(dir, 'attachments', photo.attachment.sha256);
      expect(fs.readFileSync(file).toString('base64')).toBe(PNG);
      fs.writeFileSync(file, Buffer.from('not the photo'));
      await expectContractError(client.invoke('attachments.get', { id: photo.attachment.id }), 'conflict');
      fs.rmSync(file);
      await expectContractError(client.invoke('attachments.get', { id: photo.attachment.id }), 'not_found');

      expect([...called].sort()).toEqual(Object.keys(covered).sort());
    });

    it('exports the directory with formula cells escaped (OWASP), and reads its own export back', async () => {
      const name = '=HYPERLINK("http://evil.example","点我")';
      const unit = await client.invoke('units.create', { draft: { kind: 'quarantine_site', name, phone: '+86 138 0013 8000', capacity: 3, note: '@SUM(1+1)' } });
      const { csv } = await client.invoke('units.exportCsv', {});
      const [header, ...lines] = csv.replace(/^\uFEFF/, '').split('\r\n');
      const line = lines.find((l) => l.includes('HYPERLINK'))!;
      expect(line).toBe(`quarantine_site,"'=HYPERLINK(""http://evil.example"",""点我"")",'+86 138 0013 8000,,,3,1,'@SUM(1+1)`);
      // No cell of the file starts a formula.
      expect(csv.split(/[\r\n,]+/).filter((cell) => /^"?[=+\-@]/.test(cell))).toEqual([]);

      await client.invoke('units.delete', { id: unit.id, expectedVersion: unit.version, cosign });
      expect(await client.invoke('units.importCsv', { csv: `${header}\r\n${line}\r\n` })).toEqual({ imported: 1 });
      const [back] = (await client.invoke('units.list', { kind: 'quarantine_site' })).filter((u) => u.name === name);
      expect(back).toMatchObject({ name, phone: '+86 138 0013 8000', capacity: 3, note: '@SUM(1+1)' });
    });

    it('replays the speedboat story: camera → police (arrested 2) → 21 days of quarantine, all on one timeline', async () => {
      const units = await directory();
      const created = await incident();
      expect(created.source).toBe('camera_alarm');

      // The sheet recommends the station on duty and shows its phone and radio channel.
      const prepared = await client.invoke('workflows.prepare', { incidentId: created.id, kind: 'police' });
      expect(prepared.recommendedId).toBe(units.police.id);
      expect(prepared.candidates.find((c) => c.id === units.police.id)).toMatchObject({ phone: '0756-8830110', radioChannel: '治安 3 频道' });

      const changed = nextEvent(client, 'workflow.changed');
      const police = await client.invoke('workflows.escalate', {
        incidentId: created.id,
        escalation: { kind: 'police', unitId: units.police.id, ask: '快艇两人登岸后往企湾方向离开，请出警核查' },
      });
      expect(await changed).toEqual({ workflowId: police.workflow.id, incidentId: created.id, kind: 'police' });
      // Escalating a new incident delegates it to the station (the loop's dispatch step).
      expect(police.incident).toMatchObject({ status: 'dispatched', assignee: { kind: 'unit', name: '桂山边防派出所' } });
      // Simple case: the same day, i.e. midnight in Shanghai (NOW is 10:00 there).
      expect(police.workflow).toMatchObject({ status: 'dispatched', tier: 'simple', deadline: Date.UTC(2026, 5, 1, 16), allowedActions: ['acknowledge', 'arrive'] });

      let version = police.workflow.version;
      const step = async (action: CommandInput<'workflows.step'>['step']) => {
        clock += 4 * 60_000;
        const r = await client.invoke('workflows.step', { id: police.workflow.id, expectedVersion: version, step: action });
        version = r.workflow.version;
        return r.workflow;
      };
      await step({ action: 'acknowledge', note: '' });
      await step({ action: 'arrive', note: '已到企湾' });
      const outcome = await step({ action: 'record_outcome', outcome: { kind: 'arrested', count: 2 }, note: '两人在企湾附近被抓获' });
      expect(outcome.police).toEqual({ acknowledgedAt: NOW + 4 * 60_000, arrivedAt: NOW + 8 * 60_000, outcome: { kind: 'arrested', count: 2 } });
      const closed = await step({ action: 'close', note: '' });
      expect(closed).toMatchObject({ status: 'closed', closedAt: clock, allowedActions: [] });

      // Both to the isolation site for 21 days; the small site cannot take two.
      const before = await state();
      const full = await expectContractError(
        client.invoke('workflows.escalate', { incidentId: created.id, escalation: { kind: 'quarantine', unitId: units.small.id, startDate: '2026-06-01', persons } }),
        'validation',
      );
      expect(full.issues).toEqual([
        { path: 'escalation.unitId', message: 'capacity exceeded: 1 free of 1', reason: 'workflows.capacity', params: { site: '镇卫生院留观点', free: 1, total: 1, count: 2 } },
      ]);
      expect(await state()).toEqual(before);

      const quarantine = await client.invoke('workflows.escalate', {
        incidentId: created.id,
        escalation: { kind: 'quarantine', unitId: units.site.id, startDate: '2026-06-01', persons },
      });
      expect(quarantine.workflow.quarantine!.termDays).toBe(21);
      expect(quarantine.workflow.quarantine!.persons.map((p) => [p.name, p.endDate, p.idNumberMasked, p.phoneMasked])).toEqual([
        ['嫌疑人甲', '2026-06-22', '1101**********002X', '138****5678'],
        ['嫌疑人乙', '2026-06-22', '4404**********1236', ''],
      ]);

      const board = await client.invoke('quarantine.board', {});
      const site = board.sites.find((s) => s.unit.id === units.site.id)!;
      expect(site).toMatchObject({ capacity: 3, occupied: 2 });
      expect(site.persons.map((p) => [p.name, p.incidentCode, p.dayOfTerm, p.dueToday])).toEqual([
        ['嫌疑人乙', created.code, 1, false],
        ['嫌疑人甲', created.code, 1, false],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
      // Nobody's full ID number in a list or on the board.
      expect(JSON.stringify(board)).not.toContain(ID_A);
      expect(JSON.stringify(await client.invoke('workflows.forIncident', { incidentId: created.id }))).not.toContain(ID_A);

      // A daily check, then the full ID seen on the detail: recorded on the timeline.
      const personA = quarantine.workflow.quarantine!.persons[0]!;
      const checked = await client.invoke('workflows.step', {
        id: quarantine.workflow.id,
        expectedVersion: 1,
        step: { action: 'check', personId: personA.id, temperature: 36.6 },
      });
      expect(checked.workflow.quarantine!.persons[0]!.checks).toMatchObject([{ temperature: 36.6, actor: OPERATOR }]);
      const unmasked = state();
      const alone = await expectContractError(client.invoke('workflows.revealPerson', { workflowId: quarantine.workflow.id, personId: personA.id }), 'forbidden');
      expect(alone).toMatchObject({ reason: 'auth.cosign_required', params: { act: 'person.reveal' } });
      expect(await state()).toEqual(await unmasked);
      const revealed = await client.invoke('workflows.revealPerson', { workflowId: quarantine.workflow.id, personId: personA.id, cosign });
      expect(revealed.person).toMatchObject({ idNumber: ID_A, phone: '13812345678' });

      // Early release needs a reason and a co-signer; on the end date it needs neither; the last release closes the workflow.
      const early = await expectContractError(
        client.invoke('workflows.step', { id: quarantine.workflow.id, expectedVersion: 2, step: { action: 'release', personId: personA.id } }),
        'validation',
      );
      expect(early.issues[0]).toMatchObject({ path: 'step.reason' });
      const beforeEarly = await state();
      const unsigned = await expectContractError(
        client.invoke('workflows.step', { id: quarantine.workflow.id, expectedVersion: 2, step: { action: 'release', personId: personA.id, reason: '核酸阴性' } }),
        'forbidden',
      );
      expect(unsigned).toMatchObject({ reason: 'auth.cosign_required', params: { act: 'quarantine.early_release' } });
      expect(await state()).toEqual(beforeEarly);
      clock = Date.UTC(2026, 5, 22, 1); // 22 June, 09:00 in Shanghai
      expect((await client.invoke('quarantine.board', {})).sites[0]!.persons.every((p) => p.dueToday)).toBe(true);
      let qv = 2;
      for (const person of quarantine.workflow.quarantine!.persons) {
        const r = await client.invoke('workflows.step', { id: quarantine.workflow.id, expectedVersion: qv, step: { action: 'release', personId: person.id } });
        qv = r.workflow.version;
      }
      const done = (await client.invoke('workflows.forIncident', { incidentId: created.id }))[1]!;
      expect(done).toMatchObject({ status: 'closed', allowedActions: [] });
      expect((await client.invoke('quarantine.board', {})).sites[0]!.occupied).toBe(0);

      const { timeline } = await client.invoke('incidents.get', { id: created.id });
      expect(timeline.map((e) => [e.type, e.payload.action ?? e.payload.kind ?? null])).toEqual([
        ['created', 'camera_alarm'.length ? null : null],
        ['dispatched', 'dispatch'],
        ['workflow_started', 'police'],
        ['workflow_step', 'acknowledge'],
        ['workflow_step', 'arrive'],
        ['workflow_step', 'record_outcome'],
        ['workflow_step', 'close'],
        ['workflow_started', 'quarantine'],
        ['workflow_step', 'check'],
        ['personal_data_viewed', 'quarantine'],
        ['workflow_step', 'release'],
        ['workflow_step', 'release'],
      ]);
      expect(timeline.find((e) => e.type === 'personal_data_viewed')).toMatchObject({ actor: OPERATOR, payload: { name: '嫌疑人甲' } });
      // The log carries masked numbers only.
      expect(JSON.stringify(timeline)).not.toContain(ID_A);
      expect(await client.invoke('events.verify', {})).toMatchObject({ ok: true, checked: 12 });
    });

    it('settles the debt petition at town level with a lawyer present', async () => {
      const units = await directory();
      await client.invoke('grids.import', gridAroundDraft('GS-G01'));
      const created = await client.invoke('incidents.create', {
        draft: { ...DRAFT, category: 'petition', source: 'walk_in_petition', title: '三方食堂欠款13万元信访' },
      });
      const m = await client.invoke('workflows.escalate', {
        incidentId: created.id,
        escalation: {
          kind: 'mediation',
          unitId: units.townMediation.id,
          ask: '组织三方调解',
          level: 'town',
          disputeType: 'debt',
          amountInDispute: 130_000,
          visitorCount: 3,
          lawyerId: units.lawyer.id,
          parties: [
            { name: '食堂承包人', role: 'applicant', phone: '13912345678' },
            { name: '供货商', role: 'respondent' },
            { name: '工程公司', role: 'third_party' },
          ],
        },
      });
      expect(m.workflow).toMatchObject({ status: 'open', deadline: Date.UTC(2026, 6, 1, 16), mediation: { level: 'town', lawyer: { name: '林志明律师' }, amountInDispute: 130_000 } });
      expect(m.workflow.mediation!.parties[0]!.phoneMasked).toBe('139****5678');

      // A session that ends before it starts is refused on its field and changes nothing.
      const before = await state();
      const bad = await expectContractError(
        client.invoke('workflows.step', {
          id: m.workflow.id,
          expectedVersion: 1,
          step: { action: 'add_session', session: { startAt: NOW + HOUR, endAt: NOW, room: '调解室' } },
        }),
        'validation',
      );
      expect(bad.issues.map((i) => i.path)).toEqual(['step.session.endAt']);
      expect(await state()).toEqual(before);

      let version = 1;
      const step = async (s: CommandInput<'workflows.step'>['step']) => {
        const r = await client.invoke('workflows.step', { id: m.workflow.id, expectedVersion: version, step: s });
        version = r.workflow.version;
        return r.workflow;
      };
      await step({ action: 'add_session', session: { startAt: NOW + HOUR, endAt: NOW + 3 * HOUR, room: '镇综治中心矛盾纠纷调解室', attendees: ['林志明律师', '调解员 何丽'], minutes: '三方同意分期偿还' } });
      const agreed = await step({ action: 'record_agreement', amountSettled: 130_000, terms: '分三期于三个月内付清' });
      expect(agreed).toMatchObject({ status: 'agreed', mediation: { agreement: { amountSettled: 130_000 }, sessions: [{ room: '镇综治中心矛盾纠纷调解室' }] } });
      // Escalating an agreed case is not a legal step.
      const illegal = await expectContractError(client.invoke('workflows.step', { id: m.workflow.id, expectedVersion: version, step: { action: 'escalate', reason: 'x' } }), 'conflict');
      expect(illegal.allowed).toEqual(['follow_up']);
      clock += 7 * DAY;
      const closed = await step({ action: 'follow_up', note: '回访：首期已付' });
      expect(closed).toMatchObject({ status: 'closed' });

      // The incident runs its loop to the end; the figures count it.
      let inc = (await client.invoke('incidents.get', { id: created.id })).incident;
      for (const transition of [{ action: 'start' }, { action: 'submit_feedback', result: '调解成功' }, { action: 'close' }] as const) {
        inc = await client.invoke('incidents.transition', { id: created.id, expectedVersion: inc.version, transition, cosign: transition.action === 'close' ? cosign : undefined });
      }
      const figures = await client.invoke('stats.query', { from: '2026-06-01', to: '2026-06-30' });
      expect(figures.total).toEqual({ key: '', reported: 1, completed: 1, completionRate: 1, avgCloseMs: 7 * DAY });
      expect(figures.byGrid).toEqual([{ key: 'GS-G01', reported: 1, completed: 1, completionRate: 1, avgCloseMs: 7 * DAY }]);
      expect(figures.byCategory.map((r) => r.key)).toEqual(['petition']);
      expect(figures.byUnit).toEqual([{ key: '桂山镇人民调解委员会', reported: 1, completed: 1, completionRate: 1, avgCloseMs: 7 * DAY }]);
      expect((await client.invoke('stats.query', { from: '2026-07-01', to: '2026-07-31' })).total.reported).toBe(0);
    });

    it('escalates mediation one level at a time with a reason, and never past the city', async () => {
      const units = await directory();
      const created = await incident();
      // At county level the case leaves the island: starting there, or going up there, is co-signed.
      const escalation = { kind: 'mediation', unitId: units.townMediation.id, ask: '调解', level: 'county', disputeType: 'land' } as const;
      const before = await state();
      const alone = await expectContractError(client.invoke('workflows.escalate', { incidentId: created.id, escalation }), 'forbidden');
      expect(alone).toMatchObject({ reason: 'auth.cosign_required', params: { act: 'mediation.county' } });
      expect(await state()).toEqual(before);
      const m = await client.invoke('workflows.escalate', { incidentId: created.id, escalation, cosign });
      const failed = await client.invoke('workflows.step', { id: m.workflow.id, expectedVersion: 1, step: { action: 'record_failure', reason: '双方分歧大' } });
      const beforeUp = await state();
      const unsigned = await expectContractError(
        client.invoke('workflows.step', { id: m.workflow.id, expectedVersion: failed.workflow.version, step: { action: 'escalate', reason: '县级无法调解' } }),
        'forbidden',
      );
      expect(unsigned).toMatchObject({ reason: 'auth.cosign_required', params: { act: 'mediation.county' } });
      expect(await state()).toEqual(beforeUp);
      const up = await client.invoke('workflows.step', { id: m.workflow.id, expectedVersion: failed.workflow.version, step: { action: 'escalate', reason: '县级无法调解' }, cosign });
      expect(up.incident.version).toBeGreaterThan(failed.incident.version);
      const { timeline } = await client.invoke('incidents.get', { id: created.id });
      expect(timeline.at(-1)).toMatchObject({ type: 'workflow_step', payload: { action: 'escalate', toLevel: 'city' }, cosigner: { name: '测试 shift_leader', roles: ['shift_leader'] } });
      expect(up.workflow).toMatchObject({ status: 'open', mediation: { level: 'city' } });
      const top = await expectContractError(
        client.invoke('workflows.step', { id: m.workflow.id, expectedVersion: up.workflow.version, step: { action: 'escalate', reason: '再上报' } }),
        'conflict',
      );
      expect(top.message).toContain('city level');
      const noReason = await expectContractError(
        client.invoke('workflows.step', { id: m.workflow.id, expectedVersion: up.workflow.version, step: { action: 'escalate', reason: ' ' } }),
        'validation',
      );
      expect(noReason.issues.map((i) => i.path)).toEqual(['step.reason']);
    });

    it('refuses bad input with a typed error and changes nothing', async () => {
      const units = await directory();
      const created = await incident();
      const police = await client.invoke('workflows.escalate', { incidentId: created.id, escalation: { kind: 'police', unitId: units.police.id, ask: '出警' } });
      const before = await state();

      // Malformed resident ID (wrong check digit), on the person's field.
      const badId = await expectContractError(
        client.invoke('workflows.escalate', {
          incidentId: created.id,
          escalation: { kind: 'quarantine', unitId: units.site.id, startDate: '2026-06-01', persons: [{ name: '甲', idType: 'resident_id', idNumber: '110105194912310021' }] },
        }),
        'validation',
      );
      expect(badId.issues).toEqual([{ path: 'escalation.persons.0.idNumber', message: expect.stringContaining('check digit'), reason: 'workflows.id_checksum' }]);

      // End date before the start date.
      const endBeforeStart = await expectContractError(
        client.invoke('workflows.escalate', {
          incidentId: created.id,
          escalation: { kind: 'quarantine', unitId: units.site.id, startDate: '2026-06-10', endDate: '2026-06-01', persons: [persons[1]!] },
        }),
        'validation',
      );
      expect(endBeforeStart.issues.map((i) => i.path)).toEqual(['escalation.endDate']);

      // Capacity exceeded (3 places, 4 people).
      const four = [...persons, { name: '丙', idType: 'passport' as const, idNumber: 'E1' }, { name: '丁', idType: 'passport' as const, idNumber: 'E2' }];
      await expectContractError(
        client.invoke('workflows.escalate', { incidentId: created.id, escalation: { kind: 'quarantine', unitId: units.site.id, startDate: '2026-06-01', persons: four } }),
        'validation',
      );

      // Illegal transition: outcome before arriving; a mediation step on a police workflow.
      const illegal = await expectContractError(
        client.invoke('workflows.step', { id: police.workflow.id, expectedVersion: 1, step: { action: 'record_outcome', outcome: { kind: 'dispersed' } } }),
        'conflict',
      );
      expect(illegal.allowed).toEqual(['acknowledge', 'arrive']);
      await expectContractError(client.invoke('workflows.step', { id: police.workflow.id, expectedVersion: 1, step: { action: 'follow_up', note: 'x' } }), 'conflict');
      // A stale version, a unit of the wrong kind, an unknown incident.
      await expectContractError(client.invoke('workflows.step', { id: police.workflow.id, expectedVersion: 9, step: { action: 'acknowledge' } }), 'conflict');
      const wrongKind = await expectContractError(
        client.invoke('workflows.escalate', { incidentId: created.id, escalation: { kind: 'police', unitId: units.lawyer.id, ask: 'x' } }),
        'validation',
      );
      expect(wrongKind.issues.map((i) => i.path)).toEqual(['escalation.unitId']);
      await expectContractError(
        client.invoke('workflows.escalate', { incidentId: '0196a000-0000-7000-8000-000000000000', escalation: { kind: 'police', unitId: units.police.id, ask: 'x' } }),
        'not_found',
      );
      // An extension past 7 days without an approver co-signing, and past 15 with one.
      const approver = await expectContractError(client.invoke('workflows.extendDeadline', { id: police.workflow.id, expectedVersion: 1, days: 10, reason: '复杂' }), 'forbidden');
      expect(approver).toMatchObject({ reason: 'auth.cosign_required', params: { act: 'deadline.beyond_hard' } });
      await expectContractError(client.invoke('workflows.extendDeadline', { id: police.workflow.id, expectedVersion: 1, days: 16, reason: '复杂', cosign }), 'validation');

      // A unit without a capacity for a site, a duplicate name, a phone that is not one.
      const noCapacity = await expectContractError(client.invoke('units.create', { draft: { kind: 'quarantine_site', name: '新隔离点' } }), 'validation');
      expect(noCapacity.issues.map((i) => i.path)).toEqual(['draft.capacity']);
      const duplicate = await expectContractError(client.invoke('units.create', { draft: { kind: 'police_station', name: '桂山边防派出所' } }), 'validation');
      expect(duplicate.issues.map((i) => i.path)).toEqual(['draft.name']);
      await expectContractError(client.invoke('units.create', { draft: { kind: 'lawyer', name: '某', phone: 'call me' } }), 'validation');
      // A site's capacity below the people there now is refused.
      await expectContractError(client.invoke('units.delete', { id: units.police.id, expectedVersion: 1, cosign }), 'conflict');

      // CSV with broken rows: every problem by line and column, nothing imported.
      const csv = [
        UNIT_CSV_COLUMNS.join(','),
        'lawyer,新律师,13800000000,,,,1,',
        'spaceship,飞船,,,,,1,',
        'quarantine_site,新隔离点,,,,,1,',
        'police_station,桂山边防派出所,,,,,1,',
        'lawyer,缺列',
        'counsellor,心理咨询师,,,,,maybe,',
      ].join('\n');
      const broken = await expectContractError(client.invoke('units.importCsv', { csv }), 'validation');
      expect(broken.message).toContain('5 of 6 rows have errors; nothing was imported');
      expect(broken.issues.map((i) => i.path)).toEqual(['csv.3.kind', 'csv.4.capacity', 'csv.5.name', 'csv.6', 'csv.7.on_duty']);
      await expectContractError(client.invoke('units.importCsv', { csv: 'name,phone\n甲,1\n' }), 'validation');
      await expectContractError(client.invoke('units.importCsv', { csv: `${UNIT_CSV_COLUMNS.join(',')}\n"unclosed,quote` }), 'validation');

      // A file that is not what its type says, and one that is not base64.
      const renamed = await expectContractError(
        client.invoke('attachments.add', { incidentId: created.id, name: 'x.jpg', mime: 'image/jpeg', dataBase64: PNG }),
        'validation',
      );
      expect(renamed.issues.map((i) => i.path)).toEqual(['mime']);
      await expectContractError(client.invoke('attachments.add', { incidentId: created.id, name: 'x.png', mime: 'image/png', dataBase64: '%%%%' }), 'validation');
      expect(await client.invoke('attachments.list', { incidentId: created.id })).toEqual([]);
      expect(fs.existsSync(path.join(dir, 'attachments'))).toBe(false);

      // Statistics for a period that ends before it starts.
      const period = await expectContractError(client.invoke('stats.query', { from: '2026-06-30', to: '2026-06-01' }), 'validation');
      expect(period.issues.map((i) => i.path)).toEqual(['to']);

      expect(await state()).toEqual(before);
    });

    it('lists what is overdue and due soon by unit and grid; urging is on the timeline', async () => {
      const units = await directory();
      await client.invoke('grids.import', gridAroundDraft('GS-G05'));
      const created = await client.invoke('incidents.create', { draft: DRAFT });
      const police = await client.invoke('workflows.escalate', { incidentId: created.id, escalation: { kind: 'police', unitId: units.police.id, ask: '出警' } });
      let list = await client.invoke('supervision.list', {});
      // Police: end of today (14 h away): due soon. The incident: 24 h from recording: due soon too.
      expect(list.items.map((i) => [i.type, i.state])).toEqual([
        ['workflow', 'due_soon'],
        ['incident', 'due_soon'],
      ]);
      clock = Date.UTC(2026, 5, 1, 17); // 01:00 the next day in Shanghai
      list = await client.invoke('supervision.list', {});
      expect(list.items.find((i) => i.type === 'workflow')).toMatchObject({ state: 'overdue', unitName: '桂山边防派出所', gridId: 'GS-G05', workflowId: police.workflow.id });
      expect(list.byUnit).toEqual([{ key: '桂山边防派出所', overdue: 1, dueSoon: 1 }]);
      expect(list.byGrid).toEqual([{ key: 'GS-G05', overdue: 1, dueSoon: 1 }]);
      expect(await client.invoke('workflows.summary', {})).toEqual({ open: 1, overdue: 1, now: clock });

      const urged = await client.invoke('supervision.urge', { incidentId: created.id, workflowId: police.workflow.id, note: '已超时，请立即反馈' });
      const { timeline } = await client.invoke('incidents.get', { id: created.id });
      expect(timeline.at(-1)).toMatchObject({ type: 'supervision_urged', payload: { note: '已超时，请立即反馈', unitName: '桂山边防派出所', kind: 'police' } });
      expect(urged.version).toBe(timeline.length);
      const other = await incident();
      await expectContractError(client.invoke('supervision.urge', { incidentId: other.id, workflowId: police.workflow.id }), 'validation');
    });

    it('answers a bad command input before any handler runs', async () => {
      const error = await client.invoke('workflows.escalate', { incidentId: 'nope', escalation: { kind: 'police' } } as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContractError);
      expect((error as ContractError).issues.map((i) => i.path)).toEqual(expect.arrayContaining(['incidentId', 'escalation.unitId', 'escalation.ask']));
      const units: Unit[] = await client.invoke('units.list', {});
      expect(units).toEqual([]);
    });
  });
}
