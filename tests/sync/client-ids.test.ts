/**
 * Yjs client ids claimed in batches (sync-server/checks/claim-batch.ts), on the backend under
 * test: writes checked at the same moment claim their ids in one transaction; an id two users
 * claim in one batch goes to the first, and the second is refused; an id already held is
 * refused to anyone else, in a batch or alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimWriters } from '../../sync-server/checks/client-ids.ts';
import type { Storage } from '../../sync-server/storage/storage.ts';
import { newDataDir, openStorage } from './helpers.ts';

describe('client ids claimed in batches', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage(newDataDir());
  });
  afterAll(async () => {
    await storage?.close();
  });

  it('claims many writes’ ids together; of two claims of one id at once exactly one wins, the other is refused', async () => {
    const results = await Promise.all([
      claimWriters(storage, [101, 102], 'amy', 'dev-a'),
      claimWriters(storage, [201], 'bob', 'dev-b'),
      claimWriters(storage, [301], 'amy', 'dev-a'),
      claimWriters(storage, [301, 202], 'bob', 'dev-b'),
    ]);
    expect(results.slice(0, 2)).toEqual([undefined, undefined]);
    // Which of the two claims of 301 reaches the store first is a race (each first reads the
    // owners): exactly one is refused, and the id is the other's.
    const refused = [results[2], results[3]].filter((result) => result !== undefined);
    expect(refused).toMatchObject([{ ok: false, code: 'foreign-client-id' }]);
    const winner = results[2] === undefined ? 'amy' : 'bob';
    const owners = await storage.clientOwners([101, 102, 201, 301]);
    expect(Object.fromEntries(owners)).toEqual({ 101: 'amy', 102: 'amy', 201: 'bob', 301: winner });
  });

  it('an id held already is refused to another user, and accepted again for its holder', async () => {
    expect(await claimWriters(storage, [201], 'amy', 'dev-a')).toMatchObject({ code: 'foreign-client-id' });
    expect(await claimWriters(storage, [201], 'bob', 'dev-b2')).toBeUndefined();
  });
});
