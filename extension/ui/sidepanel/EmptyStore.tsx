import { useState } from 'react';
import { errorMessage } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';
import { useSyncStatus } from '../common/use-sync-status.ts';

/**
 * Shown when the store holds no card. Before sign-in: the way to try the product with sample
 * customers (made as this device's user, removable in one step). Signed in, the user's real
 * customers come from the server or an import: no sample data is offered into a company's archive.
 */
export function EmptyStore() {
  const store = useStore();
  const status = useSyncStatus();
  const { language, t } = useLanguage();
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const load = async () => {
    setState({ busy: true });
    const result = await store.loadSampleCards(Date.now());
    setState(result.ok ? { busy: false } : { busy: false, error: errorMessage(language, result) });
  };
  if (status.state !== 'signed-out')
    return (
      <section className="empty-store" data-testid="empty-store">
        <p>{t('panel.emptyStore')}</p>
        <p className="muted">{t('sample.signedInEmpty')}</p>
      </section>
    );
  return (
    <section className="empty-store" data-testid="empty-store">
      <p>{t('panel.emptyStore')}</p>
      <button type="button" onClick={() => void load()} disabled={state.busy} data-testid="load-demo">
        {state.busy ? t('panel.loadingDemo') : t('panel.loadDemo')}
      </button>
      {state.error ? <p className="error" role="alert">{state.error}</p> : null}
    </section>
  );
}
