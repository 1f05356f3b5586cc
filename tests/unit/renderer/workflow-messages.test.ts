import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { ContractError, Escalation, WorkflowSettings, DEFAULT_WORKFLOW_SETTINGS } from '@shared';
import { RESOURCES } from '../../../renderer/src/i18n/resources';
import { serverPathErrors, translateWorkflowMessage, zodPathErrors } from '../../../renderer/src/features/workflows/messages';

async function translator(lng: 'zh-CN' | 'en') {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng,
    resources: { 'zh-CN': { translation: RESOURCES['zh-CN'] }, en: { translation: RESOURCES.en } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  return i18n.t;
}

describe('workflow messages in the operator’s language', () => {
  it('translate the core’s and the schemas’ words, with their figures', async () => {
    const zh = await translator('zh-CN');
    const en = await translator('en');
    expect(translateWorkflowMessage('capacity exceeded: 1 free of 4', zh)).toBe('超出容量：空余 1 / 共 4');
    expect(translateWorkflowMessage('the check digit of the ID number does not match (mistyped digit?)', zh)).toBe('身份证号校验位不符（可能输错一位）');
    expect(translateWorkflowMessage('more than 7 days needs an approver', en)).toBe('More than 7 days needs an approver');
    expect(translateWorkflowMessage('must not be shorter than ordinaryDays', zh)).toBe('不得短于“一般案件（日）”');
    expect(translateWorkflowMessage('already in quarantine (GS-2026-000001)', zh)).toBe('此人已在隔离中（GS-2026-000001）');
    expect(translateWorkflowMessage('required', zh)).toBe('必填');
    expect(translateWorkflowMessage('something new', zh)).toBe('something new');
  });

  it('map field paths of a schema error and of a core error onto the form', async () => {
    const zh = await translator('zh-CN');
    const parsed = Escalation.safeParse({
      kind: 'quarantine',
      unitId: '0196a000-0000-7000-8000-000000000001',
      startDate: '2026-06-10',
      endDate: '2026-06-01',
      persons: [{ name: '甲', idType: 'resident_id', idNumber: '110105194912310021' }],
    });
    expect(zodPathErrors(parsed.error!, zh).fields).toEqual({
      'persons.0.idNumber': '身份证号校验位不符（可能输错一位）',
      endDate: '解除日期必须晚于开始日期',
    });
    const settings = WorkflowSettings.safeParse({ ...DEFAULT_WORKFLOW_SETTINGS, hardDays: 1 });
    expect(zodPathErrors(settings.error!, zh).fields).toEqual({ hardDays: '不得短于“一般案件（日）”' });

    const core = ContractError.validation('x', [
      { path: 'escalation.unitId', message: 'capacity exceeded: 0 free of 4' },
      { path: 'escalation', message: 'whole input' },
    ]);
    expect(serverPathErrors(core, 'escalation', zh)).toEqual({ fields: { unitId: '超出容量：空余 0 / 共 4' }, other: ['whole input'] });
    expect(serverPathErrors(ContractError.conflict('no'), 'escalation', zh)).toBeNull();
  });
});
