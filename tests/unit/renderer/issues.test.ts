import { describe, expect, it } from 'vitest';
import { ContractError, IncidentDraft, IncidentPatch, issuesFromZod } from '@shared';
import { RESOURCES } from '../../../renderer/src/i18n/resources';
import { serverFieldErrors, zodFieldErrors } from '../../../renderer/src/features/incidents/common/issues';
import { describeFailure, issueMessage } from '../../../renderer/src/app/errors';
import { translator } from '../../support/translator';

const { 'zh-CN': zhCN, en } = RESOURCES;

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)));

describe('renderer messages', () => {
  it('has the same keys in Chinese and English, feature bundles included', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it('translates field issues by reason and params, never by their English', async () => {
    const zh = await translator('zh-CN');
    expect(issueMessage({ reason: 'validation.required' }, zh)).toBe('必填');
    expect(issueMessage({ reason: 'validation.too_long', params: { max: 200 } }, zh)).toBe('最多 200 个字符');
    expect(issueMessage({ reason: 'incidents.in_future' }, zh)).toBe('不能晚于当前时间');
    expect(issueMessage({ reason: 'validation.too_small', params: { min: -180 } }, zh)).toBe('不能小于 -180');
    // No reason at all: the generic sentence, not the English.
    expect(issueMessage({}, zh)).toBe('格式不正确');
    const enT = await translator('en');
    expect(issueMessage({ reason: 'validation.required' }, enT)).toBe('Required');
  });

  it('gives zod issues reasons by their code at the boundary (missing, too long, too small, custom rules)', () => {
    const parsed = IncidentDraft.safeParse({ category: '', title: 'x'.repeat(201), source: 'phone', priority: 3, occurredAt: 1, location: { lon: -200, lat: 22 } });
    const issues = issuesFromZod(parsed.error!, 'draft', {});
    expect(issues.find((i) => i.path === 'draft.category')).toMatchObject({ reason: 'validation.required' });
    expect(issues.find((i) => i.path === 'draft.title')).toMatchObject({ reason: 'validation.too_long', params: { max: 200 } });
    expect(issues.find((i) => i.path === 'draft.occurredAt')).toMatchObject({ reason: 'validation.time_range' });
    expect(issues.find((i) => i.path === 'draft.location.lon')).toMatchObject({ reason: 'validation.too_small', params: { min: -180 } });
    const patch = IncidentPatch.safeParse({});
    expect(issuesFromZod(patch.error!)).toMatchObject([{ reason: 'validation.nothing_changed' }]);
    const missing = IncidentDraft.safeParse({});
    expect(issuesFromZod(missing.error!, '', {}).find((i) => i.path === 'title')).toMatchObject({ reason: 'validation.required' });
  });

  it('maps client-side zod issues of a draft to form fields', async () => {
    const zh = await translator('zh-CN');
    const candidate = { category: '', title: '  ', source: 'phone', priority: 3, occurredAt: Date.now(), location: { lon: 200, lat: 22 } };
    const parsed = IncidentDraft.safeParse(candidate);
    expect(parsed.success).toBe(false);
    const fieldOf = (path: string) => (path.startsWith('location.') ? path.slice(9) : path);
    const { fields } = zodFieldErrors(parsed.error!, fieldOf, zh, candidate);
    expect(fields).toMatchObject({ category: '必填', title: '必填', lon: '不能大于 180' });
  });

  it('maps server validation issues by path without the command prefix', async () => {
    const enT = await translator('en');
    const error = ContractError.validation('bad draft', [
      { path: 'draft.title', message: 'at most 200 characters', reason: 'validation.too_long', params: { max: 200 } },
      { path: 'draft.occurredAt', message: 'in the future', reason: 'incidents.in_future' },
      { path: '', message: 'nothing to change', reason: 'validation.nothing_changed' },
    ]);
    const mapped = serverFieldErrors(error, (p) => (p === 'title' || p === 'occurredAt' ? p : undefined), enT);
    expect(mapped?.fields).toEqual({ title: 'At most 200 characters', occurredAt: 'Cannot be in the future' });
    expect(mapped?.unmapped).toEqual(['Nothing was changed']);
    expect(serverFieldErrors(new Error('x'), () => undefined, enT)).toBeNull();
  });

  it('describes a failure by its reason; a conflict on an incident lists the allowed actions', async () => {
    const zh = await translator('zh-CN');
    const stale = ContractError.conflict('changed by someone else', undefined, { reason: 'incidents.stale', params: { code: 'GS-1', version: 3, expected: 2 } });
    expect(describeFailure(stale, zh)).toEqual({ title: '操作冲突', message: '该事件已被他人修改，已重新载入最新内容，请核对后重试。', original: '' });
    const illegal = ContractError.conflict('not allowed', ['accept'], { reason: 'incidents.illegal_action', params: { code: 'GS-1', action: 'close', status: 'reported' } });
    expect(describeFailure(illegal, zh).message).toMatch(/^当前状态下只允许：/);
  });
});
