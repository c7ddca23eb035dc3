import { useState } from 'react';
import { demoSeeds } from '../../../shared/demo-data.ts';
import { errorMessage } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';

/** Shown when the store holds no card: the way to try the product with sample customers. */
export function EmptyStore() {
  const store = useStore();
  const { language, t } = useLanguage();
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const load = async () => {
    setState({ busy: true });
    const result = await store.importCards(demoSeeds(Date.now()));
    setState(result.ok ? { busy: false } : { busy: false, error: errorMessage(language, result) });
  };
  return (
    <section className="empty-store">
      <p>{t('panel.emptyStore')}</p>
      <button type="button" onClick={() => void load()} disabled={state.busy} data-testid="load-demo">
        {state.busy ? t('panel.loadingDemo') : t('panel.loadDemo')}
      </button>
      {state.error ? <p className="error" role="alert">{state.error}</p> : null}
    </section>
  );
}
