/**
 * Custody changes and their audit entries commit together, and a decision is taken once
 * (custody.ts, pool.ts): two approvers deciding one loan or one proposal at the same moment
 * get one decision and one "already decided" (an approval the card does not take reopens the
 * proposal, audited); a handover, a loan, a team, a pool lock whose
 * audit entry cannot be written (the disk is full) is not stored at all — never a change that
 * no audit entry explains. Against the real store (SQLite, or PostgreSQL in that project).
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Custody } from '../../sync-server/custody/custody.ts';
import { CustodyError } from '../../sync-server/custody/custody-error.ts';
import { editStoredCard } from '../../sync-server/fanout/card-edit.ts';
import type { Principal } from '../../shared/rights/rights.ts';
import type { Storage } from '../../sync-server/storage/storage.ts';
import { cid, newDataDir, openStorage } from './helpers.ts';

const ADMIN: Principal = { name: 'ada', role: 'admin', team: null, disabled: false };
const MANAGER: Principal = { name: 'mia', role: 'manager', team: 'east', disabled: false };
const BORROWER: Principal = { name: 'wes', role: 'rep', team: 'west', disabled: false };
const REP: Principal = { name: 'rita', role: 'rep', team: 'east', disabled: false };
const CARD = cid('atomic-card');
const DAY = 86_400_000;

let storage: Storage | undefined;

afterEach(async () => {
  await storage?.close();
  storage = undefined;
});

/** A store with two teams, an admin, east's manager and rep, a rep of west, and one card of rita's. */
async function world(): Promise<{ storage: Storage; custody: Custody }> {
  storage = await openStorage(newDataDir());
  const custody = custodyOn(storage);
  await custody.addTeam('east');
  await custody.addTeam('west');
  for (const user of [ADMIN, MANAGER, REP, BORROWER]) await custody.addUser(user.name, user.role, user.team);
  const doc = new Y.Doc();
  doc.getMap('card').set('name', 'Harbor Freight');
  doc.getMap('card').set('owner', REP.name);
  await storage.importCards([{ id: CARD, owner: REP.name, state: Y.encodeStateAsUpdate(doc) }]);
  return { storage, custody };
}

function custodyOn(store: Storage): Custody {
  return new Custody(store, (cardId, actor, mutation) => editStoredCard(store, cardId, actor, mutation));
}

/** The same store, except that writing the audit inside a transaction fails, as on a full disk. */
function auditFails(store: Storage): Storage {
  const bound = (target: Storage, key: string | symbol) => {
    const value = Reflect.get(target, key) as unknown;
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
  };
  const failingTx = (tx: Storage): Storage =>
    new Proxy(tx, {
      get: (target, key) =>
        key === 'audit'
          ? async () => {
              throw new Error('the disk is full');
            }
          : bound(target, key),
    });
  return new Proxy(store, {
    get: (target, key) => (key === 'transaction' ? <T>(fn: (tx: Storage) => Promise<T>) => target.transaction((tx) => fn(failingTx(tx))) : bound(target, key)),
  });
}

function codeOf(outcome: PromiseSettledResult<unknown>): string {
  if (outcome.status === 'fulfilled') return 'ok';
  return outcome.reason instanceof CustodyError ? outcome.reason.code : String(outcome.reason);
}

