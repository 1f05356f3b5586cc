import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_REASONS } from '@shared';
import { zhCN } from '../../../renderer/src/i18n/zh-CN';
import { en } from '../../../renderer/src/i18n/en';

function lookup(tree: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), tree);
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!).sort();
}

describe('error reasons', () => {
  it('every reason core may send has a zh-CN and an English sentence with the same placeholders', () => {
    for (const reason of ERROR_REASONS) {
      const zh = lookup(zhCN.errorReasons, reason);
      const english = lookup(en.errorReasons, reason);
      expect(typeof zh, `zh-CN errorReasons.${reason}`).toBe('string');
      expect(typeof english, `en errorReasons.${reason}`).toBe('string');
      expect(placeholders(english as string), reason).toEqual(placeholders(zh as string));
    }
  });

  it('every error code has a title in both languages', () => {
    for (const code of ERROR_CODES) {
      expect(typeof lookup(zhCN.errors, code), code).toBe('string');
      expect(typeof lookup(en.errors, code), code).toBe('string');
    }
  });
});
