/**
 * Keeping two accounts' cards apart on one device. The extension works on one live database;
 * when the user chooses to keep the previous account's cards, everything that belongs to that
 * account (cards, states, packs, outbox, refused changes, class cut-offs, sync cursor and
 * identity) is copied into an archive database of its own, checked, and only then removed from
 * the live one. Signing in to that account again, on an empty live database, copies it back and
 * deletes the archive. The live database's meta keeps the list of archives ('accountArchives').
 */
import type { SyncIdentity } from '../sync/types.ts';
import type { CardsDatabase } from './db.ts';
import { countOutbox } from './outbox-packs.ts';

export interface ArchiveEntry {
  dbName: string;
  identity: SyncIdentity;
  cards: number;
  pending: number;
  at: number;
}

/** Meta keys that belong to the account, not to the device (settings, client id stay). */
/**
 * The account's own meta: kept apart with its cards. `clientId` is the device's Yjs client id for
 * this account: the server holds each id for the user who first wrote under it (sync-server/
 * checks/client-ids.ts), so the next account on this device takes a new one.
 */
export const ACCOUNT_META_KEYS = ['abcCutoffs', 'refusedChanges', 'setting:syncCursor', 'setting:syncIdentity', 'clientId'] as const;
const TABLES = ['cards', 'docs', 'packs', 'packRows', 'pending', 'refused'] as const;
const ARCHIVES = 'accountArchives';
const CHUNK = 500;

export function archiveName(liveName: string, identity: SyncIdentity): string {
  return `${liveName}@${identity.user}@${identity.server}#${identity.database}`;
}

function sameIdentity(a: SyncIdentity, b: SyncIdentity): boolean {
  return a.server === b.server && a.user === b.user && a.database === b.database;
}

export async function listArchives(live: CardsDatabase): Promise<ArchiveEntry[]> {
  return ((await live.meta.get(ARCHIVES))?.value as ArchiveEntry[] | undefined) ?? [];
}

/** Copies every table and the account's meta from one database into another, a chunk at a time. */
async function copyAccount(from: CardsDatabase, to: CardsDatabase): Promise<void> {
  for (const name of TABLES) {
    const source = from.table(name);
    const target = to.table(name);
    let offset = 0;
    for (;;) {
      const rows = await source.offset(offset).limit(CHUNK).toArray();
      if (rows.length === 0) break;
      await target.bulkPut(rows);
      offset += rows.length;
    }
  }
  const meta = await from.meta.bulkGet([...ACCOUNT_META_KEYS]);
  await to.meta.bulkPut(meta.filter((row) => row !== undefined));
}

async function counts(db: CardsDatabase): Promise<number[]> {
  return Promise.all(TABLES.map((name) => db.table(name).count()));
}

/**
 * Moves the live database's account into an archive of its own (verified by counting every
 * table), then empties the live database of it. Returns the archive's entry.
 */
export async function archiveAccount(live: CardsDatabase, liveName: string, identity: SyncIdentity, open: (name: string) => CardsDatabase): Promise<ArchiveEntry> {
  const dbName = archiveName(liveName, identity);
  const archive = open(dbName);
  try {
    await copyAccount(live, archive);
    const [want, got] = await Promise.all([counts(live), counts(archive)]);
    if (want.some((n, i) => got[i] !== n)) throw new Error('The copy of this account’s cards is incomplete; nothing was removed');
    const entry: ArchiveEntry = { dbName, identity, cards: want[0]!, pending: await countOutbox(live), at: Date.now() };
    await live.transaction('rw', [...TABLES.map((name) => live.table(name)), live.meta], async () => {
      await Promise.all(TABLES.map((name) => live.table(name).clear()));
      await live.meta.bulkDelete([...ACCOUNT_META_KEYS]);
      const others = (await listArchives(live)).filter((other) => other.dbName !== dbName);
      await live.meta.put({ key: ARCHIVES, value: [...others, entry] });
    });
    return entry;
  } finally {
    archive.close();
  }
}

/**
 * Brings an account's archived cards back into an empty live database and deletes the archive.
 * Resolves with the entry restored, or undefined when there is none for `identity`.
 */
export async function restoreAccount(live: CardsDatabase, identity: SyncIdentity, open: (name: string) => CardsDatabase): Promise<ArchiveEntry | undefined> {
  const entry = (await listArchives(live)).find((other) => sameIdentity(other.identity, identity));
  if (!entry) return undefined;
  const archive = open(entry.dbName);
  try {
    await copyAccount(archive, live);
    await live.meta.put({ key: ARCHIVES, value: (await listArchives(live)).filter((other) => other.dbName !== entry.dbName) });
  } finally {
    archive.close();
  }
  await archive.delete();
  return entry;
}
