/**
 * The company's ABC cut-offs (classification.ts) kept in this process's memory and told when
 * they move. Holds each card's orders (only amounts an order can have), read once from the
 * database (`poolFacts`: the database takes them out of the rows) and then kept up to date per
 * card: every change the hub publishes (made here, or by another instance through the fan-out)
 * marks its card, with the row the write stored when this process wrote it; at most every
 * CLASSES_DEBOUNCE_MS the marked cards' orders are taken from those rows (read only for other
 * instances' changes) and the cut-offs computed in memory (no card read but those that changed). When they differ from the
 * last ones computed, every subscriber hears it (the hub, which sends CLASSES to every open
 * /sync connection). A policy change (its shares or amounts) is a recompute; a change of the log
 * this process did not see (the admin CLI, an instance without Redis) or the passing of time
 * (orders leave the 12 months) is a full read again, at most every FULL_READ_MS.
 * What leaves here is cut-offs only, as /api/classification gives them: no customer's amount.
 */
import type { AbcCutoffs } from '../../shared/derive/abc.ts';
import type { Storage } from '../storage/storage.ts';
import { cutoffsOfPolicy, purchasesOf } from './classification.ts';
import type { CompanyPolicy } from './policy-service.ts';

const DAY = 86_400_000;
/** Changes within this long are one recompute. */
export const CLASSES_DEBOUNCE_MS = 150;
/**
 * Asked (GET /api/classification), cards last read in full longer ago than this are read in full
 * again: rows another process wrote without a change to the log are seen within this long.
 */
export const FULL_READ_MS = 2_000;

export type CompanyCutoffs = AbcCutoffs & { asOf: number; basis: 'share' | 'amount'; policyVersion: number };
type Order = readonly [number, number];

/** A row's orders as [date, amount] pairs; anything else is no order. */
function ordersOf(json: string | undefined, key: 'row' | 'orders'): Order[] {
  if (!json) return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  const orders = key === 'row' ? (value as { orders?: unknown } | null)?.orders : value;
  const out: Order[] = [];
  if (Array.isArray(orders)) for (const order of orders) if (Array.isArray(order) && typeof order[0] === 'number' && typeof order[1] === 'number') out.push([order[0], order[1]]);
  return out;
}

export class CompanyClasses {
  private readonly orders = new Map<string, Order[]>();
  /** Cards changed since the last recompute, with their new row when the writer gave it (else it is read). */
  private readonly dirty = new Map<string, string | undefined>();
  private readonly listeners = new Set<(cutoffs: CompanyCutoffs) => void>();
  /** When the cards were last read in full (0: never). */
  private readAt = 0;
  /** A full read is due (readAgain): done once FULL_READ_MS have passed since the last one. */
  private fullReadWanted = false;
  /** A full read now, whenever the last one was (current() with old cards). */
  private fullReadForced = false;
  private recomputeWanted = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The flush running now (one at a time). */
  private running: Promise<void> = Promise.resolve();
  private last: CompanyCutoffs | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly policy: CompanyPolicy,
    private readonly now: () => number = Date.now,
    private readonly debounceMs = CLASSES_DEBOUNCE_MS,
  ) {}

  /** Hears every move of the cut-offs; returns the unsubscribe. */
  subscribe(listener: (cutoffs: CompanyCutoffs) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The cut-offs last computed, if any (what a connection tells after signing in). */
  known(): CompanyCutoffs | undefined {
    return this.last;
  }

  /**
   * A card's stored change was published: its orders are taken from `row` (the row the write
   * stored) or read again (nothing is done before anyone listens).
   */
  touched(cardId: string, row?: string): void {
    if (this.readAt === 0 && this.listeners.size === 0) return;
    this.dirty.set(cardId, row);
    this.schedule();
  }

  /** The policy may have changed: the cut-offs are computed again (from memory). */
  policyMayHaveChanged(): void {
    if (this.readAt === 0) return;
    this.recomputeWanted = true;
    this.schedule();
  }

  /** The log moved in ways this process did not see card by card: everything is read again. */
  readAgain(): void {
    if (this.readAt === 0) return;
    this.fullReadWanted = true;
    this.schedule();
  }

  /**
   * The current cut-offs, computed now under the policy in force (in memory): marked cards read
   * first, all of them when last read in full longer ago than `maxAgeMs`.
   */
  async current(maxAgeMs = FULL_READ_MS): Promise<CompanyCutoffs> {
    if (this.now() - this.readAt > maxAgeMs) this.fullReadForced = true;
    this.recomputeWanted = true;
    await this.flush();
    return this.last!;
  }

  private schedule(delayMs = this.debounceMs): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error: unknown) => console.error('sync-server: could not compute the ABC cut-offs (tried again at the next change)', error));
    }, delayMs);
    this.timer.unref?.();
  }

  /** Reads what is marked (or everything), computes, and tells the listeners when the cut-offs moved. */
  flush(): Promise<void> {
    const run = this.running.then(() => this.compute());
    // A failure is the caller's; the next flush starts anyway.
    this.running = run.catch(() => undefined);
    return run;
  }

  private async compute(): Promise<void> {
    // Full reads at most every FULL_READ_MS, however often the log moves elsewhere (unless forced).
    const wait = this.readAt + FULL_READ_MS - this.now();
    const full = this.readAt === 0 || this.fullReadForced || (this.fullReadWanted && wait <= 0);
    if (this.fullReadWanted && !full) this.schedule(Math.max(this.debounceMs, wait));
    const marked = [...this.dirty];
    if (!full && marked.length === 0 && !this.recomputeWanted && this.last) return;
    this.dirty.clear();
    if (full) this.fullReadWanted = this.fullReadForced = false;
    this.recomputeWanted = false;
    try {
      if (full) {
        const readAt = this.now();
        const cards = await this.storage.poolFacts();
        this.orders.clear();
        for (const card of cards) this.orders.set(card.id, ordersOf(card.orders, 'orders'));
        this.readAt = readAt;
      } else {
        for (const [id, row] of marked) this.orders.set(id, ordersOf(row ?? (await this.storage.rowOf(id)), 'row'));
      }
    } catch (error) {
      // Read again next time: nothing marked is lost.
      for (const [id, row] of marked) if (!this.dirty.has(id)) this.dirty.set(id, row);
      if (full) this.fullReadForced = true;
      throw error;
    }
    const now = this.now();
    const since = now - 365 * DAY;
    const { policy, version } = await this.policy.current();
    const amounts = async () => [...this.orders.values()].map((orders) => purchasesOf(orders, since, now));
    const cutoffs: CompanyCutoffs = { ...(await cutoffsOfPolicy(policy, amounts)), asOf: now, basis: policy.classes.basis, policyVersion: version };
    const before = this.last;
    this.last = cutoffs;
    if (before && before.aMin === cutoffs.aMin && before.bMin === cutoffs.bMin) return;
    for (const listener of this.listeners) {
      try {
        listener(cutoffs);
      } catch (error) {
        console.error('sync-server: a cut-offs listener failed', error);
      }
    }
  }
}
