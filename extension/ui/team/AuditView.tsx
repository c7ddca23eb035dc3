/** The audit on the desk: every read, write, loan, proposal and handover, per card or per person. */
import { useEffect, useState } from 'react';
import { isAuditAction } from '../../../shared/audit-actions.ts';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { fieldByKey } from '../../../shared/fields.ts';
import type { AuditEventInfo, CustodyApi, Member } from '../../sync/custody-api.ts';
import { formatDate, labelOf, type Language, type MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';

/** What a write touched, in words: field labels, and people, contacts and orders as parts. */
function changedParts(language: Language, detail: string, t: (key: MessageKey) => string): string {
  return detail
    .split(', ')
    .filter(Boolean)
    .map((key) => {
      if (key === 'contacts' || key === 'timeline' || key === 'ledger') return t(`audit.part.${key}` as MessageKey);
      const def = fieldByKey(key);
      return def ? labelOf(language, def.label) : key;
    })
    .join(', ');
}

export function AuditView({ api, members }: { api: CustodyApi; members: Member[] }) {
  const { language, t } = useLanguage();
  const store = useStore();
  const [person, setPerson] = useState('');
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<CardIndexRow[]>([]);
  const [card, setCard] = useState<CardIndexRow>();
  const [events, setEvents] = useState<AuditEventInfo[]>();
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!query.trim()) return setMatches([]);
    void store.search(query.trim(), 8).then(setMatches);
  }, [store, query]);

  useEffect(() => {
    const filter = card ? { card: card.id } : person ? { user: person } : undefined;
    if (!filter) return setEvents(undefined);
    let live = true;
    api.audit(filter).then(
      async (found) => {
        const ids = [...new Set(found.map((e) => e.cardId).filter((id): id is string => !!id))];
        const rows = await Promise.all(ids.map((id) => store.getIndexRow(id)));
        if (!live) return;
        setNames(new Map(rows.filter((row): row is CardIndexRow => !!row).map((row) => [row.id, row.name])));
        setEvents(found);
        setError(undefined);
      },
      (failure: unknown) => live && setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => {
      live = false;
    };
  }, [api, store, card, person]);

  /** An event's detail in words: why a card was read, how many own cards a sync received, what a write touched. */
  const detailOf = (event: AuditEventInfo): string => {
    if (event.action === 'read') return t(`audit.reason.${event.detail.split(' ')[0]}` as MessageKey);
    if (event.action === 'read-own') return t('audit.readOwnCount', { count: Number(/^\d+/.exec(event.detail)?.[0] ?? 0) });
    if (event.action === 'write' || event.action === 'create') return changedParts(language, event.detail, t);
    if (event.action === 'export' || event.action === 'print' || event.action === 'backup') {
      // The server's words: "xlsx: 12 card(s), 3 refused".
      const run = /^([a-z0-9.-]+): (\d+) card\(s\)(?:, (\d+) refused)?$/.exec(event.detail);
      if (run) return t(run[3] ? 'audit.takeOutRefused' : 'audit.takeOutCount', { format: run[1]!, count: Number(run[2]), refused: Number(run[3] ?? 0) });
    }
    return event.detail;
  };

  return (
    <section className="dashboard-section" data-testid="team-audit">
      <h2>{t('team.audit')}</h2>
      <div className="audit-pick">
        <label>
          {t('team.auditPerson')}
          <select
            value={person}
            onChange={(e) => {
              setPerson(e.target.value);
              setCard(undefined);
            }}
            data-testid="audit-person"
          >
            <option value="">—</option>
            {members.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('team.auditCard')}
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('search.placeholder')} data-testid="audit-card-search" />
        </label>
        {matches.length > 0 ? (
          <ul className="audit-matches">
            {matches.map((row) => (
              <li key={row.id}>
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    setCard(row);
                    setPerson('');
                    setQuery('');
                  }}
                >
                  {row.name}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {card ? <p className="muted">{t('team.auditOfCard', { name: card.name })}</p> : null}
      {error ? <p className="error">{error}</p> : null}
      {events ? (
        events.length === 0 ? (
          <p className="muted">{t('team.noEvents')}</p>
        ) : (
          <table className="table" data-testid="audit-events">
            <thead>
              <tr>
                <th>{t('team.when')}</th>
                <th>{t('team.who')}</th>
                <th>{t('team.what')}</th>
                <th>{t('team.customer')}</th>
                <th>{t('team.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td>
                    {formatDate(language, event.at)} {new Date(event.at).toLocaleTimeString(language === 'zh-CN' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit' })}
                  </td>
                  <td>{event.user}</td>
                  <td>{isAuditAction(event.action) ? t(`audit.${event.action}`) : event.action}</td>
                  <td>{event.cardId ? names.get(event.cardId) ?? t('team.notOnDevice') : '—'}</td>
                  <td>{detailOf(event)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </section>
  );
}
