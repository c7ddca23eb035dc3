import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildIndexRow } from '../../shared/index-row.ts';
import { storeSyncStorage } from '../sync/store-adapter.ts';
import { createCardStore, type CardStore } from './card-store.ts';

const stores: CardStore[] = [];
function makeStore(indexedDB = new IDBFactory(), actor = 'alice'): CardStore {
  const store = createCardStore({ dbName: 'test', actor: () => actor, indexedDB, IDBKeyRange });
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

async function created(store: CardStore, name: string, email: string, domains?: string[]): Promise<string> {
  const result = await store.mutate({ type: 'card-create', name, contact: { name: 'X', email }, ...(domains ? { domains } : {}) });
  if (!result.ok) throw new Error(result.message);
  return result.value.cardId;
}

describe('card store', () => {
  it('creates, reads and persists a card with a note across reopening', async () => {
    const idb = new IDBFactory();
    const store = makeStore(idb);
    const id = await created(store, '金鼎贸易有限公司', 'li.na@jinding-trading.cn');
    expect((await store.mutate({ type: 'note-add', cardId: id, text: '下周拜访' })).ok).toBe(true);
    store.close();
    const reopened = makeStore(idb);
    const card = await reopened.getCard(id);
    expect(card?.fields.name).toBe('金鼎贸易有限公司');
    expect(card?.timeline[0]?.text).toBe('下周拜访');
    expect((await reopened.getIndexRow(id))?.timelineCount).toBe(1);
  });

  it('returns typed errors and writes nothing for bad input', async () => {
    const store = makeStore();
    expect(await store.mutate({ type: 'note-add', cardId: 'missing', text: 'x' })).toMatchObject({ ok: false, code: 'unknown-card' });
    expect(await store.mutate({ type: 'card-create', name: '' })).toMatchObject({ ok: false, code: 'empty-name' });
    expect(await store.countCards()).toBe(0);
    expect(await store.pendingCount()).toBe(0);
  });

  it('matches a sender by email, then by company domain, never by free-mail domain', async () => {
    const store = makeStore();
    const jinding = await created(store, '金鼎贸易有限公司', 'li.na@jinding-trading.cn');
    const freemail = await created(store, 'Wang Studio', 'wang@qq.com');
    expect((await store.matchSender('LI.NA@jinding-trading.cn'))?.id).toBe(jinding);
    expect((await store.matchSender('someone.else@jinding-trading.cn'))?.id).toBe(jinding);
    expect((await store.matchSender('x@mail.jinding-trading.cn'))?.id).toBe(jinding);
    expect((await store.matchSender('wang@qq.com'))?.id).toBe(freemail);
    expect(await store.matchSender('stranger@qq.com')).toBeUndefined();
    expect(await store.matchSender('nobody@unknown.example')).toBeUndefined();
  });

  it('searches Chinese and English names, emails and domains', async () => {
    const store = makeStore();
    const huaxing = await created(store, '深圳华星电子有限公司', 'zhangwei@huaxing-elec.com.cn');
    const keller = await created(store, 'Keller Maschinenbau GmbH', 'm.keller@keller-maschinen.de');
    expect((await store.search('华星电子')).map((r) => r.id)).toEqual([huaxing]);
    expect((await store.search('kell')).map((r) => r.id)).toEqual([keller]);
    expect((await store.search('huaxing-elec.com.cn')).map((r) => r.id)).toEqual([huaxing]);
    expect(await store.search('不存在')).toEqual([]);
    const later = await created(store, '杭州西湖丝绸有限公司', 'zhoumin@xihu-silk.cn');
    expect((await store.search('西湖丝绸')).map((r) => r.id)).toEqual([later]);
    await store.mutate({ type: 'card-set-field', cardId: later, field: 'name', value: '杭州丝路贸易有限公司' });
    expect(await store.search('西湖丝绸')).toEqual([]);
  });

  it('keeps local updates in the outbox until acknowledged', async () => {
    const store = makeStore();
    const id = await created(store, 'Acme', 'bo@acme.com');
    await store.mutate({ type: 'note-add', cardId: id, text: 'hello' });
    const pending = await store.takePending(10);
    expect(pending.map((p) => p.cardId)).toEqual([id, id]);
    await store.ackPending([pending[0]!.seq]);
    expect(await store.pendingCount()).toBe(1);
  });

  it('merges two devices editing different fields offline', async () => {
    const deviceA = makeStore(new IDBFactory(), 'alice');
    const deviceB = makeStore(new IDBFactory(), 'bob');
    const id = await created(deviceA, 'Acme', 'bo@acme.com');
    const initial = await deviceA.takePending(10);
    await deviceB.applyRemoteUpdates(initial.map((p) => ({ cardId: p.cardId, update: p.update, serverSeq: 1 })));
    await deviceA.ackPending(initial.map((p) => p.seq));
    await deviceA.mutate({ type: 'card-set-field', cardId: id, field: 'city', value: '苏州' });
    await deviceB.mutate({ type: 'card-set-field', cardId: id, field: 'phone', value: '0512-1234567' });
    const fromA = await deviceA.takePending(10);
    const fromB = await deviceB.takePending(10);
    await deviceA.applyRemoteUpdates(fromB.map((p) => ({ cardId: p.cardId, update: p.update })));
    await deviceB.applyRemoteUpdates(fromA.map((p) => ({ cardId: p.cardId, update: p.update })));
    const a = await deviceA.getCard(id);
    const b = await deviceB.getCard(id);
    expect(a).toEqual(b);
    expect(a?.fields.city).toBe('苏州');
    expect(a?.fields.phone).toBe('0512-1234567');
    expect(a?.history.filter((r) => r.mutation === 'card-set-field').map((r) => r.by).sort()).toEqual(['alice', 'bob']);
  });

  it('keeps its Yjs client id stable, so edits do not grow the state vector', async () => {
    const store = makeStore();
    const id = await created(store, 'Acme', 'bo@acme.com');
    for (let i = 0; i < 5; i++) await store.mutate({ type: 'note-add', cardId: id, text: `n${i}` });
    const vector = (await store.stateVectors([id])).get(id)!;
    expect(Y.decodeStateVector(vector).size).toBe(1);
  });

  it('imports in batches and rebuilds the index from the Yjs state', async () => {
    const store = makeStore();
    const seeds = Array.from({ length: 1200 }, (_, i) => ({ create: { type: 'card-create' as const, name: `Company ${i}`, contact: { name: `P ${i}`, email: `p${i}@c${i}.com` } } }));
    expect(await store.importCards(seeds)).toMatchObject({ ok: true, value: { imported: 1200 } });
    expect(await store.countCards()).toBe(1200);
    expect(await store.rebuildIndex()).toBe(1200);
    expect((await store.matchSender('p777@c777.com'))?.name).toBe('Company 777');
    const bad = await store.importCards([{ create: { type: 'card-create', name: '' } }]);
    expect(bad).toMatchObject({ ok: false, code: 'empty-name' });
    expect(await store.countCards()).toBe(1200);
  });
});

describe('changes the server refuses', () => {
  it('keeps a change refused in passing (busy) in the outbox, to be sent again', async () => {
    const store = makeStore();
    await created(store, 'Acme', 'bo@acme.com');
    const [entry] = await store.takePending(10);
    expect(await store.refusePending(entry!.seq, 'busy', 'The card kept changing while this change was checked')).toBe('later');
    expect(await store.refusePending(entry!.seq, 'server-error', 'The server could not store this change')).toBe('later');
    expect((await store.takePending(10)).map((row) => row.seq)).toEqual([entry!.seq]);
    expect(await store.refusedChanges()).toEqual([]);
  });

  it('replaces an update by the whole card once for missing dependencies, then keeps a refused change on record', async () => {
    const store = makeStore();
    const id = await created(store, 'Acme', 'bo@acme.com');
    await store.mutate({ type: 'note-add', cardId: id, text: 'second change' });
    const [first, second] = await store.takePending(10);
    expect(await store.refusePending(second!.seq, 'missing-dependencies', 'The update depends on changes the server does not have')).toBe('retry');
    const [, resent] = await store.takePending(10);
    expect(resent?.seq).toBe(second!.seq);
    expect(resent!.update.byteLength).toBeGreaterThan(second!.update.byteLength);
    // The whole state refused again, or refused for another reason: out of the outbox, on record.
    expect(await store.refusePending(second!.seq, 'missing-dependencies', 'still')).toBe('dropped');
    expect(await store.refusePending(first!.seq, 'not-found', 'No such card, or no right to change it')).toBe('dropped');
    expect(await store.pendingCount()).toBe(0);
    expect((await store.refusedChanges()).map((r) => [r.cardId, r.code])).toEqual([
      [id, 'missing-dependencies'],
      [id, 'not-found'],
    ]);
    // The local card keeps both changes.
    expect((await store.getCard(id))?.timeline[0]?.text).toBe('second change');
  });
});

describe('search ranking', () => {
  it('ranks every match, not only the first few hundred: exact name, then prefix, then by name', async () => {
    const store = makeStore();
    const seeds = Array.from({ length: 400 }, (_, i) => ({ create: { type: 'card-create' as const, name: `华星电子第${400 - i}分公司` } }));
    expect((await store.importCards([...seeds, { create: { type: 'card-create', name: '分公司' } }])).ok).toBe(true);
    const found = await store.search('分公司', 3);
    expect(found.map((row) => row.name)).toEqual(['分公司', '华星电子第100分公司', '华星电子第101分公司']);
  });
});

describe('cards received from the server', () => {
  it('takes a DOCS row as its UTF-8 bytes through the sync adapter, and builds the row when the bytes are empty or not UTF-8', async () => {
    const a = makeStore();
    const id = await created(a, '深圳华星电子有限公司', 'zhangwei@huaxing-elec.com.cn', ['huaxing-elec.com.cn']);
    const state = Y.mergeUpdates((await a.takePending(10)).map((p) => p.update));
    const bytes = new TextEncoder().encode(JSON.stringify({ ...buildIndexRow((await a.getCard(id))!, Date.now()), name: '只有服务器的行 Server row' }));
    const rowAfter = async (row: Uint8Array) => {
      const store = makeStore();
      await storeSyncStorage(store).applyRemote([{ cardId: id, update: state, serverSeq: 3, row, whole: true }]);
      return (await store.getIndexRow(id))?.name;
    };
    expect(await rowAfter(bytes)).toBe('只有服务器的行 Server row');
    expect(await rowAfter(new Uint8Array(0))).toBe('深圳华星电子有限公司');
    const broken = bytes.slice();
    broken[bytes.indexOf(0x22) + 1] = 0xc3;
    expect(await rowAfter(broken)).toBe('深圳华星电子有限公司');
  });

  it('stores a new card with the server’s row as is, and builds the row itself when the row is not usable', async () => {
    const a = makeStore();
    const id = await created(a, '深圳华星电子有限公司', 'zhangwei@huaxing-elec.com.cn', ['huaxing-elec.com.cn']);
    await a.mutate({ type: 'ledger-add', cardId: id, kind: 'order', date: Date.now() - 40 * 86_400_000, amount: 1200 });
    const state = Y.mergeUpdates((await a.takePending(10)).map((p) => p.update));
    const view = (await a.getCard(id))!;
    const serverRow = { ...buildIndexRow(view, Date.now() - 100 * 86_400_000), name: 'Name only the server row has' };

    const b = makeStore();
    await b.applyRemoteUpdates([{ cardId: id, update: state, serverSeq: 7, row: serverRow }]);
    const row = await b.getIndexRow(id);
    // Taken from the server's row, with the date-dependent fields brought up to today.
    expect(row).toMatchObject({ name: 'Name only the server row has', stage: 'first-deal', overdue: 1200, purchases12m: 1200 });
    expect((await b.getCard(id))?.fields.name).toBe('深圳华星电子有限公司');
    expect((await b.search('华星')).map((r) => r.id)).toEqual([id]);

    const c = makeStore();
    await c.applyRemoteUpdates([{ cardId: id, update: state, serverSeq: 7, row: { ...serverRow, version: 1 } }]);
    expect((await c.getIndexRow(id))?.name).toBe('深圳华星电子有限公司');

    // A first sync into an empty store writes without looking for local copies.
    const d = makeStore();
    await d.applyRemoteUpdates([{ cardId: id, update: state, serverSeq: 7, row: serverRow }], { knownNew: true });
    await d.flushWrites();
    expect(await d.getIndexRow(id)).toMatchObject({ name: 'Name only the server row has', overdue: 1200 });
    expect((await d.getCard(id))?.ledger).toHaveLength(1);
    expect((await d.stateVectors([id])).size).toBe(1);
    // A change is written over the packed state; the rebuilt index counts the card once.
    expect((await d.mutate({ type: 'note-add', cardId: id, text: '已寄样品' })).ok).toBe(true);
    expect((await d.getCard(id))?.timeline[0]?.text).toBe('已寄样品');
    expect(await d.rebuildIndex()).toBe(1);
    expect(await d.getIndexRow(id)).toMatchObject({ name: '深圳华星电子有限公司', timelineCount: 1 });
  });

  it('refreshes rows from the rows alone, and rebuilds the index when the row version changed', async () => {
    const idb = new IDBFactory();
    const store = makeStore(idb);
    const id = await created(store, 'Acme', 'bo@acme.com');
    expect(await store.ensureIndexVersion()).toBe(true);
    expect(await store.ensureIndexVersion()).toBe(false);
    await store.refreshRows();
    expect((await store.getIndexRow(id))?.stage).toBe('stranger');
  });
});

describe('a first sync’s rows, kept beside its pack until they are moved into the index', () => {
  it('every reader (here and in another context) sees every card; a row written meanwhile is not overwritten', async () => {
    const source = makeStore();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await created(source, `Packed ${i} Ltd`, `p${i}@packed${i}.com`, [`packed${i}.com`]));
    const pending = await source.takePending(100);
    const updates = await Promise.all(
      ids.map(async (id) => ({
        cardId: id,
        update: Y.mergeUpdates(pending.filter((p) => p.cardId === id).map((p) => p.update)),
        serverSeq: 1,
        row: buildIndexRow((await source.getCard(id))!, Date.now()),
        whole: true,
      })),
    );
    const idb = new IDBFactory();
    const worker = makeStore(idb);
    const panel = makeStore(idb);
    await worker.applyRemoteUpdates(updates, { knownNew: true });
    await worker.flushWrites();
    // Changed before anything read the rows: the newer row stays.
    expect((await worker.mutate({ type: 'card-set-field', cardId: ids[1]!, field: 'city', value: '宁波' })).ok).toBe(true);
    expect(await panel.countCards()).toBe(3);
    expect((await panel.matchSender('p2@packed2.com'))?.id).toBe(ids[2]);
    expect((await panel.search('Packed')).map((r) => r.id).sort()).toEqual([...ids].sort());
    // A number under three digits is not indexed; the query's own is dropped, not required.
    expect((await panel.search('Packed 0 Ltd', 1)).map((r) => r.id)).toEqual([ids[0]]);
    expect((await worker.getIndexRow(ids[1]!))?.city).toBe('宁波');
    expect((await worker.listCards()).map((r) => r.name)).toEqual(['Packed 0 Ltd', 'Packed 1 Ltd', 'Packed 2 Ltd']);
  });
});

