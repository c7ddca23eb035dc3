/**
 * The customer pool (公海) on the server, by the company policy (shared/policy/pool-rules.ts):
 * the sweep warns owners and returns untended customers to their team's pool, reps claim from
 * it within their daily limit and their cap, the previous owner waits before claiming back, a
 * manager locks a customer against returning. Every move is an access change in the ordered log
 * (the owner's devices lose the card, the claimant's get it whole, as after a handover), a row
 * of `pool_moves` and a line in the audit. The sweep takes its moment as an argument: the server
 * runs it on its clock (the access watch, at most once a minute), the admin CLI's `pool sweep
 * --at <date>` on any moment (how the tests move the clock).
 */
import { classByCutoffs, type AbcClass } from '../../shared/derive/abc.ts';
import { poolDue, poolOwner, poolStep, poolTeamOf, type PoolReason } from '../../shared/policy/pool-rules.ts';
import type { Policy } from '../../shared/policy/policy.ts';
import { canDecideFor, readersOf, type CardFacts, type Principal } from '../../shared/rights/rights.ts';
import type { AccessEntry, PoolCardFacts, PoolMove, Storage } from '../storage/storage.ts';
import { cutoffsOfPolicy, purchasesOf } from './classification.ts';
import { CustodyError, NO_SUCH_CARD } from './custody-error.ts';
import type { CompanyPolicy } from './policy-service.ts';

const DAY = 86_400_000;
/** The server sweeps at most this often (a rule counts in days). */
export const POOL_SWEEP_MS = 60_000;

/** What the sweep and the list read of one card's index row. */
interface RowFacts {
  name: string;
  lastContact: number;
  lastDeal: number;
  createdAt: number;
  purchases: number;
  abcOverride: string;
}

function rowFacts(text: string, now: number): RowFacts {
  let row: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed !== null && typeof parsed === 'object') row = parsed as Record<string, unknown>;
  } catch {
    // A row that cannot be read counts as a card with nothing logged.
  }
  const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  let lastDeal = 0;
  if (Array.isArray(row.orders)) for (const order of row.orders) if (Array.isArray(order) && typeof order[0] === 'number' && order[0] <= now) lastDeal = Math.max(lastDeal, order[0]);
  return {
    name: typeof row.name === 'string' ? row.name : '',
    lastContact: num(row.lastContact),
    lastDeal,
    createdAt: num(row.createdAt),
    purchases: purchasesOf(row.orders, now - 365 * DAY, now),
    abcOverride: typeof row.abcOverride === 'string' ? row.abcOverride : '',
  };
}

/** The same facts from what the database took out of the row (the sweep: no whole row parsed). */
function factsOfCard(card: PoolCardFacts, now: number): RowFacts {
  let orders: unknown;
  try {
    orders = card.orders ? JSON.parse(card.orders) : undefined;
  } catch {
    orders = undefined;
  }
  let lastDeal = 0;
  if (Array.isArray(orders)) for (const order of orders) if (Array.isArray(order) && typeof order[0] === 'number' && order[0] <= now) lastDeal = Math.max(lastDeal, order[0]);
  return { name: card.name, lastContact: card.lastContact, lastDeal, createdAt: card.createdAt, purchases: purchasesOf(orders, now - 365 * DAY, now), abcOverride: card.abcOverride };
}

const classOf = (facts: RowFacts, cutoffs: { aMin: number; bMin: number }): AbcClass =>
  facts.abcOverride === 'A' || facts.abcOverride === 'B' || facts.abcOverride === 'C' ? facts.abcOverride : classByCutoffs(facts.purchases, cutoffs);

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

export interface PoolLine {
  cardId: string;
  name: string;
  cls: AbcClass;
  lastContact: number;
  team: string;
  /** Why it returned, when, and whose it was. */
  reason: PoolReason | '';
  since: number;
  previousOwner: string;
}

export interface PoolWarning {
  cardId: string;
  name: string;
  returnsAt: number;
  reason: PoolReason;
}

export interface PoolView {
  enabled: boolean;
  lines: PoolLine[];
  /** The viewer's own customers due back in the pool (warned, or within the warning window). */
  mine: PoolWarning[];
  claimsToday: number;
  dailyClaims: number;
  held: number;
  maxHeld: number;
}

