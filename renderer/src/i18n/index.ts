import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { enUS, zhCN as dateFnsZhCN, type Locale } from 'date-fns/locale';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { RESOURCES } from './resources';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'dutyConsole.language';

function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

function applyDocumentLanguage(language: Language): void {
  document.documentElement.lang = language;
  document.title = i18n.t('app.shortName');
  dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
}

export function initI18n(): typeof i18n {
  void i18n.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: RESOURCES['zh-CN'] }, en: { translation: RESOURCES.en } },
    lng: storedLanguage(),
    fallbackLng: 'zh-CN',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  applyDocumentLanguage(currentLanguage());
  i18n.on('languageChanged', (lng) => applyDocumentLanguage(lng === 'en' ? 'en' : 'zh-CN'));
  return i18n;
}

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Storage may be unavailable (private mode); the choice then lasts for this session.
  }
  void i18n.changeLanguage(language);
}

/** The current language, its date-fns locale and the dayjs locale name (Mantine dates). */
export function useLanguage(): { language: Language; dateLocale: Locale; dayjsLocale: string; toggle: () => void } {
  const { i18n: instance } = useTranslation();
  const language: Language = instance.language === 'en' ? 'en' : 'zh-CN';
  return {
    language,
    dateLocale: language === 'en' ? enUS : dateFnsZhCN,
    dayjsLocale: language === 'en' ? 'en' : 'zh-cn',
    toggle: () => setLanguage(language === 'en' ? 'zh-CN' : 'en'),
  };
}