describe('demo data', () => {
  it('imports the 50 sample customers, and the demo webmail senders match', async () => {
    const { demoSeeds } = await import('../../shared/demo-data.ts');
    const store = makeStore();
    const result = await store.importCards(demoSeeds(Date.UTC(2026, 10, 22)));
    expect(result).toMatchObject({ ok: true, value: { imported: 50 } });
    expect((await store.matchSender('li.na@jinding-trading.cn'))?.name).toBe('金鼎贸易有限公司');
    expect((await store.matchSender('m.keller@keller-maschinen.de'))?.name).toBe('Keller Maschinenbau GmbH');
    expect(await store.matchSender('olivia.brandt@nordlicht-optik.de')).toBeUndefined();
  });
});

describe('classification in the index', () => {
  it('recomputes ABC across cards when an order is added, and a hand-set class wins', async () => {
    const store = makeStore();
    const big = await created(store, 'Big Buyer', 'a@big.com');
    const small = await created(store, 'Small Buyer', 'a@small.com');
    expect((await store.getIndexRow(big))?.stage).toBe('stranger');
    const today = Date.now();
    await store.mutate({ type: 'ledger-add', cardId: big, kind: 'order', date: today - 86_400_000, amount: 9000 });
    await store.mutate({ type: 'ledger-add', cardId: small, kind: 'order', date: today - 86_400_000, amount: 1000 });
    expect((await store.getIndexRow(big))?.abc).toBe('A');
    expect((await store.getIndexRow(small))?.abc).toBe('C');
    expect((await store.getIndexRow(big))?.stage).toBe('first-deal');
    expect((await store.getIndexRow(big))?.receivables).toBe(9000);
    expect(await store.mutate({ type: 'card-set-field', cardId: small, field: 'abcOverride', value: 'A' })).toMatchObject({ ok: false, code: 'reason-required' });
    await store.mutate({ type: 'card-set-field', cardId: small, field: 'abcOverride', value: 'A', reason: 'Strategic account' });
    const row = await store.getIndexRow(small);
    expect(row).toMatchObject({ abc: 'A', abcDerived: 'C', abcOverride: 'A' });
  });
});

