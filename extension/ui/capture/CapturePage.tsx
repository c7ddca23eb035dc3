/** The capture picker: save a page selection into a card, or make a card from the page. */
import { useEffect, useState } from 'react';
import type { CardIndexRow, ContactView } from '../../../shared/card-types.ts';
import { isFreeMailDomain, isValidDomain } from '../../../shared/email.ts';
import { PENDING_CAPTURE_KEY, type PendingCapture } from '../../messaging/messages.ts';
import { errorMessage, formatDate } from '../../i18n/index.ts';
import { LogContact } from '../common/LogContact.tsx';
import { useCardAccess } from '../common/card-access.tsx';
import { useLanguage } from '../common/use-language.tsx';
import { useColleagueLookup } from '../common/use-colleague-lookup.ts';
import { useStore } from '../common/use-store.ts';

function companyFromTitle(title: string): string {
  return title.split(/\s[-|–—·:]\s/)[0]?.trim().slice(0, 200) ?? '';
}

/** One card to save the selection into; a card the user may not change is shown, not offered. */
function CaptureResult({ row, onPick }: { row: CardIndexRow; onPick: (row: CardIndexRow) => void }) {
  const { language, t } = useLanguage();
  const { access, signedIn } = useCardAccess(row.id, row.owner || undefined, false);
  const meta = [row.primaryContact, row.city].filter(Boolean).join(' · ');
  if (signedIn && !access.write)
    return (
      <div className="result read-only" data-testid="capture-read-only">
        <span className="result-name">{row.name}</span>
        <span className="result-meta">{access.loan ? t('access.readOnlyLoan', { date: formatDate(language, access.loan.until) }) : t('access.readOnlyUnknown')}</span>
      </div>
    );
  return (
    <button type="button" className="result" onClick={() => onPick(row)} data-testid="capture-pick">
      <span className="result-name">{row.name}</span>
      <span className="result-meta">{meta}</span>
    </button>
  );
}

function SelectionCapture({ pending }: { pending: PendingCapture }) {
  const store = useStore();
  const { language, t } = useLanguage();
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<CardIndexRow[]>([]);
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();
  // "Log as a contact": the picked card's one-step contact form, the selection as what was said.
  const [asContact, setAsContact] = useState(false);
  const [logging, setLogging] = useState<{ row: CardIndexRow; people: ContactView[] }>();
  useEffect(() => {
    void (query.trim() ? store.search(query.trim(), 10) : store.listCards({ sort: 'updated', limit: 10 })).then(setRows);
  }, [store, query]);
  const pick = async (row: CardIndexRow) => {
    if (!asContact) return save(row);
    const card = await store.getCard(row.id);
    setLogging({ row, people: card?.contacts ?? [] });
  };
  const save = async (row: CardIndexRow) => {
    const result = await store.mutate({ type: 'note-add', cardId: row.id, kind: 'note', text: pending.text, sourceUrl: pending.url, sourceTitle: pending.title });
    setStatus(result.ok ? { ok: true, text: t('capture.saved', { name: row.name }) } : { ok: false, text: errorMessage(language, result) });
    if (result.ok) setTimeout(() => window.close(), 1200);
  };
  return (
    <>
      <h1>{t('capture.title')}</h1>
      <p className="label">{t('capture.selection')}</p>
      <blockquote className="captured" data-testid="captured-text">{pending.text}</blockquote>
      <p className="muted source">
        {t('capture.from')}: {pending.title || pending.url}
      </p>
      <p className="capture-as" role="radiogroup">
        <label>
          <input type="radio" name="capture-as" checked={!asContact} onChange={() => (setAsContact(false), setLogging(undefined))} /> {t('capture.asNote')}
        </label>
        <label>
          <input type="radio" name="capture-as" checked={asContact} onChange={() => setAsContact(true)} data-testid="capture-as-contact" /> {t('capture.asContact')}
        </label>
      </p>
      {logging ? (
        <>
          <p className="label">{logging.row.name}</p>
          <LogContact
            cardId={logging.row.id}
            people={logging.people}
            initialText={pending.text}
            source={{ url: pending.url, title: pending.title }}
            onCancel={() => setLogging(undefined)}
            onLogged={() => {
              setLogging(undefined);
              setStatus({ ok: true, text: t('capture.logged', { name: logging.row.name }) });
              setTimeout(() => window.close(), 1200);
            }}
          />
        </>
      ) : null}
      <input type="search" className="search" placeholder={t('search.placeholder')} value={query} onChange={(e) => setQuery(e.target.value)} data-testid="capture-search" autoFocus />
      <p className="label">{query.trim() ? t('capture.pick') : t('capture.recent')}</p>
      <ul className="results">
        {rows.map((row) => (
          <li key={row.id}>
            <CaptureResult row={row} onPick={(picked) => void pick(picked)} />
          </li>
        ))}
      </ul>
      {status ? (
        <p className={status.ok ? 'saved' : 'error'} role="status" data-testid="capture-status">
          {status.text}
        </p>
      ) : null}
    </>
  );
}

function CreateFromPage({ pending }: { pending: PendingCapture }) {
  const store = useStore();
  const { language, t } = useLanguage();
  const url = new URL(pending.url);
  const [name, setName] = useState(companyFromTitle(pending.title) || url.hostname);
  const [domain, setDomain] = useState(url.hostname.replace(/^www\./, ''));
  const [error, setError] = useState<string>();
  // A colleague may own this company already: say so before a second card is made.
  const colleague = useColleagueLookup('', domain.trim().toLowerCase(), 400);
  const create = async () => {
    const useDomain = isValidDomain(domain) && !isFreeMailDomain(domain);
    const result = await store.mutate({ type: 'card-create', name, domains: useDomain ? [domain] : [], fields: { website: url.origin } });
    if (!result.ok) return setError(errorMessage(language, result));
    location.href = chrome.runtime.getURL(`/card.html?id=${encodeURIComponent(result.value.cardId)}`);
  };
  return (
    <form
      className="create-form"
      onSubmit={(event) => {
        event.preventDefault();
        void create();
      }}
    >
      <h1>{t('capture.createTitle')}</h1>
      <label>
        <span>{t('capture.company')}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} data-testid="capture-company" />
      </label>
      <label>
        <span>{t('capture.domain')}</span>
        <input value={domain} onChange={(e) => setDomain(e.target.value)} data-testid="capture-domain" />
      </label>
      <p className="muted">
        {t('capture.website')}: {url.origin}
      </p>
      {colleague ? (
        <p className="hint warning" data-testid="capture-owned-elsewhere">
          {colleague.readable ? t('capture.alreadyKnown', { name: colleague.name, owner: colleague.owner }) : colleague.owner ? t('custody.createWarning', { owner: colleague.owner }) : t('custody.createWarningContested')}
        </p>
      ) : null}
      {error ? <p className="error" role="alert">{error}</p> : null}
      <button type="submit" className="primary wide" data-testid="capture-create">
        {t('capture.create')}
      </button>
    </form>
  );
}

export function CapturePage() {
  const { t } = useLanguage();
  const [pending, setPending] = useState<PendingCapture | null>();
  useEffect(() => {
    void chrome.storage.session.get(PENDING_CAPTURE_KEY).then((items) => setPending((items[PENDING_CAPTURE_KEY] as PendingCapture | undefined) ?? null));
  }, []);
  if (pending === undefined) return null;
  return (
    <main className="capture">
      {pending === null ? <p>{t('capture.nothing')}</p> : pending.mode === 'create' ? <CreateFromPage pending={pending} /> : <SelectionCapture pending={pending} />}
    </main>
  );
}
