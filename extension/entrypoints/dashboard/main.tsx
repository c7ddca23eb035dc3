import { createRoot } from 'react-dom/client';
import { LanguageProvider } from '../../ui/common/use-language.tsx';
import { Dashboard } from '../../ui/dashboard/Dashboard.tsx';
import '../../ui/common/base.css';
import '../../ui/common/timeline.css';
import '../../ui/sidepanel/sidepanel.css';
import '../../ui/dashboard/dashboard.css';
import '../../ui/common/print.css';
import '../../ui/register/register.css';

createRoot(document.getElementById('root')!).render(
  <LanguageProvider>
    <Dashboard />
  </LanguageProvider>,
);
