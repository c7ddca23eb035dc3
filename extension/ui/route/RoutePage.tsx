/**
 * Visit routes (路线): pick a day's visits by region without a map. The customers this user may
 * read, grouped by region and district from their card's city and address fields and ordered
 * along the address (shared/route/regions.ts); narrow to a class or to those past their contact
 * cadence, tick the first few of one region (or any), and give them a visit date — the same
 * planned visit as the register's, so the due list reminds the day before.
 */
import { useEffect, useMemo, useState } from 'react';
import { daysPastCadence } from '../../../shared/analysis/activity.ts';
import { DEFAULT_REMINDERS, type ReminderSettings } from '../../../shared/reminders/due.ts';
import { routeByRegion } from '../../../shared/route/regions.ts';
import { formatDate, formatRelative } from '../../i18n/index.ts';
import { useBulkReason } from '../common/BulkReason.tsx';
import { todayInput } from '../common/form-dates.ts';
import { planVisits } from '../common/plan-visits.ts';
import { useAllRows } from '../common/use-all-rows.ts';
import { useReadOnlyLoans } from '../common/card-access.tsx';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';
import './route.css';

const DAY = 86_400_000;

export function RoutePage() {
  const { language, t } = useLanguage();
  const store = useStore();
  const all = useAllRows();
  // A card borrowed read-only takes no visit date (the server would refuse it): not offered.
  const readOnly = useReadOnlyLoans();
  const bulkReason = useBulkReason(['plannedVisit'], 'route-reason');
  const [reminders, setReminders] = useState<ReminderSettings>(DEFAULT_REMINDERS);
  useEffect(() => {
    void store.getSetting<Partial<ReminderSettings>>('reminders').then((saved) => setReminders({ ...DEFAULT_REMINDERS, ...saved, cadenceDays: { ...DEFAULT_REMINDERS.cadenceDays, ...saved?.cadenceDays } }));
  }, [store]);
  const [abc, setAbc] = useState('');
  const [dueOnly, setDueOnly] = useState(false);
  const [regionKey, setRegionKey] = useState<string>();
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [firstN, setFirstN] = useState(6);
  const [day, setDay] = useState(todayInput(Date.now() + DAY));
  const [planned, setPlanned] = useState<number>();
  const [busy, setBusy] = useState(false);
  const now = useMemo(() => Date.now(), [all]);
  const groups = useMemo(() => routeByRegion((all ?? []).filter((row) => !readOnly.has(row.id) && (!abc || row.abc === abc) && (!dueOnly || daysPastCadence(row, now, reminders) > 0))), [all, abc, dueOnly, now, reminders, readOnly]);
  if (!all) return <p className="muted">{t('panel.loading')}</p>;
  const group = groups.find((g) => g.region === regionKey) ?? groups[0];
  const regionLabel = (region: string) => region || t('route.noRegion');
  const toggle = (id: string, on: boolean) => setPicked((old) => { const next = new Set(old); if (on) next.add(id); else next.delete(id); return next; });
  const plan = async () => {
    setBusy(true);
    const count = await planVisits(store, [...picked], day, bulkReason.reason);
    setBusy(false);
    setPlanned(count);
    setPicked(new Set());
  };
  return (
    <section className="route-page" data-testid="route-page">
      <h2>{t('route.title')}</h2>
      <p className="muted">{t('route.hint')}</p>
      <div className="route-controls">
        <label>
          {t('route.region')}{' '}
          <select value={group?.region ?? ''} onChange={(e) => setRegionKey(e.target.value)} data-testid="route-region">
            {groups.map((g) => (
              <option key={g.region} value={g.region}>{`${regionLabel(g.region)} · ${t('route.customers', { count: g.stops.length })}`}</option>
            ))}
          </select>
        </label>
        <label>
          {t('route.only')}{' '}
          <select value={abc} onChange={(e) => setAbc(e.target.value)} data-testid="route-class">
            <option value="">{t('route.allClasses')}</option>
            {['A', 'B', 'C'].map((c) => (
              <option key={c} value={c}>{t('card.class', { value: c })}</option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={dueOnly} onChange={(e) => setDueOnly(e.target.checked)} data-testid="route-due-only" /> {t('route.dueOnly')}
        </label>
      </div>
      {group ? (
        <>
          <div className="route-controls">
            <button type="button" onClick={() => setPicked(new Set(group.stops.slice(0, firstN).map((s) => s.row.id)))} data-testid="route-pick-first">
              {t('route.pickFirst', { count: firstN })}
            </button>
            <input type="number" min={1} max={30} value={firstN} onChange={(e) => setFirstN(Math.max(1, Math.min(30, Number(e.target.value) || 1)))} aria-label={t('route.pickFirst', { count: '' })} className="route-n" />
            <span data-testid="route-picked">{t('route.picked', { count: picked.size })}</span>
            <label className="plan-visit">
              {t('visit.plan')} <input type="date" value={day} onChange={(e) => setDay(e.target.value)} data-testid="route-date" />
            </label>
            {bulkReason.input}
            <button type="button" className="primary" disabled={busy || picked.size === 0 || !day || bulkReason.missing('plannedVisit')} title={bulkReason.missing('plannedVisit') ? t('bulk.reasonWhy') : undefined} onClick={() => void plan()} data-testid="route-plan">
              {t('visit.planSave')}
            </button>
            {planned !== undefined ? <span role="status" data-testid="route-planned">{t('visit.planned', { count: planned })}</span> : null}
          </div>
          <table className="table route-table" data-testid="route-stops">
            <thead>
              <tr>
                <th />
                <th>#</th>
                <th>{t('register.col.name')}</th>
                <th>{t('route.address')}</th>
                <th>{t('register.col.class')}</th>
                <th>{t('route.lastContact')}</th>
                <th>{t('route.planned')}</th>
              </tr>
            </thead>
            <tbody>
              {group.stops.map((stop, i) => (
                <tr key={stop.row.id} data-testid="route-stop" data-card-id={stop.row.id} className={picked.has(stop.row.id) ? 'picked' : undefined}>
                  <td>
                    <input type="checkbox" checked={picked.has(stop.row.id)} onChange={(e) => toggle(stop.row.id, e.target.checked)} aria-label={stop.row.name} />
                  </td>
                  <td>{i + 1}</td>
                  <td>{stop.row.name}</td>
                  <td>{[stop.place.district, stop.place.street].filter(Boolean).join(' · ') || '—'}</td>
                  <td>{stop.row.abc || '—'}</td>
                  <td>{stop.row.lastContact ? formatRelative(language, stop.row.lastContact, now) : t('card.never')}</td>
                  <td data-testid="route-stop-planned">{stop.row.plannedVisit ? formatDate(language, Date.parse(`${stop.row.plannedVisit}T12:00:00`)) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p className="muted">{t('desk.none')}</p>
      )}
    </section>
  );
}