export class CustomerPool {
  private lastSweep = 0;
  private sweeping: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly storage: Storage,
    private readonly policy: CompanyPolicy,
    private readonly now: () => number,
    private readonly onAccessChange: () => void,
    /** Writes the card's owner field (the owner mirror), recorded with a reason. */
    private readonly mirrorOwner: (cardIds: string[], owner: string, actor: string, reason: string) => Promise<void>,
  ) {}

  /** The server's clock: a sweep when the last one is `everyMs` old (the access watch asks every tick). */
  sweepIfDue(everyMs = POOL_SWEEP_MS): Promise<unknown> {
    const now = this.now();
    if (now - this.lastSweep < everyMs) return Promise.resolve();
    this.lastSweep = now;
    return this.sweep(now);
  }

  /** Warns owners and returns what is due, as of `now`; one sweep at a time in this process. */
  sweep(now: number): Promise<{ warned: number; returned: number }> {
    const run = this.sweeping.then(() => this.sweepNow(now));
    this.sweeping = run.catch(() => undefined);
    return run;
  }

  private async sweepNow(now: number): Promise<{ warned: number; returned: number }> {
    const policy = await this.policy.rules();
    if (!policy.pool.enabled) return { warned: 0, returned: 0 };
    const users = await this.storage.listUsers();
    const teamOf = new Map(users.map((user) => [user.name, user.team]));
    const cards = await this.storage.poolFacts();
    const facts = new Map(cards.map((card) => [card.id, factsOfCard(card, now)]));
    const cutoffs = await cutoffsOfPolicy(policy, async () => [...facts.values()].map((f) => f.purchases));
    const locks = await this.storage.poolLocks();
    const warns: Omit<PoolMove, 'id'>[] = [];
    const returns: { id: string; owner: string; team: string; reason: PoolReason }[] = [];
    for (const card of cards) {
      const team = teamOf.get(card.owner);
      if (!team || poolTeamOf(card.owner) !== undefined) continue;
      const row = facts.get(card.id)!;
      const due = poolDue(
        { cls: classOf(row, cutoffs), lastContact: row.lastContact, lastDeal: row.lastDeal, heldSince: card.claimedAt ?? row.createdAt, locked: locks.has(card.id) },
        policy,
      );
      const step = poolStep(due, card.warnedAt ?? undefined, now, policy);
      if (step.action === 'warn') warns.push({ cardId: card.id, kind: 'warn', user: card.owner, team, at: now, reason: `${step.reason}:${step.returnsAt}` });
      if (step.action === 'return') returns.push({ id: card.id, owner: card.owner, team, reason: step.reason! });
    }
    if (warns.length > 0) {
      // Each warning with its audit entry, in one transaction.
      await this.storage.transaction(async (tx) => {
        await tx.addPoolMoves(warns);
        await tx.audit(warns.map((warn) => ({ at: now, user: 'server', token: '', action: 'pool-warning', cardId: warn.cardId, detail: `${warn.user}: returns to the pool on ${day(Number(warn.reason.split(':')[1]))} (${warn.reason.split(':')[0]})` })));
      });
    }
    const returned = await this.returnToPool(returns, now);
    return { warned: warns.length, returned };
  }

  /** For each (card, owner): when that owner last took it by a claim, and when last warned. */
  private async ownership(cardIds: string[]): Promise<{ heldSince: Map<string, number>; warnedAt: Map<string, number> }> {
    const heldSince = new Map<string, number>();
    const warnedAt = new Map<string, number>();
    // Newest first: the first seen per key is the latest.
    for (const move of await this.storage.poolMoves({ cardIds })) {
      const key = `${move.cardId}\u0000${move.user}`;
      if (move.kind === 'claim' && !heldSince.has(key)) heldSince.set(key, move.at);
      if (move.kind === 'warn' && !warnedAt.has(key)) warnedAt.set(key, move.at);
    }
    return { heldSince, warnedAt };
  }

  private async returnToPool(returns: { id: string; owner: string; team: string; reason: PoolReason }[], now: number): Promise<number> {
    if (returns.length === 0) return 0;
    const done = await this.storage.transaction(async (tx) => {
      const users = await tx.listUsers();
      const loans = await tx.activeLoans({}, now);
      // Moved only where the owner is still the one the sweep read: a claim or handover since wins.
      const moved = new Set(await tx.moveOwners(returns.map((item) => ({ id: item.id, from: item.owner, to: poolOwner(item.team) }))));
      const back = returns.filter((item) => moved.has(item.id));
      const entries: AccessEntry[] = [];
      for (const item of back) {
        const was = readersOf({ id: item.id, owner: item.owner, ownerTeam: item.team }, users, loans, now);
        const is = readersOf({ id: item.id, owner: poolOwner(item.team), ownerTeam: item.team }, users, loans, now);
        for (const reader of was) if (!is.has(reader)) entries.push({ cardId: item.id, reader, kind: 'revoke' });
        for (const reader of is) if (!was.has(reader)) entries.push({ cardId: item.id, reader, kind: 'grant' });
      }
      await tx.addPoolMoves(back.map((item) => ({ cardId: item.id, kind: 'return', user: item.owner, team: item.team, at: now, reason: item.reason })));
      await tx.logAccess(entries, 'server');
      if (back.length > 0) {
        await tx.bumpAccessVersion();
        await tx.audit(back.map((item) => ({ at: now, user: 'server', token: '', action: 'pool-return', cardId: item.id, detail: `${item.owner} → pool of ${item.team} (${item.reason})` })));
      }
      return back;
    });
    if (done.length === 0) return 0;
    this.onAccessChange();
    return done.length;
  }

  /** A rep (or a manager) of the pool's team takes the customer, with its whole card. */
  async claim(user: Principal, cardId: string, token = ''): Promise<{ cardId: string; owner: string }> {
    const now = this.now();
    const card = await this.storage.getCard(cardId);
    const team = card ? poolTeamOf(card.owner) : undefined;
    if (!card || team === undefined || user.disabled || user.team !== team) throw new CustodyError('not-found', NO_SUCH_CARD, 404);
    const policy = (await this.policy.rules()).pool;
    const today = Math.floor(now / DAY) * DAY;
    const claimsToday = (await this.storage.poolMoves({ user: user.name, kind: 'claim', since: today })).length;
    if (claimsToday >= policy.dailyClaims) throw new CustodyError('claim-limit', `You have claimed ${claimsToday} customer(s) today, the company's daily limit`, 409);
    const held = (await this.storage.cardOwners(user.name)).length;
    if (held >= policy.maxHeld) throw new CustodyError('held-limit', `You hold ${held} customer(s), the company's limit (${policy.maxHeld}): hand some over first`, 409);
    const lastReturn = (await this.storage.poolMoves({ cardIds: [cardId], kind: 'return' }))[0];
    if (lastReturn && lastReturn.user === user.name && now < lastReturn.at + policy.reclaimDays * DAY) {
      throw new CustodyError('reclaim-wait', `This customer left you on ${day(lastReturn.at)}: you may claim it back from ${day(lastReturn.at + policy.reclaimDays * DAY)}`, 409);
    }
    await this.storage.transaction(async (tx) => {
      // Two reps claiming at once: the first one's claim stands.
      if ((await tx.getCard(cardId))?.owner !== card.owner) throw new CustodyError('taken', 'Someone has just claimed this customer', 409);
      const users = await tx.listUsers();
      const loans = await tx.activeLoans({}, now);
      const was = readersOf({ id: cardId, owner: card.owner, ownerTeam: team }, users, loans, now);
      const is = readersOf({ id: cardId, owner: user.name, ownerTeam: team }, users, loans, now);
      const entries: AccessEntry[] = [];
      for (const reader of is) if (!was.has(reader)) entries.push({ cardId, reader, kind: 'grant' });
      for (const reader of was) if (!is.has(reader)) entries.push({ cardId, reader, kind: 'revoke' });
      await tx.setOwner(cardId, user.name);
      await tx.addPoolMoves([{ cardId, kind: 'claim', user: user.name, team, at: now, reason: '' }]);
      await tx.logAccess(entries, user.name);
      await tx.bumpAccessVersion();
      await tx.audit([{ at: now, user: user.name, token, action: 'pool-claim', cardId, detail: `pool of ${team} → ${user.name}` }]);
    });
    this.onAccessChange();
    await this.mirrorOwner([cardId], user.name, user.name, `Claimed from the pool of ${team}`);
    return { cardId, owner: user.name };
  }

  /** A manager of the card's team (or an admin) locks a customer against returning to the pool, or unlocks it. */
  async lock(user: Principal, facts: CardFacts | undefined, locked: boolean, token = ''): Promise<void> {
    if (!facts || !canDecideFor(user, facts)) throw new CustodyError('not-found', NO_SUCH_CARD, 404);
    const now = this.now();
    await this.storage.transaction(async (tx) => {
      await tx.setPoolLock(facts.id, locked ? user.name : null, now);
      await tx.audit([{ at: now, user: user.name, token, action: locked ? 'pool-lock' : 'pool-unlock', cardId: facts.id, detail: locked ? 'kept out of the pool' : 'may return to the pool' }]);
    });
  }

  /** The pool of the viewer's team (an admin: every team's), and the viewer's own customers due back. */
  async view(user: Principal): Promise<PoolView> {
    const now = this.now();
    const policy = await this.policy.rules();
    const teams = user.disabled ? [] : user.role === 'admin' ? (await this.storage.listTeams()).map((team) => team.name) : user.team ? [user.team] : [];
    const lines: PoolLine[] = [];
    const cutoffs = await cutoffsOfPolicy(policy, async () => (await this.storage.poolFacts()).map((card) => factsOfCard(card, now).purchases));
    for (const team of teams) {
      const cards = await this.storage.cardOwners(poolOwner(team));
      const returns = new Map<string, PoolMove>();
      if (cards.length > 0) for (const move of await this.storage.poolMoves({ cardIds: cards.map((card) => card.id), kind: 'return' })) if (!returns.has(move.cardId)) returns.set(move.cardId, move);
      for (const card of cards) {
        const row = rowFacts((await this.storage.rowOf(card.id)) ?? '', now);
        const back = returns.get(card.id);
        lines.push({ cardId: card.id, name: row.name, cls: classOf(row, cutoffs), lastContact: row.lastContact, team, reason: (back?.reason as PoolReason | undefined) ?? '', since: back?.at ?? 0, previousOwner: back?.user ?? '' });
      }
    }
    lines.sort((a, b) => b.since - a.since || a.name.localeCompare(b.name));
    const own = user.disabled ? [] : await this.storage.cardOwners(user.name);
    const mine = own.length > 0 && policy.pool.enabled ? await this.warningsFor(user.name, own.map((card) => card.id), policy, cutoffs, now) : [];
    const today = Math.floor(now / DAY) * DAY;
    return {
      enabled: policy.pool.enabled,
      lines,
      mine,
      claimsToday: (await this.storage.poolMoves({ user: user.name, kind: 'claim', since: today })).length,
      dailyClaims: policy.pool.dailyClaims,
      held: own.length,
      maxHeld: policy.pool.maxHeld,
    };
  }

  private async warningsFor(owner: string, cardIds: string[], policy: Policy, cutoffs: { aMin: number; bMin: number }, now: number): Promise<PoolWarning[]> {
    const locks = await this.storage.poolLocks();
    const { heldSince, warnedAt } = await this.ownership(cardIds);
    const out: PoolWarning[] = [];
    for (const cardId of cardIds) {
      const row = rowFacts((await this.storage.rowOf(cardId)) ?? '', now);
      const key = `${cardId}\u0000${owner}`;
      const due = poolDue({ cls: classOf(row, cutoffs), lastContact: row.lastContact, lastDeal: row.lastDeal, heldSince: heldSince.get(key) ?? row.createdAt, locked: locks.has(cardId) }, policy);
      const step = poolStep(due, warnedAt.get(key), now, policy);
      if (step.returnsAt !== undefined && step.reason) out.push({ cardId, name: row.name, returnsAt: step.returnsAt, reason: step.reason });
    }
    return out.sort((a, b) => a.returnsAt - b.returnsAt);
  }
}
