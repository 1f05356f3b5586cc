import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { ContractError, IncidentDraft } from '@shared';
import { RESOURCES } from '../../../renderer/src/i18n/resources';

const { 'zh-CN': zhCN, en } = RESOURCES;
import { serverFieldErrors, translateMessage, zodFieldErrors } from '../../../renderer/src/features/incidents/common/issues';

async function translator(lng: 'zh-CN' | 'en') {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng,
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  return i18n.t;
}

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)));

describe('renderer messages', () => {
  it('has the same keys in Chinese and English, feature bundles included', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it('translates the contract’s validation messages', async () => {
    const zh = await translator('zh-CN');
    expect(translateMessage('required', zh)).toBe('必填');
    expect(translateMessage('at most 200 characters', zh)).toBe('最多 200 个字符');
    expect(translateMessage('in the future', zh)).toBe('不能晚于当前时间');
    expect(translateMessage('Too small: expected number to be >=-180', zh)).toBe('不能小于 -180');
    expect(translateMessage('something nobody anticipated', zh)).toBe('something nobody anticipated');
    const enT = await translator('en');
    expect(translateMessage('required', enT)).toBe('Required');
  });

  it('maps client-side zod issues of a draft to form fields', async () => {
    const zh = await translator('zh-CN');
    const parsed = IncidentDraft.safeParse({
      category: '',
      title: '  ',
      source: 'phone',
      priority: 3,
      occurredAt: Date.now(),
      location: { lon: 200, lat: 22 },
    });
    expect(parsed.success).toBe(false);
    const fieldOf = (path: string) => (path.startsWith('location.') ? path.slice(9) : path);
    const { fields } = zodFieldErrors(parsed.error!, fieldOf, zh);
    expect(fields).toMatchObject({ category: '必填', title: '必填', lon: '不能大于 180' });
  });

  it('maps server validation issues by path without the command prefix', async () => {
    const enT = await translator('en');
    const error = ContractError.validation('bad draft', [
      { path: 'draft.title', message: 'at most 200 characters' },
      { path: 'draft.occurredAt', message: 'in the future' },
      { path: '', message: 'nothing to change' },
    ]);
    const mapped = serverFieldErrors(error, (p) => (p === 'title' || p === 'occurredAt' ? p : undefined), enT);
    expect(mapped?.fields).toEqual({ title: 'At most 200 characters', occurredAt: 'Cannot be in the future' });
    expect(mapped?.unmapped).toEqual(['nothing to change']);
    expect(serverFieldErrors(new Error('x'), () => undefined, enT)).toBeNull();
  });
});
