import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import type { Category } from '@shared';
import { useLanguage } from '../../../i18n';

interface CategoriesValue {
  list: Category[];
  byCode: Map<string, Category>;
}

const CategoriesContext = createContext<CategoriesValue>({ list: [], byCode: new Map() });

export function CategoriesProvider({ categories, children }: { categories: Category[]; children: ReactNode }) {
  const value = useMemo(() => ({ list: categories, byCode: new Map(categories.map((c) => [c.code, c])) }), [categories]);
  return <CategoriesContext.Provider value={value}>{children}</CategoriesContext.Provider>;
}

/** Categories from `categories.list`, with names in the current language. */
export function useCategories() {
  const { list, byCode } = useContext(CategoriesContext);
  const { language } = useLanguage();
  const name = useCallback(
    (code: string) => {
      const category = byCode.get(code);
      if (!category) return code;
      return language === 'en' ? category.nameEn : category.nameZh;
    },
    [byCode, language],
  );
  return { list, byCode, name };
}