describe('a decision is taken once', () => {
  it('two approvers decide one loan at the same moment: one decision stands, the other is told', async () => {
    const { storage, custody } = await world();
    const loan = await custody.requestLoan(BORROWER, CARD, Date.now() + 3 * DAY, 'joint visit next week');
    const outcomes = await Promise.allSettled([
      custody.decideLoan(MANAGER, loan.id, { approve: true, reason: 'fine' }),
      custody.decideLoan(ADMIN, loan.id, { approve: false, reason: 'not this customer' }),
    ]);
    expect(outcomes.map(codeOf).sort()).toEqual(['decided', 'ok']);
    const won = outcomes.findIndex((outcome) => outcome.status === 'fulfilled');
    expect((await storage.getLoan(loan.id))?.status).toBe(won === 0 ? 'active' : 'declined');
    const decisions = (await storage.auditOf({ cardId: CARD })).filter((event) => event.action === 'loan-approve' || event.action === 'loan-decline');
    expect(decisions.map((event) => event.action)).toEqual([won === 0 ? 'loan-approve' : 'loan-decline']);
  });

  it('two managers decide one proposal at the same moment: the card changes only if the approval stands', async () => {
    const { storage, custody } = await world();
    const proposal = await custody.propose(REP, CARD, 'creditLimitApproved', 250_000, 'orders doubled this year');
    const outcomes = await Promise.allSettled([
      custody.decideProposal(ADMIN, proposal.id, { approve: false, reason: 'wait for the audit' }),
      custody.decideProposal(MANAGER, proposal.id, { approve: true, reason: 'credit check passed' }),
    ]);
    expect(outcomes.map(codeOf).sort()).toEqual(['decided', 'ok']);
    const approved = outcomes[1]!.status === 'fulfilled';
    expect((await storage.getProposal(proposal.id))?.status).toBe(approved ? 'approved' : 'declined');
    const card = await storage.getCard(CARD);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, card!.state);
    expect(doc.getMap('card').get('creditLimitApproved')).toBe(approved ? 250_000 : undefined);
    const decisions = (await storage.auditOf({ cardId: CARD })).filter((event) => event.action.startsWith('proposal-'));
    expect(decisions.map((event) => event.action)).toEqual([approved ? 'proposal-approve' : 'proposal-decline']);
  });

  it('an approval the card does not take leaves the proposal open again, and the audit says why', async () => {
    const { storage, custody } = await world();
    const proposal = await custody.propose(REP, CARD, 'creditLimitApproved', 250_000, 'orders doubled this year');
    const refusing = new Custody(storage, async () => ({ ok: false, code: 'card-too-large', message: 'The card is full' }));
    await expect(refusing.decideProposal(MANAGER, proposal.id, { approve: true, reason: 'fine' })).rejects.toThrow('The card is full');
    expect((await storage.getProposal(proposal.id))?.status).toBe('open');
    const trail = (await storage.auditOf({ cardId: CARD })).filter((event) => event.action.startsWith('proposal-'));
    expect(trail.map((event) => event.action).sort()).toEqual(['proposal-approve', 'proposal-reopen']);
    expect(trail.find((event) => event.action === 'proposal-reopen')?.detail).toContain('The card is full');
    // It can be decided again.
    expect((await custody.decideProposal(MANAGER, proposal.id, { approve: true, reason: 'fine now' })).status).toBe('approved');
  });
});

describe('no change without its audit entry', () => {
  it('a handover whose audit entry cannot be written moves no card', async () => {
    const { storage } = await world();
    const failing = custodyOn(auditFails(storage));
    await expect(failing.handover({ from: REP.name, to: MANAGER.name, reason: 'territory change', kind: 'territory', by: ADMIN })).rejects.toThrow('the disk is full');
    expect((await storage.getCard(CARD))?.owner).toBe(REP.name);
    expect(await storage.listHandovers({})).toEqual([]);
  });

  it('a loan request, a team, a user and a pool lock whose audit cannot be written are not stored', async () => {
    const { storage } = await world();
    const failing = custodyOn(auditFails(storage));
    await expect(failing.requestLoan(BORROWER, CARD, Date.now() + DAY, 'joint visit')).rejects.toThrow('the disk is full');
    expect(await storage.listLoans({ cardIds: [CARD] })).toEqual([]);
    await expect(failing.addTeam('north')).rejects.toThrow('the disk is full');
    expect(await storage.teamExists('north')).toBe(false);
    await expect(failing.addUser('nia', 'rep', 'east')).rejects.toThrow('the disk is full');
    expect(await storage.getUser('nia')).toBeUndefined();
    const facts = await failing.factsOf({ id: CARD, owner: REP.name });
    await expect(failing.pool.lock(MANAGER, facts, true)).rejects.toThrow('the disk is full');
    expect((await storage.poolLocks()).size).toBe(0);
  });
});
