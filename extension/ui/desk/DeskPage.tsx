/**
 * The analysis desk (DOMAIN.md §5, §7): ABC, the customer cycle, receivables aging, sales and
 * receipts, sales by region, half-year ranks, credit control, upkeep and activity per rep, and
 * the customer statement — for all the cards this user can read, or one rep's. Loaded lazily by
 * the dashboard with its charts; every figure comes from shared/analysis (pure, unit-tested).
 */
import { useEffect, useMemo, useState } from 'react';
import { DEFAULT_CLASSIFICATION, normaliseClassification, type ClassificationSettings } from '../../../shared/derive/settings.ts';
import { useAllRows } from '../common/use-all-rows.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';
import { AbcSection } from './sections/AbcSection.tsx';
import { ActivitySection } from './sections/ActivitySection.tsx';
import { AgingSection } from './sections/AgingSection.tsx';
import { CreditSection } from './sections/CreditSection.tsx';
import { CycleSection } from './sections/CycleSection.tsx';
import { FlowSection } from './sections/FlowSection.tsx';
import { RankSection } from './sections/RankSection.tsx';
import { RegionSection } from './sections/RegionSection.tsx';
import { StatementSection } from './sections/StatementSection.tsx';
import './desk.css';

export function DeskPage() {
  const { t } = useLanguage();
  const store = useStore();
  const all = useAllRows();
  const [owner, setOwner] = useState('');
  const [settings, setSettings] = useState<ClassificationSettings>(DEFAULT_CLASSIFICATION);
  useEffect(() => {
    void store.getSetting<Parameters<typeof normaliseClassification>[0]>('classification').then((saved) => setSettings(normaliseClassification(saved)));
  }, [store]);
  const now = useMemo(() => Date.now(), [all]);
  const owners = useMemo(() => [...new Set((all ?? []).map((row) => row.owner))].sort(), [all]);
  const rows = useMemo(() => (owner ? (all ?? []).filter((row) => row.owner === owner) : (all ?? [])), [all, owner]);
  if (!all) return <p className="muted">{t('desk.loading')}</p>;
  return (
    <div className="desk" data-testid="desk">
      <div className="desk-scope">
        <label>
          {t('desk.scope')}{' '}
          <select data-testid="desk-scope" value={owner} onChange={(e) => setOwner(e.target.value)}>
            <option value="">{t('desk.scopeAll')}</option>
            {owners.map((o) => (
              <option key={o} value={o}>
                {o || '—'}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => window.print()}>
          {t('desk.print')}
        </button>
      </div>
      <AbcSection rows={rows} now={now} />
      <CycleSection rows={rows} now={now} stage={settings.stage} />
      <AgingSection rows={rows} now={now} />
      <FlowSection rows={rows} now={now} />
      <RegionSection rows={rows} now={now} />
      <RankSection rows={rows} now={now} />
      <CreditSection rows={rows} />
      <ActivitySection rows={rows} now={now} />
      <StatementSection now={now} />
    </div>
  );
}