describe('classification settings', () => {
  it('derives the stage with the user’s dormant days and ABC with the user’s thresholds', async () => {
    const store = makeStore();
    const id = await created(store, 'Quiet Buyer', 'q@quiet.com');
    const other = await created(store, 'Other Buyer', 'o@other.com');
    await store.mutate({ type: 'ledger-add', cardId: id, kind: 'order', date: Date.now() - 40 * 86_400_000, amount: 800 });
    await store.mutate({ type: 'ledger-add', cardId: other, kind: 'order', date: Date.now() - 40 * 86_400_000, amount: 200 });
    expect((await store.getIndexRow(id))?.stage).toBe('first-deal');
    expect((await store.getIndexRow(other))?.abc).toBe('B');
    await store.setSetting('classification', { abc: { a: 0.95, b: 0.99 }, stage: { dormantDays: 30, lostDays: 400 } });
    await store.rebuildIndex();
    expect((await store.getIndexRow(id))?.stage).toBe('dormant');
    expect((await store.getIndexRow(other))?.abc).toBe('A');
  });
});

describe('classes on a fixed clock, and with the clock moved on', () => {
  it('an order dated now counts at once (A); thirteen months later the card falls to C', async () => {
    let clock = Date.UTC(2026, 10, 3, 1, 15); // early morning UTC, before any local noon
    const idb = new IDBFactory();
    const store = createCardStore({ dbName: 'clock', actor: () => 'alice', indexedDB: idb, IDBKeyRange, now: () => clock });
    stores.push(store);
    const big = await created(store, 'Big Buyer', 'a@big-buyer.com');
    const small = await created(store, 'Small Buyer', 'a@small-buyer.com');
    await store.mutate({ type: 'ledger-add', cardId: big, kind: 'order', date: clock, amount: 90_000_000 });
    await store.mutate({ type: 'ledger-add', cardId: small, kind: 'order', date: clock - 30 * 86_400_000, amount: 1_000 });
    expect(await store.getIndexRow(big)).toMatchObject({ abc: 'A', purchases12m: 90_000_000 });
    expect((await store.getIndexRow(small))?.abc).toBe('C');
    clock += 396 * 86_400_000;
    await store.refreshRows();
    expect(await store.getIndexRow(big)).toMatchObject({ abc: 'C', purchases12m: 0 });
  });
});

