import { zhCN, type DeepStrings } from './zh-CN';
import { en } from './en';
import { workflowStrings } from '../features/workflows/strings';
import { mapStrings } from '../features/map/strings';
import { cameraStrings } from '../features/cameras/strings';
import { analysisStrings } from '../features/analysis/strings';

/**
 * A feature's strings, kept beside its code under its own top-level key (e.g. `map`): Chinese
 * first, English typed against it key for key.
 */
export interface FeatureStrings {
  'zh-CN': Record<string, unknown>;
  en: Record<string, unknown>;
}

export function featureStrings<const Z extends Record<string, unknown>>(zh: Z, english: DeepStrings<Z>): FeatureStrings {
  return { 'zh-CN': zh, en: english as Record<string, unknown> };
}

/** Feature bundles merged into the app's resources; a feature adds itself here. */
const FEATURES: readonly FeatureStrings[] = [workflowStrings, mapStrings, cameraStrings, analysisStrings];

function merge(base: Record<string, unknown>, language: keyof FeatureStrings): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const bundle of FEATURES) {
    for (const [key, value] of Object.entries(bundle[language])) {
      if (key in out) throw new Error(`i18n: feature strings redefine the top-level key "${key}"`);
      out[key] = value;
    }
  }
  return out;
}

export const RESOURCES = {
  'zh-CN': merge(zhCN, 'zh-CN'),
  en: merge(en, 'en'),
};
