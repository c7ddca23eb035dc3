/**
 * The analysis desk (DOMAIN.md §5, §7): ABC, the customer cycle, receivables aging, sales and
 * receipts, sales by region, half-year ranks, credit control, upkeep and activity per rep, the
 * relationships (A customers without enough close people, cooling people), and
 * the customer statement — for all the cards this user can read, or one rep's. One view at a
 * time (its id in the URL, ?desk=), so each draws only its own charts. Loaded lazily by the
 * dashboard with the chart library; every figure comes from shared/analysis (pure, unit-tested).
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import type { MessageKey } from '../../i18n/index.ts';
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
import { RelationshipsSection } from './sections/RelationshipsSection.tsx';
import { StatementSection } from './sections/StatementSection.tsx';
import { VisitsSection } from './sections/VisitsSection.tsx';
import './desk.css';

interface ViewProps {
  rows: readonly CardIndexRow[];
  now: number;
  settings: ClassificationSettings;
}

const VIEWS: { id: string; label: MessageKey; render: (p: ViewProps) => ReactNode }[] = [
  { id: 'abc', label: 'desk.abc', render: (p) => <AbcSection rows={p.rows} now={p.now} /> },
  { id: 'cycle', label: 'desk.cycle', render: (p) => <CycleSection rows={p.rows} now={p.now} stage={p.settings.stage} /> },
  { id: 'receivables', label: 'desk.receivables', render: (p) => <><AgingSection rows={p.rows} now={p.now} /><FlowSection rows={p.rows} now={p.now} /></> },
  { id: 'sales', label: 'desk.sales', render: (p) => <><RegionSection rows={p.rows} now={p.now} /><RankSection rows={p.rows} now={p.now} /></> },
  { id: 'credit', label: 'desk.credit', render: (p) => <CreditSection rows={p.rows} /> },
  { id: 'activity', label: 'desk.activity', render: (p) => <><ActivitySection rows={p.rows} now={p.now} /><VisitsSection rows={p.rows} now={p.now} /></> },
  { id: 'relationships', label: 'desk.relationships', render: (p) => <RelationshipsSection rows={p.rows} now={p.now} /> },
  { id: 'statement', label: 'desk.statement', render: (p) => <StatementSection now={p.now} /> },
];

function viewOfUrl(): string {
  const id = new URLSearchParams(location.search).get('desk');
  return VIEWS.some((v) => v.id === id) ? id! : 'abc';
}

export function DeskPage() {
  const { t } = useLanguage();
  const store = useStore();
  const all = useAllRows();
  const [owner, setOwner] = useState('');
  const [viewId, setViewId] = useState(viewOfUrl);
  const chooseView = (id: string) => {
    setViewId(id);
    const params = new URLSearchParams(location.search);
    params.set('desk', id);
    history.replaceState(history.state, '', `${location.pathname}?${params.toString()}`);
  };
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
      <nav className="desk-views" role="tablist">
        {VIEWS.map((v) => (
          <button key={v.id} type="button" role="tab" aria-selected={v.id === viewId} className={v.id === viewId ? 'active' : undefined} data-testid={`desk-view-${v.id}`} onClick={() => chooseView(v.id)}>
            {t(v.label)}
          </button>
        ))}
      </nav>
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
      {VIEWS.find((v) => v.id === viewId)!.render({ rows, now, settings })}
    </div>
  );
}
