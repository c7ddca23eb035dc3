/**
 * Yjs client ids belong to devices. A Yjs update names the client id of every struct it adds;
 * a writer that adds structs under another user's id takes that user's next clock numbers, and
 * his later changes at those clocks are acknowledged but never stored. So the first user to
 * write under an id holds it (with the device that did), and the server refuses structs under
 * an id another user holds. Ids are claimed before the card is saved, so an id visible in a
 * stored card is always already held by its writer.
 *
 * Ids written before this rule existed (or by a server-side import) are held by no one yet: the
 * card's own change records tell whose they are. Records always had to name their sender, so a
 * stored record under an id names the user who wrote under it; only that user may claim it.
 */
import type { Storage } from '../storage/storage.ts';
import { claimBatchOf } from './claim-batch.ts';

export type ClientIdRefusal = { ok: false; code: 'foreign-client-id'; message: string };

const refusal = (client: number): ClientIdRefusal => ({
  ok: false,
  code: 'foreign-client-id',
  message: `The update writes as another device (Yjs client ${client}); a device writes only under its own client ids`,
});

/**
 * Claims `writers` for `user` on `device`; a refusal if any is another user's. `storedAuthors`:
 * for ids the card already had structs under, the authors of their stored records.
 */
export async function claimWriters(storage: Storage, writers: readonly number[], user: string, device: string, storedAuthors: Readonly<Record<number, readonly string[]>> = {}): Promise<ClientIdRefusal | undefined> {
  if (writers.length === 0) return undefined;
  const known = knownOwners(storage);
  // A held id never changes hands: once seen, it is answered from memory (a write costs no read).
  if (writers.every((client) => known.get(client) === user)) return undefined;
  const owners = await storage.clientOwners([...writers]);
  for (const [client, owner] of owners) remember(known, client, owner);
  for (const client of writers) {
    const owner = owners.get(client);
    if (owner !== undefined && owner !== user) return refusal(client);
    const authors = storedAuthors[client];
    if (owner === undefined && authors !== undefined && authors.some((author) => author !== user)) return refusal(client);
  }
  const fresh = writers.filter((client) => !owners.has(client));
  if (fresh.length === 0) return undefined;
  // With the claims of other writes checked meanwhile, in one transaction (claim-batch.ts).
  // Another user or instance may have claimed one of them in between: the database decides.
  const claimed = await claimBatchOf(storage).claim(fresh, user, device);
  for (const [client, owner] of claimed) remember(known, client, owner);
  for (const client of fresh) if (claimed.get(client) !== user) return refusal(client);
  return undefined;
}

/** Owners already read, per storage; bounded (a busy server forgets the oldest). */
const cache = new WeakMap<Storage, Map<number, string>>();
const CACHE_SIZE = 100_000;

function knownOwners(storage: Storage): Map<number, string> {
  let known = cache.get(storage);
  if (!known) cache.set(storage, (known = new Map()));
  return known;
}

function remember(known: Map<number, string>, client: number, owner: string): void {
  if (known.size >= CACHE_SIZE) known.delete(known.keys().next().value!);
  known.set(client, owner);
}