describe('what the sync leaves in the store', () => {
  it('a live change to a card the device does not hold is never stored as its whole state', async () => {
    const source = new Y.Doc();
    const { applyMutation } = await import('../../shared/mutations.ts');
    const id = '00000000-0000-4000-8000-0000000000aa';
    applyMutation(source, { type: 'card-create', name: 'Whole Card Ltd', contact: { name: 'Li', email: 'li@whole-card.cn' } }, { actor: 'a', now: Date.now(), newId: () => crypto.randomUUID() }, id);
    const whole = Y.encodeStateAsUpdate(source);
    const before = Y.encodeStateVector(source);
    applyMutation(source, { type: 'note-add', cardId: id, text: 'live change' }, { actor: 'a', now: Date.now(), newId: () => crypto.randomUUID() }, id);
    const change = Y.encodeStateAsUpdate(source, before);
    const store = makeStore();
    const { readCard } = await import('../../shared/card-read.ts');
    const wholeDoc = new Y.Doc();
    Y.applyUpdate(wholeDoc, whole);
    const row = buildIndexRow(readCard(wholeDoc, id), Date.now());
    // The change arrives first (a live UPDATE), then the whole state in a first sync's pack,
    // as the race of earlier versions left it: both must be read.
    await store.applyRemoteUpdates([{ cardId: id, update: change, serverSeq: 2 }]);
    await store.applyRemoteUpdates([{ cardId: id, update: whole, serverSeq: 1, whole: true, row }], { knownNew: true });
    await store.flushWrites();
    const card = await store.getCard(id);
    expect(card?.fields.name).toBe('Whole Card Ltd');
    expect(card?.timeline.map((e) => e.text)).toEqual(['live change']);
  });

  it('refused changes can be retried (back into the outbox) and the account’s cards forgotten', async () => {
    const store = makeStore();
    const id = await created(store, 'Refused Ltd', 'r@refused.com');
    const [pending] = await store.takePending(1);
    expect(await store.refusePending(pending!.seq, 'not-found', 'No such card')).toBe('dropped');
    expect(await store.pendingCount()).toBe(0);
    expect(await store.refusedChanges()).toMatchObject([{ cardId: id, code: 'not-found' }]);
    expect(await store.retryRefused()).toBe(1);
    expect(await store.pendingCount()).toBe(1);
    expect(await store.refusedChanges()).toEqual([]);
    expect(await store.queueWholeStates()).toBe(1);
    expect(await store.pendingCount()).toBe(2);
    await store.forgetAllCards();
    expect(await store.countCards()).toBe(0);
    expect(await store.pendingCount()).toBe(0);
    expect(await store.getCard(id)).toBeUndefined();
  });

  it('refuses a change that would make a card larger than the server takes, and saves nothing', async () => {
    const store = makeStore();
    const id = await created(store, 'Full Card Ltd', 'f@full-card.com');
    const long = 'x'.repeat(4000);
    let result: Awaited<ReturnType<CardStore['mutate']>> = { ok: true, value: { cardId: id } };
    for (let i = 0; i < 200 && result.ok; i++) result = await store.mutate({ type: 'note-add', cardId: id, text: `${i} ${long}` });
    expect(result).toMatchObject({ ok: false, code: 'card-full', params: { max: 512 } });
    const notes = (await store.getCard(id))!.timeline.length;
    expect(await store.mutate({ type: 'note-add', cardId: id, text: long })).toMatchObject({ ok: false, code: 'card-full' });
    expect((await store.getCard(id))!.timeline.length).toBe(notes);
  });
});

