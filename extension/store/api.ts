/**
 * The typed boundary between the UI / background and the local store. The UI calls these
 * operations; it never imports dexie or yjs. Implemented by extension/store/card-store.ts.
 */
import type { Backup } from '../../shared/backup/backup-format.ts';
import type { CardIndexRow, CardView } from '../../shared/card-types.ts';
import type { Result } from '../../shared/errors.ts';
import type { ExistingCard, ImportPlan } from '../../shared/import/types.ts';
import type { CardSeed, Mutation } from '../../shared/mutations-types.ts';
import type { RestoreOptions, RestoreReport } from './backup.ts';
import type { ImportOutcome, ImportRunOptions } from './import-writes.ts';

export type { ImportOutcome, ImportProgress, ImportRunOptions, PrebuiltCards } from './import-writes.ts';
export type { PrebuiltRows, RestoreOptions, RestoreReport } from './backup.ts';
import type { WhereMatched } from '../../shared/search/where-matched.ts';

/** A card found by "who knows about X", with where on it the query matched. */
export interface WhoKnowsHit {
  row: CardIndexRow;
  matches: WhereMatched[];
}

export interface ListOptions {
  limit?: number;
  offset?: number;
  /** Sort by: 'name' (default), 'updated', 'next-due', 'last-contact'. */
  sort?: 'name' | 'updated' | 'next-due' | 'last-contact';
}

export interface CardStoreApi {
  /** Runs a named mutation; for card-create the value is the new card's id. */
  mutate(mutation: Mutation): Promise<Result<{ cardId: string }>>;
  /** A plain snapshot of one card, or undefined if no such card is stored. */
  getCard(cardId: string): Promise<CardView | undefined>;
  getIndexRow(cardId: string): Promise<CardIndexRow | undefined>;
  /** The card for a sender: exact contact email first, then company domain (never free-mail). */
  matchSender(email: string): Promise<CardIndexRow | undefined>;
  /**
   * Search by name, trade name, contact name, email, domain, city, phone digits, 统一编号; Chinese
   * by its characters or pinyin (full, initials, mixed); one typo per word when nothing matches.
   */
  search(query: string, limit?: number): Promise<CardIndexRow[]>;
  listCards(options?: ListOptions): Promise<CardIndexRow[]>;
  /** Every card's row (the register and the analyses work on all of them in memory). */
  allRows(): Promise<CardIndexRow[]>;
  /** "Who knows about X": people's profiles and timeline notes, never a sensitive field. */
  whoKnows(query: string, limit?: number): Promise<WhoKnowsHit[]>;
  countCards(): Promise<number>;
  /** Calls back with the ids of cards changed by any extension context; returns an unsubscribe. */
  onChange(callback: (cardIds: string[]) => void): () => void;
  /** Loads the search index ahead of the first query (call when a search box gets focus). */
  prepareSearch(): void;
  /** New cards made with the named mutations (sample data), a batch per transaction. */
  importCards(seeds: CardSeed[]): Promise<Result<{ imported: number; ids: string[] }>>;
  /** The sample customers (sample-cards.ts), made as this device's user; remembered so they can be removed in one step. */
  loadSampleCards(now: number): Promise<Result<{ imported: number; ids: string[] }>>;
  /** How many sample customers this device holds. */
  sampleCardCount(): Promise<number>;
  /** Existing cards to check an import's duplicates against (统一编号 only when asked: it reads every card). */
  importCandidates(withBusinessNumbers: boolean): Promise<ExistingCard[]>;
  /** Stores an import plan all or nothing (one transaction); cancelling leaves nothing behind. */
  runImport(plan: ImportPlan, options?: ImportRunOptions): Promise<Result<ImportOutcome>>;
  /** Many whole cards at once, for exports. */
  readCards(ids: readonly string[], onProgress?: (done: number, total: number) => void): Promise<CardView[]>;
  /**
   * Runs `work` (a large export) with this context's background upkeep (moving waiting rows,
   * recomputing classes, filling pinyin) put off until it ends, so the work gets the CPU.
   */
  holdUpkeep<T>(work: () => Promise<T>): Promise<T>;
  /** The stored Yjs states of many cards, for reading them off the store (a large export). */
  readCardStates(ids: readonly string[]): Promise<Map<string, Uint8Array>>;
  /** Every card's Yjs state and the user's settings (never the sync connection). */
  createBackup(onProgress?: (done: number, total: number) => void): Promise<Backup>;
  /** Merges a backup into the store; says how many cards were new, merged, unchanged. */
  restoreBackup(backup: Backup, onProgress?: (done: number, total: number) => void, options?: RestoreOptions): Promise<Result<RestoreReport>>;
  getSetting<T>(key: string): Promise<T | undefined>;
  setSetting(key: string, value: unknown): Promise<void>;
}
