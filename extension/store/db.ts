/**
 * The extension's one IndexedDB database (Dexie), in the extension's own origin — never in a
 * content script or a webmail origin. Owns the schema and its versions:
 *   cards    CardIndexRow per card: derived, denormalised fields for lists, search, matching
 *   docs     { id, state, seq }: the card's compacted Yjs state and the server seq it is synced to
 *            (kept apart from `cards` so listing 10,000 cards never reads the Yjs blobs)
 *   pending  the outbox: local Yjs updates not yet acknowledged by the sync server
 *   meta     key/value: device client id, sync cursor, settings
 * Keep old versions' declarations when adding a version; put migrations in `.upgrade()`.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { CardIndexRow } from '../../shared/card-types.ts';

export interface DocRow {
  id: string;
  state: Uint8Array;
  /** The highest server sequence number whose change this state includes (0: never synced). */
  seq: number;
}

export interface PendingRow {
  seq?: number;
  cardId: string;
  update: Uint8Array;
  createdAt: number;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

export type CardsDatabase = Dexie & {
  cards: EntityTable<CardIndexRow, 'id'>;
  docs: EntityTable<DocRow, 'id'>;
  pending: EntityTable<PendingRow, 'seq'>;
  meta: EntityTable<MetaRow, 'key'>;
};

export function openDatabase(name: string, indexedDB?: IDBFactory, keyRange?: typeof IDBKeyRange): CardsDatabase {
  const options: ConstructorParameters<typeof Dexie>[1] = { chromeTransactionDurability: 'strict' };
  if (indexedDB && keyRange) Object.assign(options, { indexedDB, IDBKeyRange: keyRange });
  const db = new Dexie(name, options) as CardsDatabase;
  db.version(1).stores({
    cards: 'id, sortKey, *emails, *domains, *terms, owner, nextDue, lastContact, updatedAt',
    docs: 'id',
    pending: '++seq, cardId',
    meta: 'key',
  });
  // v2: search terms are indexed in memory (store/search-index.ts), not in IndexedDB: the
  // multiEntry index cost ~60 index writes per card and made prefix queries slow at 10,000 cards.
  db.version(2).stores({
    cards: 'id, sortKey, *emails, *domains, owner, nextDue, lastContact, updatedAt',
  });
  return db;
}