describe('another account’s cards kept apart', () => {
  it('gives the next account on this device a Yjs client id of its own, and the first one its id back', async () => {
    const idb = new IDBFactory();
    const store = makeStore(idb);
    const writerOf = async () => {
      const [pending] = await store.takePending(1);
      return [...Y.decodeStateVector(Y.encodeStateVectorFromUpdate(pending!.update)).keys()];
    };
    const alice = { server: 'ws://a.example', user: 'alice', database: 'db-1' };
    await store.setSetting('syncIdentity', alice);
    await created(store, 'Alice Ltd', 'a@alice-ltd.com');
    const [aliceId] = await writerOf();
    await store.keepAccountApart(alice);
    await created(store, 'Bob Ltd', 'b@bob-ltd.com');
    const [bobId] = await writerOf();
    expect(bobId).toBeDefined();
    expect(bobId).not.toBe(aliceId);
    await store.forgetAllCards();
    await store.restoreAccount(alice);
    const id = (await store.listCards({ sort: 'name' }))[0]!.id;
    await store.mutate({ type: 'note-add', cardId: id, text: 'back again' });
    const writers = new Set<number>();
    for (const pending of await store.takePending(10)) for (const client of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(pending.update)).keys()) writers.add(client);
    expect([...writers]).toEqual([aliceId]);
  });

  it('moves every card, state and outbox entry into an archive, and brings them back whole', async () => {
    const idb = new IDBFactory();
    const store = makeStore(idb);
    const id = await created(store, 'Kept Apart Ltd', 'k@kept-apart.com', ['kept-apart.com']);
    await store.mutate({ type: 'note-add', cardId: id, text: '留待以后' });
    await store.setSetting('syncCursor', 42);
    const alice = { server: 'ws://a.example', user: 'alice', database: 'db-1' };
    await store.setSetting('syncIdentity', alice);
    const before = { card: await store.getCard(id), pending: await store.pendingCount() };
    const entry = await store.keepAccountApart(alice);
    expect(entry).toMatchObject({ identity: alice, cards: 1, pending: before.pending });
    expect(await store.countCards()).toBe(0);
    expect(await store.pendingCount()).toBe(0);
    expect(await store.getSetting('syncCursor')).toBeUndefined();
    expect(await store.matchSender('k@kept-apart.com')).toBeUndefined();
    expect(await store.accountArchives()).toHaveLength(1);
    expect(await store.restoreAccount({ ...alice, user: 'bob' })).toBeUndefined();
    expect(await store.restoreAccount(alice)).toMatchObject({ cards: 1 });
    expect(await store.getCard(id)).toEqual(before.card);
    expect(await store.pendingCount()).toBe(before.pending);
    expect(await store.getSetting('syncCursor')).toBe(42);
    expect((await store.matchSender('k@kept-apart.com'))?.id).toBe(id);
    expect(await store.accountArchives()).toEqual([]);
  });

  it('another context’s search follows when the cards are kept apart and come back', async () => {
    const idb = new IDBFactory();
    const worker = makeStore(idb);
    const panel = makeStore(idb);
    const id = await created(worker, 'Wandering Cards Ltd', 'w@wandering.com');
    const alice = { server: 'ws://a.example', user: 'alice', database: 'db-1' };
    const found = async () => (await panel.search('Wandering')).map((row) => row.id);
    const until = async (want: string[]) => {
      for (let i = 0; i < 100 && JSON.stringify(await found()) !== JSON.stringify(want); i++) await new Promise((r) => setTimeout(r, 10));
      expect(await found()).toEqual(want);
    };
    // The panel builds its search index while the cards are apart, then they come back.
    await worker.keepAccountApart(alice);
    await until([]);
    await worker.restoreAccount(alice);
    await until([id]);
    await worker.forgetAllCards();
    await until([]);
  });
});
