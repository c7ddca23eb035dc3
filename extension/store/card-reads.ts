/**
 * Reading cards: one card as a plain view (built from its stored Yjs state), index rows by id,
 * the card of an email's sender, search (an in-memory index per context, store/search-index.ts)
 * and lists. Rows are returned with their class as of the current cut-offs, and include the
 * rows still waiting outside the `cards` table (row-reads.ts).
 */
import type { CardIndexRow, CardView } from '../../shared/card-types.ts';
import { readCard } from '../../shared/card-read.ts';
import { domainOf, isFreeMailDomain, normalizeEmail } from '../../shared/email.ts';
import { aboutTermsOf, termsOf } from '../../shared/index-row.ts';
import { pinyinTermsOf } from '../../shared/pinyin.ts';
import { whereMatched } from '../../shared/search/where-matched.ts';
import { queryTerms } from '../../shared/search-terms.ts';
import type { ListOptions, WhoKnowsHit } from './api.ts';
import { readStates } from './db.ts';
import { listed } from './row-reads.ts';
import { createSearchIndex, type SearchIndex } from './search-index.ts';
import type { StoreContext } from './store-context.ts';

export interface CardReads {
  getCard(cardId: string): Promise<CardView | undefined>;
  getIndexRow(cardId: string): Promise<CardIndexRow | undefined>;
  matchSender(email: string): Promise<CardIndexRow | undefined>;
  search(query: string, limit?: number): Promise<CardIndexRow[]>;
  /** Loads the search index ahead of the first query (call when a search box gets focus). */
  prepareSearch(): void;
  listCards(options?: ListOptions): Promise<CardIndexRow[]>;
  countCards(): Promise<number>;
  allRows(): Promise<CardIndexRow[]>;
  whoKnows(query: string, limit?: number): Promise<WhoKnowsHit[]>;
}

/** A row's search terms, its pinyin computed here if the row came without (and pinyin-pro is loaded). */
function searchTermsOfRow(row: CardIndexRow): string[] {
  return termsOf(row.pinyin || !row.pinyinSource ? row : { ...row, pinyin: pinyinTermsOf(row.pinyinSource) });
}

