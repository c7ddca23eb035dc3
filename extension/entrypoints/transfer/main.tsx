import { createRoot } from 'react-dom/client';
import { LanguageProvider } from '../../ui/common/use-language.tsx';
import { TransferPage } from '../../ui/export/TransferPage.tsx';
import '../../ui/common/base.css';
import '../../ui/dashboard/dashboard.css';
import '../../ui/export/transfer.css';

createRoot(document.getElementById('root')!).render(
  <LanguageProvider>
    <TransferPage />
  </LanguageProvider>,
);
