/**
 * Handover (交接) on the desk: move all or chosen cards of one rep to another, with a reason —
 * leaving, a territory change, or cover during leave with an end date after which the cards
 * return. The cards to choose from are the from-rep's cards this manager's device holds.
 */
import { useEffect, useState } from 'react';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import type { CustodyApi, HandoverInfo, Member } from '../../sync/custody-api.ts';
import { formatDate, type MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore, useStoreVersion } from '../common/use-store.ts';
import { endOfInputDay, todayInput } from '../common/form-dates.ts';
import { HandoverKindFields } from './HandoverKindFields.tsx';
import { useLoaded } from './use-loaded.ts';

export function HandoverForm({ api, members }: { api: CustodyApi; members: Member[] }) {
  const { language, t } = useLanguage();
  const store = useStore();
  const version = useStoreVersion();
  const active = members.filter((m) => !m.disabled);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [kind, setKind] = useState<HandoverInfo['kind']>('territory');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState(todayInput(Date.now() + 14 * 86_400_000));
  const [all, setAll] = useState(true);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [cards, setCards] = useState<CardIndexRow[]>([]);
  const [result, setResult] = useState<{ ok?: string; error?: string }>({});
  const history = useLoaded(() => api.handovers(), [api, result.ok]);

  useEffect(() => {
    if (!from) return setCards([]);
    void store.listCards({ limit: 100_000 }).then((rows) => setCards(rows.filter((row) => row.owner === from)));
  }, [store, from, version]);

  const submit = async () => {
    setResult({});
    try {
      const done = await api.handover({ from, to, reason, kind, ...(all ? {} : { cardIds: [...chosen] }), ...(kind === 'cover' ? { until: endOfInputDay(until) } : {}) });
      setResult({ ok: t('team.handedOver', { count: done.cards, from, to }) });
      setChosen(new Set());
    } catch (failure) {
      setResult({ error: failure instanceof Error ? failure.message : String(failure) });
    }
  };

  return (
    <section className="dashboard-section" data-testid="team-handover">
      <h2>{t('team.handover')}</h2>
      <form
        className="handover-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label>
          {t('team.from')}
          <select value={from} onChange={(e) => setFrom(e.target.value)} data-testid="handover-from" required>
            <option value="">—</option>
            {members.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name} ({m.cards})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('team.to')}
          <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="handover-to" required>
            <option value="">—</option>
            {active.filter((m) => m.name !== from).map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <HandoverKindFields kind={kind} onKind={setKind} until={until} onUntil={setUntil} testId="handover" />
        <label className="wide">
          {t('team.reason')}
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required data-testid="handover-reason" />
        </label>
        <fieldset className="wide">
          <label className="check">
            <input type="radio" checked={all} onChange={() => setAll(true)} /> {t('team.allCards', { count: cards.length })}
          </label>
          <label className="check">
            <input type="radio" checked={!all} onChange={() => setAll(false)} data-testid="handover-choose" /> {t('team.chosenCards', { count: chosen.size })}
          </label>
          {!all ? (
            <ul className="card-choice">
              {cards.map((card) => (
                <li key={card.id}>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={chosen.has(card.id)}
                      onChange={(e) => {
                        const next = new Set(chosen);
                        if (e.target.checked) next.add(card.id);
                        else next.delete(card.id);
                        setChosen(next);
                      }}
                      data-testid="handover-card"
                      data-card-name={card.name}
                    />{' '}
                    {card.name}
                  </label>
                </li>
              ))}
            </ul>
          ) : null}
        </fieldset>
        <button type="submit" className="primary" disabled={!from || !to || !reason.trim() || (!all && chosen.size === 0)} data-testid="handover-submit">
          {t('team.handOver')}
        </button>
        {result.ok ? <p className="hint" role="status" data-testid="handover-done">{result.ok}</p> : null}
        {result.error ? <p className="error" role="alert">{result.error}</p> : null}
      </form>
      {(history.value ?? []).length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th>{t('team.when')}</th>
              <th>{t('team.from')}</th>
              <th>{t('team.to')}</th>
              <th>{t('team.kind')}</th>
              <th>{t('team.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {(history.value ?? []).map((h) => (
              <tr key={h.id}>
                <td>{formatDate(language, h.at)}</td>
                <td>{h.from}</td>
                <td>{h.to}</td>
                <td>
                  {t(`team.kind.${h.kind}` as MessageKey)}
                  {h.until ? ` · ${t('team.untilDate', { date: formatDate(language, h.until) })}` : ''} · {t('team.cardsCount', { count: h.cards })}
                </td>
                <td>{h.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