export function createCardReads(ctx: StoreContext): CardReads {
  const { db, rows } = ctx;

  async function getCard(cardId: string): Promise<CardView | undefined> {
    const [row] = await readStates(db, [cardId]);
    if (!row) return undefined;
    const doc = ctx.loadDoc(row);
    const view = readCard(doc, cardId);
    doc.destroy();
    return view.fields.name ? view : undefined;
  }

  function newest(rows: CardIndexRow[]): CardIndexRow | undefined {
    return ctx.withClass(rows.filter((row) => row.name).sort((a, b) => b.updatedAt - a.updatedAt)[0]);
  }

  async function matchSender(rawEmail: string): Promise<CardIndexRow | undefined> {
    await ctx.cutoffsLoaded;
    const email = normalizeEmail(rawEmail);
    if (!email.includes('@')) return undefined;
    const byEmail = newest(await rows.withEmail(email));
    if (byEmail) return byEmail;
    let domain = domainOf(email);
    // mail.acme.com also matches acme.com; never a free-mail domain at any level.
    while (domain.includes('.')) {
      if (isFreeMailDomain(domain)) return undefined;
      const byDomain = newest(await rows.withDomain(domain));
      if (byDomain) return byDomain;
      domain = domain.slice(domain.indexOf('.') + 1);
      if (!domain.includes('.')) break;
    }
    return undefined;
  }

  /** The context's search index, loaded from the index rows on first use, then kept current. */
  let searchIndex: Promise<SearchIndex> | undefined;
  const staleIds = new Set<string>();
  function loadSearchIndex(): Promise<SearchIndex> {
    searchIndex ??= (async () => {
      const index = createSearchIndex();
      staleIds.clear();
      for (const row of await rows.all()) index.set(row.id, searchTermsOfRow(row), row.sortKey);
      return index;
    })();
    return searchIndex;
  }
  /** The "who knows about X" index (people's profiles, timeline texts): loaded on first use. */
  let aboutIndex: Promise<SearchIndex> | undefined;
  const staleAbout = new Set<string>();
  function loadAboutIndex(): Promise<SearchIndex> {
    aboutIndex ??= (async () => {
      const index = createSearchIndex();
      staleAbout.clear();
      for (const row of await rows.all()) index.set(row.id, aboutTermsOf(row), row.sortKey);
      return index;
    })();
    return aboutIndex;
  }
  ctx.listeners.add((ids) => {
    if (searchIndex) for (const id of ids) staleIds.add(id);
    if (aboutIndex) for (const id of ids) staleAbout.add(id);
  });
  ctx.onCardsReplaced.add(() => {
    searchIndex = undefined;
    aboutIndex = undefined;
  });

  /** Re-reads the rows of cards changed since the index was last brought up to date. */
  async function catchUp(index: SearchIndex, stale: Set<string>, termsFor: (row: CardIndexRow) => string[]): Promise<void> {
    if (stale.size === 0) return;
    const ids = [...stale];
    stale.clear();
    const found = await rows.bulkGet(ids);
    // A card merged into another leaves the index as a removed one does.
    found.forEach((row, i) => index.set(ids[i]!, row && listed(row) ? termsFor(row) : undefined, row?.sortKey));
  }

  async function whoKnows(query: string, limit = 20): Promise<WhoKnowsHit[]> {
    const terms = queryTerms(query).slice(0, 8);
    if (terms.length === 0) return [];
    await ctx.cutoffsLoaded;
    const index = await loadAboutIndex();
    await catchUp(index, staleAbout, aboutTermsOf);
    const ids = [...index.query(terms)].sort((a, b) => (index.sortKey(a) < index.sortKey(b) ? -1 : 1)).slice(0, limit);
    const hits: WhoKnowsHit[] = [];
    for (const row of await rows.bulkGet(ids)) {
      if (!row) continue;
      const view = await getCard(row.id);
      const matches = view ? whereMatched(view, query) : [];
      if (matches.length > 0) hits.push({ row: ctx.withClass(row), matches });
    }
    return hits;
  }

  async function search(query: string, limit = 20): Promise<CardIndexRow[]> {
    const terms = queryTerms(query).slice(0, 8);
    if (terms.length === 0) return [];
    await ctx.cutoffsLoaded;
    const index = await loadSearchIndex();
    await catchUp(index, staleIds, searchTermsOfRow);
    // Rank every match in memory (exact name, prefix, contains, other; then by name) and read
    // only the rows shown: a common word can match thousands of cards.
    const needle = query.trim().toLowerCase();
    const rank = (key: string) => (key === needle ? 0 : key.startsWith(needle) ? 1 : key.includes(needle) ? 2 : 3);
    const best: { id: string; rank: number; key: string }[] = [];
    const before = (a: { rank: number; key: string }, b: { rank: number; key: string }) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    // No card has every word: allow one typo per word (a letter wrong, missing, extra or swapped).
    let found = index.query(terms);
    if (found.size === 0) found = index.query(terms, { fuzzy: true });
    for (const id of found) {
      const key = index.sortKey(id);
      const entry = { id, rank: rank(key), key };
      if (best.length === limit && before(entry, best[limit - 1]!) >= 0) continue;
      let at = best.length;
      while (at > 0 && before(entry, best[at - 1]!) < 0) at--;
      best.splice(at, 0, entry);
      if (best.length > limit) best.pop();
    }
    const shown = await rows.bulkGet(best.map((entry) => entry.id));
    return shown.filter((row): row is CardIndexRow => row !== undefined).map((row) => ctx.withClass(row));
  }

  async function listRows(list: ListOptions): Promise<CardIndexRow[]> {
    const limit = list.limit ?? 100;
    const offset = list.offset ?? 0;
    const sort = list.sort ?? 'name';
    // The table's indexes order its own rows only: with rows waiting, all are sorted here.
    const waiting = await rows.anyWaiting();
    if (sort === 'updated' && !waiting) return db.cards.orderBy('updatedAt').reverse().filter(listed).offset(offset).limit(limit).toArray();
    if (sort === 'name' && !waiting) return db.cards.orderBy('sortKey').filter(listed).offset(offset).limit(limit).toArray();
    const all = await rows.all();
    switch (sort) {
      case 'updated':
        return all.sort((a, b) => b.updatedAt - a.updatedAt).slice(offset, offset + limit);
      case 'last-contact':
        return all.sort((a, b) => b.lastContact - a.lastContact).slice(offset, offset + limit);
      case 'next-due':
        return all.filter((row) => row.nextDue > 0).sort((a, b) => a.nextDue - b.nextDue).slice(offset, offset + limit);
      default:
        return all.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0)).slice(offset, offset + limit);
    }
  }

  return {
    getCard,
    async getIndexRow(cardId) {
      await ctx.cutoffsLoaded;
      return ctx.withClass(await rows.get(cardId));
    },
    matchSender,
    search,
    prepareSearch() {
      void loadSearchIndex();
    },
    async listCards(list = {}) {
      await ctx.cutoffsLoaded;
      return (await listRows(list)).map((row) => ctx.withClass(row));
    },
    async allRows() {
      await ctx.cutoffsLoaded;
      return (await rows.all()).map((row) => ctx.withClass(row));
    },
    whoKnows,
    countCards: () => rows.count(),
  };
}
