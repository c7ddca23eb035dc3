import type { LanguageSetting } from '../../i18n/index.ts';
import { useLanguage } from './use-language.tsx';

export function LanguageSwitch() {
  const { setting, choose, t } = useLanguage();
  return (
    <label className="language-switch">
      <span>{t('settings.language')}</span>
      <select value={setting} onChange={(event) => choose(event.target.value as LanguageSetting)} data-testid="language-switch">
        <option value="auto">{t('settings.language.auto')}</option>
        <option value="en">English</option>
        <option value="zh-CN">中文</option>
      </select>
    </label>
  );
}
