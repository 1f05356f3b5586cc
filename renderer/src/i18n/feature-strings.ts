import type { DeepStrings } from './zh-CN';

/**
 * A feature's strings, kept beside its code under its own top-level key (e.g. `map`): Chinese
 * first, English typed against it key for key. In its own module so that a feature's strings.ts
 * does not import resources.ts, which imports every feature's strings (an import cycle).
 */
export interface FeatureStrings {
  'zh-CN': Record<string, unknown>;
  en: Record<string, unknown>;
}

export function featureStrings<const Z extends Record<string, unknown>>(zh: Z, english: DeepStrings<Z>): FeatureStrings {
  return { 'zh-CN': zh, en: english as Record<string, unknown> };
}
