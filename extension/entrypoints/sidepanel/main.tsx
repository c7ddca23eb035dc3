import { createRoot } from 'react-dom/client';
import { LanguageProvider } from '../../ui/common/use-language.tsx';
import { App } from '../../ui/sidepanel/App.tsx';
import '../../ui/common/base.css';
import '../../ui/common/timeline.css';
import '../../ui/sidepanel/sidepanel.css';

createRoot(document.getElementById('root')!).render(
  <LanguageProvider>
    <App />
  </LanguageProvider>,
);
