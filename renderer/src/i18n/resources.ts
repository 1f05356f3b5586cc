import { zhCN } from './zh-CN';
import type { FeatureStrings } from './feature-strings';
import { en } from './en';
import { workflowStrings } from '../features/workflows/strings';
import { mapStrings } from '../features/map/strings';
import { cameraStrings } from '../features/cameras/strings';
import { analysisStrings } from '../features/analysis/strings';
import { peopleStrings } from '../features/people/strings';
import { jobStrings } from '../features/jobs/strings';
import { recoveryStrings } from '../features/recovery/strings';
import { linkStrings } from '../features/uplink/strings';

/** Feature bundles merged into the app's resources; a feature adds itself here. */
const FEATURES: readonly FeatureStrings[] = [workflowStrings, mapStrings, cameraStrings, peopleStrings, analysisStrings, jobStrings, linkStrings, recoveryStrings];

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
