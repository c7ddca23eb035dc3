/**
 * Classification settings: ABC thresholds and when a customer counts as dormant or lost. Once the
 * company set its rules (signed in), they are shown read-only, "set by your company".
 */
import { useEffect, useState } from 'react';
import { DEFAULT_CLASSIFICATION, normaliseClassification, type ClassificationSettings as Settings } from '../../../shared/derive/settings.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useDeviceSync } from '../common/use-store.ts';
import { useCompanyPolicy } from '../common/use-company-policy.ts';

export function ClassificationSettings() {
  const store = useDeviceSync();
  const { t } = useLanguage();
  const [settings, setSettings] = useState<Settings>(DEFAULT_CLASSIFICATION);
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const company = useCompanyPolicy();
  useEffect(() => {
    void store.getSetting<Partial<Settings>>('classification').then((saved) => setSettings(normaliseClassification(saved)));
  }, [store, company]);
  if (company) {
    const { classes, stage } = company.policy;
    return (
      <section className="settings-section" data-testid="settings-classification">
        <h2>{t('settings.classification')}</h2>
        <p className="muted" data-testid="set-by-company">{(company.version > 0 ? t('policy.setByCompany', { version: company.version }) : t('policy.setByCompanyDefaults'))}</p>
        <dl className="company-rules">
          {classes.basis === 'share' ? (
            <>
              <dt>{t('settings.abcA')}</dt>
              <dd data-testid="company-abc-a">{Math.round(classes.aShare * 100)}</dd>
              <dt>{t('settings.abcB')}</dt>
              <dd>{Math.round(classes.bShare * 100)}</dd>
            </>
          ) : (
            <>
              <dt>{t('policy.key.classes.aAmount')}</dt>
              <dd>{classes.aAmount}</dd>
              <dt>{t('policy.key.classes.bAmount')}</dt>
              <dd>{classes.bAmount}</dd>
            </>
          )}
          <dt>{t('settings.dormantDays')}</dt>
          <dd data-testid="company-dormant-days">{stage.dormantDays}</dd>
          <dt>{t('settings.lostDays')}</dt>
          <dd>{stage.lostDays}</dd>
        </dl>
      </section>
    );
  }
  const save = async () => {
    setState('saving');
    const next = normaliseClassification(settings);
    setSettings(next);
    await store.setSetting('classification', next);
    await store.refreshRows();
    setState('saved');
  };
  const percent = (value: number) => Math.round(value * 100);
  return (
    <section className="settings-section" data-testid="settings-classification">
      <h2>{t('settings.classification')}</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <label>
          <span>{t('settings.abcA')}</span>
          <input type="number" min={5} max={99} value={percent(settings.abc.a)} onChange={(e) => setSettings({ ...settings, abc: { ...settings.abc, a: Number(e.target.value) / 100 } })} data-testid="abc-a" />
        </label>
        <label>
          <span>{t('settings.abcB')}</span>
          <input type="number" min={5} max={100} value={percent(settings.abc.b)} onChange={(e) => setSettings({ ...settings, abc: { ...settings.abc, b: Number(e.target.value) / 100 } })} data-testid="abc-b" />
        </label>
        <label>
          <span>{t('settings.dormantDays')}</span>
          <input type="number" min={1} max={3650} value={settings.stage.dormantDays} onChange={(e) => setSettings({ ...settings, stage: { ...settings.stage, dormantDays: Number(e.target.value) } })} data-testid="dormant-days" />
        </label>
        <label>
          <span>{t('settings.lostDays')}</span>
          <input type="number" min={1} max={7300} value={settings.stage.lostDays} onChange={(e) => setSettings({ ...settings, stage: { ...settings.stage, lostDays: Number(e.target.value) } })} data-testid="lost-days" />
        </label>
        <div className="settings-actions">
          <button type="submit" className="primary" disabled={state === 'saving'} data-testid="save-classification">
            {state === 'saving' ? t('settings.recomputing') : t('cardPage.save')}
          </button>
          {state === 'saved' ? <span className="saved">{t('settings.saved')}</span> : null}
        </div>
      </form>
    </section>
  );
}
