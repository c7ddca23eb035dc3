/**
 * A merge travels like any other change: the real device store merges two cards on one device
 * (extension/ui/register/merge-cards.ts), the real server accepts every update of it (nothing
 * refused), and the second device of the same rep receives the card kept with the retired
 * card's people, notes and orders, and the retired card out of its lists; an undo made there
 * comes back the same way.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCardStore, type CardStore } from '../../extension/store/card-store.ts';
import { storeSyncStorage } from '../../extension/sync/store-adapter.ts';
import { createSyncClient, type SyncClient } from '../../extension/sync/sync-client.ts';
import type { WebSocketClass } from '../../extension/sync/types.ts';
import { mergeCards, undoMerge } from '../../extension/ui/register/merge-cards.ts';
import { seededRandom } from '../../shared/random.ts';
import { addUser, newDataDir, openStorage, startServerProcess, waitUntil, type ServerProcess } from './helpers.ts';

let server: ServerProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = newDataDir();
  server = await startServerProcess(dataDir);
});

afterAll(async () => {
  await server?.stop();
});

function device(name: string, token: string, actor = 'rob'): { store: CardStore; client: SyncClient } {
  const store = createCardStore({ dbName: `cards-${name}`, actor: () => actor, indexedDB: new IDBFactory(), IDBKeyRange });
  const client = createSyncClient({ url: `${server.url}/sync`, token, WebSocket: WebSocket as unknown as WebSocketClass, storage: storeSyncStorage(store), backoff: { base: 50, cap: 400 }, random: seededRandom(7) });
  return { store, client };
}

describe('a merge between two devices', () => {
  it('reaches the second device whole, with nothing refused, and so does its undo', async () => {
    const one = device('merge-one', await addUser(dataDir, 'rob'));
    const two = device('merge-two', await addUser(dataDir, 'rob'));
    try {
      const made = async (name: string, email: string) => {
        const created = await one.store.mutate({ type: 'card-create', name, contact: { name: email.split('@')[0]!, email } });
        if (!created.ok) throw new Error(created.message);
        return created.value.cardId;
      };
      const kept = await made('华星电子', 'liuyang@huaxing.cn');
      const gone = await made('深圳华星电子有限公司', 'zhangwei@huaxing-elec.com.cn');
      expect((await one.store.mutate({ type: 'note-add', cardId: gone, text: '拜访：明年的订货计划', kind: 'visit' })).ok).toBe(true);
      expect((await one.store.mutate({ type: 'ledger-add', cardId: gone, kind: 'order', date: Date.now(), amount: 12_800 })).ok).toBe(true);
      one.client.pushNow();
      await waitUntil(async () => (await one.store.pendingCount()) === 0 && (await two.store.countCards()) === 2, 30_000, 'both cards on the second device');

      const merged = await mergeCards(one.store, kept, gone);
      if (!merged.ok) throw new Error(merged.message);
      // The extension's sync runner pushes on every local write; here the test does.
      one.client.pushNow();
      await waitUntil(async () => (await one.store.pendingCount()) === 0, 30_000, 'the merge sent');
      expect(await one.store.refusedCount()).toBe(0);
      await waitUntil(async () => (await two.store.countCards()) === 1, 30_000, 'the retired card out of the second device\'s lists');
      const there = await two.store.getCard(kept);
      expect(there?.contacts.map((c) => c.email).sort()).toEqual(['liuyang@huaxing.cn', 'zhangwei@huaxing-elec.com.cn']);
      expect(there?.timeline.map((e) => e.text)).toContain('拜访：明年的订货计划');
      expect(there?.ledger.map((e) => e.amount)).toEqual([12_800]);
      expect(there?.history.some((r) => r.mutation === 'card-merge' && r.merge?.from === gone && r.by === 'rob')).toBe(true);
      const retired = await two.store.getCard(gone);
      expect(retired?.fields.mergedInto).toBe(kept);
      expect((await two.store.listCards()).map((row) => row.id)).toEqual([kept]);
      expect((await two.store.matchSender('zhangwei@huaxing-elec.com.cn'))?.id).toBe(kept);

      // Undone on the second device: the first sees both cards again, the copies hidden.
      const undone = await undoMerge(two.store, merged.value);
      if (!undone.ok) throw new Error(undone.message);
      two.client.pushNow();
      await waitUntil(async () => (await two.store.pendingCount()) === 0, 30_000, 'the undo sent');
      expect(await two.store.refusedCount()).toBe(0);
      await waitUntil(async () => (await one.store.countCards()) === 2, 30_000, 'both cards listed again on the first device');
      expect((await one.store.getCard(kept))?.contacts.map((c) => c.email)).toEqual(['liuyang@huaxing.cn']);
    } finally {
      one.client.close();
      two.client.close();
      one.store.close();
      two.store.close();
    }
  }, 120_000);

  it("lets the team's manager merge a rep's two cards, accepted by the server and seen by the rep", async () => {
    const repToken = await addUser(dataDir, 'ruth');
    const managerToken = await addUser(dataDir, 'mona', 'manager');
    const storage = await openStorage(dataDir);
    try {
      await storage.addTeam('east');
      await storage.setUserTeam('ruth', 'east');
      await storage.setUserTeam('mona', 'east');
    } finally {
      await storage.close();
    }
    const rep = device('merge-rep', repToken, 'ruth');
    const manager = device('merge-manager', managerToken, 'mona');
    try {
      const ids: string[] = [];
      for (const name of ['西湖丝绸', '杭州西湖丝绸有限公司']) {
        const created = await rep.store.mutate({ type: 'card-create', name, fields: { businessNumber: '91330100MA2X00001Y' } });
        if (!created.ok) throw new Error(created.message);
        ids.push(created.value.cardId);
      }
      rep.client.pushNow();
      await waitUntil(async () => (await manager.store.countCards()) === 2, 30_000, "the rep's cards at the manager");
      const merged = await mergeCards(manager.store, ids[0]!, ids[1]!);
      if (!merged.ok) throw new Error(merged.message);
      manager.client.pushNow();
      await waitUntil(async () => (await manager.store.pendingCount()) === 0, 30_000, 'the merge sent');
      expect(await manager.store.refusedCount()).toBe(0);
      await waitUntil(async () => (await rep.store.countCards()) === 1, 30_000, 'the retired card out of the rep\'s lists');
      const record = (await rep.store.getCard(ids[0]!))?.history.find((r) => r.mutation === 'card-merge' && r.target.startsWith('merge:'));
      expect(record).toMatchObject({ by: 'mona', merge: { from: ids[1], into: ids[0] } });
    } finally {
      rep.client.close();
      manager.client.close();
      rep.store.close();
      manager.store.close();
    }
  }, 120_000);
});
