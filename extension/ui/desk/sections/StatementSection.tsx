/** The customer statement (客户往来明细表) for a date range, printable on its own. */
import { useEffect, useMemo, useState } from 'react';
import type { CardIndexRow, CardView } from '../../../../shared/card-types.ts';
import { customerStatement } from '../../../../shared/analysis/statement.ts';
import { momentOfInput } from '../../common/form-dates.ts';
import { useLanguage } from '../../common/use-language.tsx';
import { useStore } from '../../common/use-store.ts';
import { DeskSection } from '../DeskSection.tsx';
import { isoDate } from '../format.ts';

const DAY = 86_400_000;

export function StatementSection({ now }: { now: number }) {
  const { t } = useLanguage();
  const store = useStore();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<CardIndexRow[]>([]);
  const [card, setCard] = useState<CardView>();
  const [from, setFrom] = useState(`${new Date(now).getUTCFullYear()}-01-01`);
  const [to, setTo] = useState(isoDate(now));
  useEffect(() => {
    if (!query.trim()) return setFound([]);
    let live = true;
    const timer = setTimeout(() => void store.search(query, 8).then((rows) => live && setFound(rows)), 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [store, query]);
  const statement = useMemo(() => {
    const start = momentOfInput(from) ?? 0;
    const end = (momentOfInput(to) ?? now) + DAY - 1;
    return card ? customerStatement(card.ledger, start, end) : undefined;
  }, [card, from, to, now]);
  const choose = async (id: string) => {
    setCard(await store.getCard(id));
    setQuery('');
    setFound([]);
  };
  const item = (kind: string, products: string, note: string) => [kind === 'order' ? t('cardPage.order') : t('cardPage.payment'), products, note].filter(Boolean).join(' · ');
  const table = {
    header: [t('desk.statement.date'), t('desk.statement.item'), t('desk.statement.debit'), t('desk.statement.credit'), t('desk.statement.balance')],
    lines: statement
      ? [[from, t('desk.statement.opening'), '', '', statement.opening], ...statement.lines.map((l) => [isoDate(l.date), item(l.kind, l.products, l.note), l.debit || '', l.credit || '', l.balance])]
      : [],
    ...(statement ? { footer: [to, t('desk.statement.closing'), statement.debits, statement.credits, statement.closing] } : {}),
  };
  const controls = (
    <div className="desk-statement-pick">
      <input type="search" data-testid="statement-customer" placeholder={t('desk.statement.choose')} value={query} onChange={(e) => setQuery(e.target.value)} />
      {found.length > 0 ? (
        <ul>
          {found.map((row) => (
            <li key={row.id}>
              <button type="button" className="link" onClick={() => void choose(row.id)}>{row.name}</button>
            </li>
          ))}
        </ul>
      ) : null}
      <label>{t('desk.statement.from')} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
      <label>{t('desk.statement.to')} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} /></label>
    </div>
  );
  return <DeskSection id="statement" title={card ? `${t('desk.statement')} · ${String(card.fields.name)}` : t('desk.statement')} table={table} controls={controls} />;
}
