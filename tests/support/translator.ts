import i18next, { type TFunction } from 'i18next';
import { RESOURCES } from '../../renderer/src/i18n/resources';

/** The renderer's strings in one language, for unit tests of what the operator reads. */
export async function translator(lng: 'zh-CN' | 'en'): Promise<TFunction> {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng,
    resources: { 'zh-CN': { translation: RESOURCES['zh-CN'] }, en: { translation: RESOURCES.en } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  return i18n.t;
}
