import { describe, expect, it } from 'vitest';
import { ContractError, Escalation, WorkflowSettings, DEFAULT_WORKFLOW_SETTINGS } from '@shared';
import { serverPathErrors, zodPathErrors } from '../../../renderer/src/features/workflows/messages';
import { issueMessage } from '../../../renderer/src/app/errors';
import { translator } from '../../support/translator';

describe('workflow messages in the operator’s language', () => {
  it('translate the core’s and the schemas’ reasons, with their figures', async () => {
    const zh = await translator('zh-CN');
    const en = await translator('en');
    expect(issueMessage({ reason: 'workflows.capacity', params: { free: 1, total: 4 } }, zh)).toBe('超出容量：空余 1 / 共 4');
    expect(issueMessage({ reason: 'workflows.id_checksum' }, zh)).toBe('身份证号校验位不符（可能输错一位）');
    expect(issueMessage({ reason: 'auth.cosign_required', params: { act: 'deadline.beyond_hard' } }, en)).toBe(
      'A term past the hard-case term needs a second person (shift leader or town leader) to confirm here with their own staff number and password (four eyes).',
    );
    expect(issueMessage({ reason: 'auth.cosign_forbidden', params: { name: '黄志强', roles: 'analyst' } }, zh)).toBe('黄志强（研判员）无权复核，复核人须为带班领导或镇领导。');
    expect(issueMessage({ reason: 'workflows.already_in_quarantine', params: { code: 'GS-2026-000001' } }, zh)).toBe('此人已在隔离中（GS-2026-000001）');
    expect(issueMessage({ reason: 'workflows.shorter', params: { field: 'ordinaryDays' } }, zh)).toBe('不得短于“一般案件（日）”');
    expect(issueMessage({ reason: 'validation.required' }, zh)).toBe('必填');
  });

  it('map field paths of a schema error and of a core error onto the form', async () => {
    const zh = await translator('zh-CN');
    const input = {
      kind: 'quarantine',
      unitId: '0196a000-0000-7000-8000-000000000001',
      startDate: '2026-06-10',
      endDate: '2026-06-01',
      persons: [{ name: '甲', idType: 'resident_id', idNumber: '110105194912310021' }],
    };
    const parsed = Escalation.safeParse(input);
    expect(zodPathErrors(parsed.error!, zh, input).fields).toEqual({
      'persons.0.idNumber': '身份证号校验位不符（可能输错一位）',
      endDate: '结束时间必须晚于开始时间',
    });
    const settings = WorkflowSettings.safeParse({ ...DEFAULT_WORKFLOW_SETTINGS, hardDays: 1 });
    expect(zodPathErrors(settings.error!, zh).fields).toEqual({ hardDays: '不得短于“一般案件（日）”' });

    const core = ContractError.validation('x', [
      { path: 'escalation.unitId', message: 'capacity exceeded: 0 free of 4', reason: 'workflows.capacity', params: { free: 0, total: 4 } },
      { path: 'escalation', message: 'whole input', reason: 'workflows.term_or_end' },
    ]);
    expect(serverPathErrors(core, 'escalation', zh)).toEqual({ fields: { unitId: '超出容量：空余 0 / 共 4' }, other: ['期限天数与解除日期只能填一项'] });
    expect(serverPathErrors(ContractError.conflict('no'), 'escalation', zh)).toBeNull();
  });
});
