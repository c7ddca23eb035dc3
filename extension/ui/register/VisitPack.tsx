/**
 * A visit pack: the chosen customers' cards, one A4 page each, to read before a round of visits
 * (DOMAIN.md §5: "remind reps to read the card before a visit"): base data, people, recent
 * contacts, open follow-ups, figures and what to ask. Sensitive fields are left out unless the
 * user includes them. Shown as a preview with its own print button.
 */
import { useCallback, useEffect, useState } from 'react';
import type { CardIndexRow, CardView } from '../../../shared/card-types.ts';
import { CONTACT_FIELDS, CONTACT_ROLES } from '../../../shared/contact-fields.ts';
import { unknownsOf } from '../../../shared/derive/unknowns.ts';
import { FIELDS } from '../../../shared/fields.ts';
import { formatDate, formatMoney, labelOf, personName, type MessageKey } from '../../i18n/index.ts';
import { formatValue } from '../card/format-value.ts';
import { PrintPortal, usePrintWhenReady } from '../common/PrintPortal.tsx';
import { useCustodyApi } from '../common/use-custody.ts';
import { askToTakeOut, takeOutRefusal } from '../export/take-out.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';
import { valueLabel } from './cells.ts';

export const VISIT_PACK_MAX = 50;
const RECENT = 5;

