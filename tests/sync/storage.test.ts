/**
 * The storage interface itself, on the backend of the project (SQLite in `e2e`, PostgreSQL in
 * `postgres`): users and tokens, the check-and-save of cards, the feed's order, transactions
 * that roll back, the append-only audit, and the log staying gap-free while several stores
 * (other processes, other instances) write at once and a reader follows it as a connection does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../sync-server/storage/storage.ts';
import { BACKEND, newDataDir, openStorage, rawSql } from './helpers.ts';

const bytes = (...values: number[]) => new Uint8Array(values);
const ALL = { all: true, owners: [], cardIds: [] };

let dataDir: string;
let storage: Storage;

beforeAll(async () => {
  dataDir = newDataDir();
  storage = await openStorage(dataDir);
});
afterAll(async () => {
  await storage.close();
});

describe(`storage on ${BACKEND}`, () => {
  it('keeps teams, users and tokens: valid, revoked, and disabled with their user', async () => {
    await storage.addTeam('north');
    await storage.addUser('amy', 'manager', 'north');
    await storage.addUser('ben', 'rep', null);
    expect(await storage.teamExists('north')).toBe(true);
    expect(await storage.teamExists('south')).toBe(false);
    expect(await storage.listTeams()).toEqual([{ name: 'north', members: 1 }]);
    await storage.addToken('hash-amy', 'amy');
    await storage.addToken('hash-ben', 'ben');
    expect(await storage.tokenStatus('hash-amy')).toEqual({ state: 'valid', user: { name: 'amy', role: 'manager', team: 'north', disabled: false }, tokenHash: 'hash-amy' });
    expect(await storage.revokeToken('hash-nobody')).toBe(false);
    expect(await storage.revokeToken('hash-amy')).toBe(true);
    expect(await storage.tokenStatus('hash-amy')).toBeUndefined();
    await storage.disableUser('ben');
    expect(await storage.tokenStatus('hash-ben')).toEqual({ state: 'disabled', user: 'ben' });
    expect((await storage.listUsers()).map((u) => [u.name, u.disabled, u.tokens])).toEqual([
      ['amy', false, 0],
      ['ben', true, 0],
    ]);
    await storage.setUserTeam('ben', 'north');
    expect(await storage.teamMembers('north')).toEqual(['amy', 'ben']);
  });

  it('saves a card only if it is still as the writer read it', async () => {
    const first = await storage.saveCard('card-a', bytes(1), 'amy', 1, JSON.stringify({ emails: ['Li@Acme.cn'] }), 1, null);
    expect(first).toBeGreaterThan(0);
    // Created meanwhile by someone else: the second creator must read and merge.
    expect(await storage.saveCard('card-a', bytes(2), 'ben', 1, '', 1, null)).toBeUndefined();
    expect(await storage.saveCard('card-a', bytes(2), 'ben', 1, '', 1, { seq: first! - 1, owner: 'amy' })).toBeUndefined();
    expect(await storage.saveCard('card-a', bytes(2), 'ben', 1, '', 1, { seq: first!, owner: 'ben' })).toBeUndefined();
    const second = await storage.saveCard('card-a', bytes(1, 2), 'ben', 2, JSON.stringify({ domains: ['acme.cn'] }), 1, { seq: first!, owner: 'amy' });
    expect(second).toBe(first! + 1);
    expect(await storage.getCard('card-a')).toEqual({ id: 'card-a', owner: 'amy', state: bytes(1, 2), seq: second });
    expect(await storage.cardsByKey({ domain: 'ACME.cn' })).toEqual(['card-a']);
    expect(await storage.cardsByKey({ email: 'li@acme.cn' })).toEqual([]);
    // A row computed from an older state is not written.
    await storage.setRow('card-a', JSON.stringify({ emails: ['old@acme.cn'] }), 1, first!);
    expect(await storage.cardsByKey({ email: 'old@acme.cn' })).toEqual([]);
    await storage.setRow('card-a', JSON.stringify({ emails: ['new@acme.cn'] }), 1, second!);
    expect(await storage.cardsByKey({ email: 'new@acme.cn' })).toEqual(['card-a']);
    // A write that keeps the card's emails and domains keeps its lookup keys; one that changes them moves them.
    const third = await storage.saveCards([{ id: 'card-a', state: bytes(1, 2, 3), by: 'amy', updateBytes: 1, row: JSON.stringify({ name: 'Acme Trading', emails: ['new@acme.cn'] }), rowVersion: 1, expected: { seq: (await storage.getCard('card-a'))!.seq, owner: 'amy' } }]);
    expect(await storage.cardsByKey({ email: 'new@acme.cn' })).toEqual(['card-a']);
    await storage.saveCards([{ id: 'card-a', state: bytes(1, 2, 3, 4), by: 'amy', updateBytes: 1, row: JSON.stringify({ name: 'Acme', domains: ['acme.com'] }), rowVersion: 1, expected: { seq: third[0]!, owner: 'amy' } }]);
    expect(await storage.cardsByKey({ email: 'new@acme.cn' })).toEqual([]);
    expect(await storage.cardsByKey({ domain: 'acme.com' })).toEqual(['card-a']);
  });

  it('gives a reader its feed in log order: cards in scope, its grants with the card, its revokes', async () => {
    const top = await storage.maxSeq();
    await storage.importCards([
      { id: 'card-b', owner: 'ben', state: bytes(3) },
      { id: 'card-c', owner: 'amy', state: bytes(4), row: '{}', rowVersion: 1 },
    ]);
    await storage.logAccess([{ cardId: 'card-b', reader: 'carl', kind: 'grant' }, { cardId: 'card-a', reader: 'carl', kind: 'revoke' }], 'amy');
    expect(await storage.maxSeq()).toBe(top + 4);
    const feed = await storage.feed(top, { all: false, owners: ['amy'], cardIds: [] }, 'carl', 100);
    expect(feed.map((e) => [e.kind, e.logSeq, e.id])).toEqual([
      ['put', top + 2, 'card-c'],
      ['put', top + 3, 'card-b'],
      ['revoke', top + 4, 'card-a'],
    ]);
    expect(await storage.countFeed(top, { all: false, owners: ['amy'], cardIds: [] }, 'carl')).toBe(3);
    expect((await storage.feed(0, ALL, 'nobody', 2)).map((e) => e.id)).toEqual(['card-a', 'card-b']);
    expect((await storage.cardsWithoutRow(1, 10)).map((c) => c.id)).toEqual(['card-b']);
  });

  it('rolls a transaction back whole, seqs included, and nested calls join it', async () => {
    const top = await storage.maxSeq();
    const version = await storage.accessVersion();
    await expect(
      storage.transaction(async (tx) => {
        await tx.logAccess([{ cardId: 'card-b', reader: 'dora', kind: 'grant' }], 'amy');
        await tx.bumpAccessVersion();
        await tx.transaction((inner) => inner.setOwner('card-b', 'amy'));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await storage.maxSeq()).toBe(top);
    expect(await storage.accessVersion()).toBe(version);
    expect((await storage.getCard('card-b'))?.owner).toBe('ben');
    await storage.transaction(async (tx) => {
      await tx.logAccess([{ cardId: 'card-b', reader: 'dora', kind: 'grant' }], 'amy');
      await tx.bumpAccessVersion();
    });
    expect(await storage.maxSeq()).toBe(top + 1);
    expect(await storage.accessVersion()).toBe(version + 1);
  });

  it('keeps loans, proposals and handovers', async () => {
    const loan = { cardId: 'card-a', borrower: 'ben', reason: 'visit', requestedAt: 1, wantedUntil: 5_000, status: 'active' as const, write: true, approver: 'amy', decidedAt: 2, decisionReason: 'ok', until: 5_000, endedAt: null };
    const id = await storage.addLoan(loan);
    expect(await storage.getLoan(id)).toEqual({ id, ...loan });
    expect(await storage.activeLoans({ borrower: 'ben' }, 1_000)).toEqual([{ cardId: 'card-a', borrower: 'ben', until: 5_000, write: true }]);
    expect(await storage.activeLoans({}, 6_000)).toEqual([]);
    expect((await storage.dueLoans(6_000)).map((l) => l.id)).toEqual([id]);
    await storage.updateLoan({ ...loan, id, status: 'ended', endedAt: 6_000 });
    expect(await storage.listLoans({ cardIds: ['card-a'], status: ['ended'] })).toHaveLength(1);
    const proposal = { cardId: 'card-a', field: 'creditRating', value: '"A"', reason: 'r', by: 'ben', at: 3, status: 'open' as const, decider: null, decidedAt: null, decisionReason: null };
    const pid = await storage.addProposal(proposal);
    await storage.updateProposal({ ...proposal, id: pid, status: 'approved', decider: 'amy', decidedAt: 4, decisionReason: 'fine' });
    expect((await storage.listProposals({ by: 'ben' }))[0]).toMatchObject({ id: pid, status: 'approved', decider: 'amy' });
    const handover = { from: 'ben', to: 'amy', reason: 'leave', kind: 'cover' as const, until: 10, by: 'amy', at: 5, cardIds: ['card-b'], returnedAt: null };
    const hid = await storage.addHandover(handover);
    expect(await storage.dueCovers(11)).toEqual([{ id: hid, ...handover }]);
    await storage.updateHandover({ id: hid, ...handover, returnedAt: 12 });
    expect(await storage.dueCovers(11)).toEqual([]);
    expect(await storage.listHandovers({ user: 'ben' })).toHaveLength(1);
  });

  it('appends to the audit and refuses to change or delete what is there', async () => {
    await storage.audit([
      { at: 1, user: 'amy', token: 'abcd1234', action: 'read', cardId: 'card-a', detail: 'own' },
      { at: 2, user: 'amy', token: '', action: 'team-add', cardId: null, detail: 'north' },
    ]);
    expect((await storage.auditOf({ user: 'amy' })).map((e) => e.action)).toEqual(['team-add', 'read']);
    expect(await storage.auditOf({ cardId: 'card-a' })).toMatchObject([{ user: 'amy', token: 'abcd1234', cardId: 'card-a', detail: 'own' }]);
    await expect(rawSql(dataDir, "UPDATE audit SET detail = 'nothing happened'")).rejects.toThrow(/append-only/);
    await expect(rawSql(dataDir, 'DELETE FROM audit')).rejects.toThrow(/append-only/);
    expect(await storage.auditOf({ user: 'amy' })).toHaveLength(2);
  });

  it('saves many cards in one batch: one range of the log in their order, a card no longer as read left out', async () => {
    const top = await storage.maxSeq();
    const before = await storage.saveCard('batch-old', bytes(1), 'zoe', 1, '', 1, null);
    const save = (id: string, state: Uint8Array, expected: { seq: number; owner: string } | null) => ({ id, state, by: 'zed', updateBytes: 1, row: JSON.stringify({ emails: [`${id}@batch.cn`] }), rowVersion: 1, expected });
    const seqs = await storage.saveCards([
      save('batch-1', bytes(1), null),
      save('batch-old', bytes(9), { seq: before! - 1, owner: 'zoe' }),
      save('batch-2', bytes(2), null),
      save('batch-3', bytes(3), null),
    ]);
    expect(seqs).toEqual([top + 2, undefined, top + 3, top + 4]);
    expect(await storage.maxSeq()).toBe(top + 4);
    expect(await storage.getCard('batch-old')).toMatchObject({ owner: 'zoe', state: bytes(1), seq: before });
    expect(await storage.getCard('batch-2')).toMatchObject({ owner: 'zed', state: bytes(2), seq: top + 3 });
    expect(await storage.cardsByKey({ email: 'batch-3@batch.cn' })).toEqual(['batch-3']);
    // An existing card as read: stored, keeping its owner.
    const [again] = await storage.saveCards([save('batch-old', bytes(1, 2), { seq: before!, owner: 'zoe' })]);
    expect(again).toBe(top + 5);
    expect(await storage.getCard('batch-old')).toMatchObject({ owner: 'zoe', state: bytes(1, 2), seq: top + 5 });
  });

  it('never lets a reader pass a seq that is not yet visible, while four stores write at once', async () => {
    const writers = await Promise.all([0, 1, 2, 3].map(() => openStorage(dataDir)));
    const start = await storage.maxSeq();
    const perWriter = 40;
    let writing = true;
    // The reader follows the log as a connection does: the top first, then the entries after its cursor.
    const seen: number[] = [];
    const reader = (async () => {
      let cursor = start;
      for (;;) {
        const done = !writing;
        const top = await storage.maxSeq();
        const entries = await storage.feed(cursor, ALL, 'watcher', 1000);
        for (const entry of entries) seen.push(entry.logSeq);
        cursor = entries.length > 0 ? entries.at(-1)!.logSeq : Math.max(cursor, top);
        if (done && entries.length === 0) return;
      }
    })();
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let i = 0; i < perWriter; i++) {
          // Each write is a new card (its own seq stays its latest), or an access entry for the watcher.
          if (i % 4 === 3) await writer.logAccess([{ cardId: `w${w}-0`, reader: 'watcher', kind: 'grant' }], 'amy');
          else await writer.saveCard(`w${w}-${i}`, bytes(w, i), 'amy', 2, '', 1, null);
        }
      }),
    );
    writing = false;
    await reader;
    await Promise.all(writers.map((writer) => writer.close()));
    const end = await storage.maxSeq();
    expect(end - start).toBe(4 * perWriter);
    // Every seq of the run exactly once, in order: no gap was stepped over.
    expect(seen).toEqual(Array.from({ length: end - start }, (_, i) => start + 1 + i));
  });
});
