/** The UI language as React context: follows the browser unless the user chose in the settings. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { getCardStore } from '../../store/index.ts';
import { resolveLanguage, translate, type Language, type LanguageSetting, type MessageKey } from '../../i18n/index.ts';

interface LanguageState {
  language: Language;
  setting: LanguageSetting;
  choose: (setting: LanguageSetting) => void;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
}

const LanguageContext = createContext<LanguageState | undefined>(undefined);

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [setting, setSetting] = useState<LanguageSetting>('auto');
  useEffect(() => {
    const store = getCardStore();
    const load = () => void store.getSetting<LanguageSetting>('language').then((saved) => setSetting(saved ?? 'auto'));
    load();
    return store.onChange(load);
  }, []);
  const language = resolveLanguage(setting, navigator.language);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const choose = useCallback((next: LanguageSetting) => {
    setSetting(next);
    void getCardStore().setSetting('language', next);
  }, []);
  const value = useMemo<LanguageState>(
    () => ({ language, setting, choose, t: (key, params) => translate(language, key, params) }),
    [language, setting, choose],
  );
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

export function useLanguage(): LanguageState {
  const state = useContext(LanguageContext);
  if (!state) throw new Error('useLanguage outside LanguageProvider');
  return state;
}
