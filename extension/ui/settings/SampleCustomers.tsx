/** "Remove the sample customers": one step, only the cards loaded as samples (store/sample-cards.ts). */
import { useEffect, useState } from 'react';
import { useLanguage } from '../common/use-language.tsx';
import { useDeviceSync, useStoreVersion } from '../common/use-store.ts';

export function SampleCustomers() {
  const store = useDeviceSync();
  const version = useStoreVersion();
  const { t } = useLanguage();
  const [count, setCount] = useState(0);
  const [removed, setRemoved] = useState(false);
  useEffect(() => {
    let live = true;
    void store.sampleCardCount().then((found) => live && setCount(found));
    return () => {
      live = false;
    };
  }, [store, version]);
  if (count === 0) return removed ? <p className="muted" data-testid="samples-removed">{t('sample.removed')}</p> : null;
  return (
    <section className="settings-section" data-testid="sample-customers">
      <h2>{t('sample.title')}</h2>
      <p>{t('sample.onDevice', { count })}</p>
      <button
        type="button"
        onClick={() =>
          void store.removeSampleCards().then(() => {
            setRemoved(true);
            setCount(0);
          })
        }
        data-testid="remove-samples"
      >
        {t('sample.remove')}
      </button>
    </section>
  );
}