function PackSheet({ card, row, includeSensitive }: { card: CardView; row: CardIndexRow | undefined; includeSensitive: boolean }) {
  const { language, t } = useLanguage();
  const yesNo: [string, string] = [t('cardPage.yes'), t('cardPage.no')];
  const fields = FIELDS.filter((f) => f.key !== 'name' && (includeSensitive || !f.sensitive))
    .map((f) => ({ f, text: formatValue(language, f, card.fields[f.key], yesNo) }))
    .filter((x) => x.text);
  const unknowns = unknownsOf(card);
  return (
    <article className="print-sheet visit-sheet" data-testid="visit-sheet">
      <header className="visit-head">
        <h2>{String(card.fields.name)}</h2>
        <p className="muted">
          {[row?.cardNumber, row?.abc ? `${t('register.col.class')} ${row.abc}` : '', row ? valueLabel(language, 'stage', row.stage) : '', row?.owner ? personName(language, row.owner) : '', row?.keyCustomer ? '★' : ''].filter(Boolean).join(' · ')}
        </p>
      </header>
      {row ? (
        <section>
          <h3>{t('pack.figures')}</h3>
          <dl className="visit-grid">
            <div><dt>{t('register.col.receivables')}</dt><dd>{formatMoney(language, row.receivables)}</dd></div>
            <div><dt>{t('register.col.overdue')}</dt><dd className={row.overdue > 0 ? 'warn' : undefined}>{formatMoney(language, row.overdue)}</dd></div>
            <div><dt>{t('register.col.purchases12m')}</dt><dd>{formatMoney(language, row.purchases12m)}</dd></div>
            <div><dt>{t('register.col.lastContact')}</dt><dd>{row.lastContact ? formatDate(language, row.lastContact) : t('card.never')}</dd></div>
          </dl>
        </section>
      ) : null}
      <section>
        <h3>{t('cardPage.baseData')}</h3>
        <dl className="visit-grid">
          {fields.map(({ f, text }) => (
            <div key={f.key}><dt>{labelOf(language, f.label)}</dt><dd>{text}</dd></div>
          ))}
        </dl>
      </section>
      <section>
        <h3>{t('pack.people')}</h3>
        {card.contacts.map((person) => {
          const role = CONTACT_ROLES.find((r) => r.value === person.role);
          const profile = CONTACT_FIELDS.filter((f) => f.section !== 'basics' && (includeSensitive || !f.sensitive))
            .map((f) => ({ f, text: formatValue(language, f, person.profile[f.key], yesNo) }))
            .filter((x) => x.text);
          return (
            <div key={person.id} className="visit-person">
              <p>
                <strong>{person.name}</strong> {role ? `· ${labelOf(language, role.label)}` : ''} {person.phone ? `· ${person.phone}` : ''} {person.email ? `· ${person.email}` : ''}
              </p>
              {profile.length > 0 ? (
                <dl className="visit-grid">
                  {profile.map(({ f, text }) => (
                    <div key={f.key} data-sensitive={f.sensitive ? 'true' : undefined}><dt>{labelOf(language, f.label)}</dt><dd>{text}</dd></div>
                  ))}
                </dl>
              ) : null}
            </div>
          );
        })}
      </section>
      <section>
        <h3>{t('pack.recent')}</h3>
        {card.timeline.length === 0 ? <p className="muted">{t('card.timelineEmpty')}</p> : null}
        <ul className="visit-list">
          {card.timeline.slice(0, RECENT).map((entry) => (
            <li key={entry.id}>
              {formatDate(language, entry.at)} · {t(`kind.${entry.kind}` as MessageKey)} · {entry.text.slice(0, 200)}
            </li>
          ))}
        </ul>
      </section>
      {row && row.followUps.length > 0 ? (
        <section>
          <h3>{t('pack.followUps')}</h3>
          <ul className="visit-list">
            {row.followUps.map((f) => (
              <li key={f.entryId}>{formatDate(language, f.followUp)} · {f.text}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {unknowns.length > 0 ? (
        <section>
          <h3>{t('pack.unknowns')}</h3>
          <p>{unknowns.map((u) => `${u.contactName ? `${u.contactName}: ` : ''}${labelOf(language, u.label)}`).join(' · ')}</p>
        </section>
      ) : null}
    </article>
  );
}

export function VisitPack({ ids, rows, onClose }: { ids: readonly string[]; rows: ReadonlyMap<string, CardIndexRow>; onClose: () => void }) {
  const { t } = useLanguage();
  const store = useStore();
  const [cards, setCards] = useState<CardView[]>();
  const [includeSensitive, setIncludeSensitive] = useState(false);
  const api = useCustodyApi();
  /** The cards the server released for this print (undefined: not printing). */
  const [released, setReleased] = useState<ReadonlySet<string>>();
  const [notice, setNotice] = useState('');
  usePrintWhenReady(released !== undefined, useCallback(() => setReleased(undefined), []));

  /** A printed pack leaves the archive: only the cards the server lets out are printed, and it audits them. */
  async function print(): Promise<void> {
    if (!cards) return;
    const answer = await askToTakeOut(store, api, 'print', 'a4', cards.map((card) => card.id));
    if (!answer.ok) return setNotice(takeOutRefusal(t, answer));
    if (answer.allowed.length === 0) return setNotice(t('takeOut.nothing'));
    setNotice(answer.leftOut > 0 ? t('takeOut.leftOut', { count: answer.leftOut }) : '');
    setReleased(new Set(answer.allowed));
  }
  useEffect(() => {
    let live = true;
    void Promise.all(ids.slice(0, VISIT_PACK_MAX).map((id) => store.getCard(id))).then((views) => live && setCards(views.filter((v): v is CardView => v !== undefined)));
    return () => {
      live = false;
    };
  }, [store, ids]);
  return (
    <PrintPortal onScreen testId="visit-pack">
      <div className="print-tools">
        <strong>{t('register.visitPackTitle')}</strong>
        <label>
          <input type="checkbox" data-testid="pack-sensitive" checked={includeSensitive} onChange={(e) => setIncludeSensitive(e.target.checked)} /> {t('pack.includeSensitive')}
        </label>
        <button type="button" className="primary" data-testid="pack-print" onClick={() => void print()} disabled={!cards}>
          {t('pack.print')}
        </button>
        <button type="button" data-testid="pack-close" onClick={onClose}>
          {t('pack.close')}
        </button>
      </div>
      {notice ? (
        <p className="print-sheet no-print" role="status" data-testid="pack-notice">
          {notice}
        </p>
      ) : null}
      {cards ? cards.filter((card) => !released || released.has(card.id)).map((card) => <PackSheet key={card.id} card={card} row={rows.get(card.id)} includeSensitive={includeSensitive} />) : <p className="print-sheet muted">{t('pack.loading')}</p>}
    </PrintPortal>
  );
}
