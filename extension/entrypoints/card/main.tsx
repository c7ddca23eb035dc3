import { createRoot } from 'react-dom/client';
import { CardPage } from '../../ui/card/CardPage.tsx';
import { LanguageProvider } from '../../ui/common/use-language.tsx';
import '../../ui/common/base.css';
import '../../ui/common/timeline.css';
import '../../ui/card/card.css';

const cardId = new URLSearchParams(location.search).get('id') ?? undefined;

createRoot(document.getElementById('root')!).render(
  <LanguageProvider>
    <CardPage cardId={cardId} />
  </LanguageProvider>,
);
