import { createRoot } from 'react-dom/client';
import { CapturePage } from '../../ui/capture/CapturePage.tsx';
import { LanguageProvider } from '../../ui/common/use-language.tsx';
import '../../ui/common/base.css';
import '../../ui/common/timeline.css';
import '../../ui/capture/capture.css';

createRoot(document.getElementById('root')!).render(
  <LanguageProvider>
    <CapturePage />
  </LanguageProvider>,
);
