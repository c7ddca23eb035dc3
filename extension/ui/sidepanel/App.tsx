/** The side panel: the sender's card beside the open email, search, quick notes, the due list and the inbox (what waits on a manager, decisions for a rep). */
import { useEffect, useState } from 'react';
import { LanguageSwitch } from '../common/LanguageSwitch.tsx';
import { SyncStatusLine } from '../common/SyncStatusLine.tsx';
import { useLanguage } from '../common/use-language.tsx';
import { useStore, useStoreVersion } from '../common/use-store.ts';
import { CardSummary } from './CardSummary.tsx';
import { useDueFeed } from '../../reminders/due-feed.ts';
import { useInboxFeed } from '../../inbox/inbox-feed.ts';
import { DecisionsList, InboxList } from '../inbox/InboxList.tsx';
import { DueList } from './DueList.tsx';
import { EmptyStore } from './EmptyStore.tsx';
import { LogEmailButton } from './LogEmailButton.tsx';
import { SearchResults } from './SearchResults.tsx';
import { UnknownSender } from './UnknownSender.tsx';
import { useActiveSender } from './use-active-sender.ts';
import { useCard, useIndexRow } from './use-card.ts';
import { useSenderCard } from './use-sender-match.ts';

/** The number of cards: the worker's last count (the due feed) at once, then the store's own. */
function useCardCount(published: number | undefined): number | undefined {
  const store = useStore();
  const version = useStoreVersion();
  const [count, setCount] = useState<number>();
  useEffect(() => {
    void store.countCards().then(setCount);
  }, [store, version]);
  return count ?? published;
}

function SenderView({ picked, onPick }: { picked: string | undefined; onPick: (id: string | undefined) => void }) {
  const { t } = useLanguage();
  const { sender, ready } = useActiveSender();
  const match = useSenderCard(picked ? undefined : sender?.email);
  const pickedCard = useCard(picked);
  const pickedRow = useIndexRow(picked);
  const now = Date.now();

  if (picked) {
    const { card, loading } = pickedCard;
    return (
      <>
        {sender ? (
          <button type="button" className="link back" onClick={() => onPick(undefined)}>
            {t('panel.backToSender')}
          </button>
        ) : null}
        {card ? <CardSummary card={card} row={pickedRow} now={now} /> : loading ? <p className="muted">{t('panel.loading')}</p> : null}
      </>
    );
  }
  if (!ready || (sender && !match.ready)) return <p className="muted">{t('panel.loading')}</p>;
  if (!sender) {
    return (
      <section className="no-message" data-testid="no-message">
        <p>{t('panel.noMessage')}</p>
        <p className="muted">{t('panel.noMessageHint')}</p>
      </section>
    );
  }
  if (!match.row) return <UnknownSender sender={sender} onCreated={() => onPick(undefined)} />;
  const card = match.card;
  if (!card) return <p className="muted">{t('panel.loading')}</p>;
  return (
    <>
      <CardSummary card={card} row={match.row} senderEmail={sender.email} matchedBy={match.by} now={now}>
        <LogEmailButton key={`${card.id}-${sender.url}-${sender.subject}`} cardId={card.id} sender={sender} />
      </CardSummary>
    </>
  );
}

/** The keyboard shortcut's message: focus the quick note of the card on show. */
function useQuickNoteShortcut(): void {
  useEffect(() => {
    const onMessage = (message: { type?: string }) => {
      if (message?.type === 'focus-quick-note') document.getElementById('quick-note')?.focus();
    };
    chrome.runtime.onMessage.addListener(onMessage);
    if (new URLSearchParams(location.search).get('focus') === 'quick-note') setTimeout(() => document.getElementById('quick-note')?.focus(), 300);
    return () => chrome.runtime.onMessage.removeListener(onMessage);
  }, []);
}

export function App() {
  const { t } = useLanguage();
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<string | undefined>();
  const [showDue, setShowDue] = useState(false);
  const [showInbox, setShowInbox] = useState(false);
  const inbox = useInboxFeed(showInbox);
  const waiting = inbox?.items.length ?? 0;
  const store = useStore();
  const due = useDueFeed();
  const count = useCardCount(due?.cards);
  const dueNow = due?.dueNow ?? 0;
  useQuickNoteShortcut();

  return (
    <div className="panel">
      <header className="panel-top">
        <input
          type="search"
          className="search"
          data-testid="search"
          placeholder={t('search.placeholder')}
          value={query}
          onFocus={() => store.prepareSearch()}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setQuery('');
          }}
        />
        <button
          type="button"
          className={`due-toggle${dueNow > 0 ? ' has-due' : ''}`}
          onClick={() => {
            setShowDue(!showDue);
            setShowInbox(false);
          }}
          data-testid="due-toggle"
          aria-pressed={showDue}
        >
          {showDue ? t('due.back') : dueNow > 0 ? t('due.count', { count: dueNow }) : t('due.title')}
        </button>
        {inbox?.user && (inbox.decides || inbox.decisions.length > 0) ? (
          <button
            type="button"
            className={`due-toggle${waiting > 0 ? ' has-due' : ''}`}
            onClick={() => {
              setShowInbox(!showInbox);
              setShowDue(false);
            }}
            data-testid="inbox-toggle"
            aria-pressed={showInbox}
          >
            {showInbox ? t('due.back') : waiting > 0 ? t('inbox.count', { count: waiting }) : inbox.decides ? t('inbox.tab') : t('decisions.title')}
          </button>
        ) : null}
      </header>
      <main className="panel-main">
        {showInbox && !query.trim() ? (
          <>
            {inbox?.decides ? (
              <InboxList
                feed={inbox}
                compact
                onOpenCard={(id) => {
                  setPicked(id);
                  setShowInbox(false);
                }}
                onOpenTeam={() => void chrome.tabs.create({ url: chrome.runtime.getURL('/dashboard.html?tab=team#team') })}
              />
            ) : null}
            <DecisionsList
              feed={inbox}
              onOpenCard={(id) => {
                setPicked(id);
                setShowInbox(false);
              }}
            />
          </>
        ) : showDue && !query.trim() ? (
          <DueList
            items={due?.items ?? []}
            total={due?.total ?? 0}
            onMore={() => void chrome.tabs.create({ url: chrome.runtime.getURL('/dashboard.html') })}
            onOpen={(id) => {
              setPicked(id);
              setShowDue(false);
            }}
          />
        ) : query.trim() ? (
          <SearchResults
            query={query.trim()}
            onPick={(id) => {
              setPicked(id);
              setQuery('');
            }}
          />
        ) : (
          <SenderView picked={picked} onPick={setPicked} />
        )}
        {count === 0 && !query.trim() ? <EmptyStore /> : null}
      </main>
      <footer className="panel-footer">
        <SyncStatusLine />
        <div className="panel-footer-row">
          <span className="muted">{count === undefined ? '' : count === 1 ? t('panel.cardCountOne') : t('panel.cardCount', { count })}</span>
          <button type="button" className="link" onClick={() => void chrome.tabs.create({ url: chrome.runtime.getURL('/dashboard.html') })} data-testid="open-dashboard">
            {t('dashboard.open')}
          </button>
          <button type="button" className="link" onClick={() => void chrome.tabs.create({ url: chrome.runtime.getURL('/settings.html') })} data-testid="open-settings">
            {t('sync.settings')}
          </button>
          <LanguageSwitch />
        </div>
      </footer>
    </div>
  );
}
