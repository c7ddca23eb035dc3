import { createRoot } from 'react-dom/client';
import { LanguageProvider } from '../../ui/common/use-language.tsx';
import { SettingsApp } from '../../ui/settings/SettingsApp.tsx';
import '../../ui/common/base.css';
import '../../ui/settings/settings.css';

createRoot(document.getElementById('root')!).render(
  <LanguageProvider>
    <SettingsApp />
  </LanguageProvider>,
);
