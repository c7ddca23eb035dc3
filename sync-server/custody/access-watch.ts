/**
 * Keeps a running server's connections in step with changes it did not make itself and with
 * the clock: every tick it ends loans whose period is over and returns covers whose end has
 * come (custody.ts), sweeps the customer pool when a minute has passed (pool.ts), asks the access clock to end those due before the next tick at their very
 * time, then looks at the database's access version and log top. Access changed
 * (here, or by the admin CLI in another process): every connection re-reads its rights and
 * catches up. The log grew past what this process published, and still has a tick later:
 * connections catch up. So an access change made with the CLI reaches open connections within a
 * tick or two, and a card written by the CLI (or, without Redis, by another instance) within
 * two or three. Every CLASSES_READ_MS the company's cut-offs are read in full again (orders
 * leave the 12 months with time; company-classes.ts): a move goes to every connection.
 */
import type { Hub } from '../fanout/hub.ts';
import { POOL_SWEEP_MS } from './pool.ts';

export const ACCESS_WATCH_MS = 500;
/** How often the cut-offs are read in full again, whatever changed. */
export const CLASSES_READ_MS = 600_000;

export function watchAccess(hub: Hub, intervalMs = ACCESS_WATCH_MS, poolSweepMs = POOL_SWEEP_MS): { stop(): Promise<void> } {
  const storage = hub.storage;
  // Every access change now reaches this instance (here, Redis, or this watch): the policy is read once per change.
  hub.custody.policy.watched();
  let version: number | undefined;
  let top = 0;
  /** A log top seen at the last tick that this process had not published. */
  let unpublished = 0;
  let busy = true;
  let failing = false;
  let stopped = false;
  /** The tick under way, if any: stopping waits for it, so nothing reads a store being closed. */
  let running: Promise<void> = Promise.resolve();
  let classesReadAt = Date.now();
  // What the log looks like now: the first tick compares with it (read at once, not at that tick).
  void (async () => {
    try {
      version = await storage.accessVersion();
      top = await storage.maxSeq();
    } catch (error) {
      console.error('sync-server: the access watch could not read the log (it tries again)', error);
    } finally {
      busy = false;
    }
  })();
  const tick = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      if (version === undefined) {
        // The start's read failed: read now, and let connections look (they may have missed something).
        version = await storage.accessVersion();
        top = await storage.maxSeq();
        hub.announce('access');
      }
      await hub.custody.endDue();
      if (Date.now() - classesReadAt > CLASSES_READ_MS) {
        classesReadAt = Date.now();
        hub.custody.classes.readAgain();
      }
      // Untended customers back to the pool, at most once a minute by default (pool.ts).
      if (poolSweepMs > 0) await hub.custody.pool.sweepIfDue(poolSweepMs);
      // What ends before the next tick ends at its time (access-clock.ts), not at that tick.
      const soon = Date.now() + intervalMs;
      for (const loan of await storage.dueLoans(soon)) if (loan.until !== null) hub.accessClock.wakeAt(loan.until);
      for (const cover of await storage.dueCovers(soon)) if (cover.until !== null) hub.accessClock.wakeAt(cover.until);
      const nextVersion = await storage.accessVersion();
      const nextTop = await storage.maxSeq();
      if (nextVersion !== version) {
        // Connections re-read their rights and catch up with the log, whatever moved it.
        version = nextVersion;
        unpublished = 0;
        hub.announce('access');
      } else if (unpublished > hub.lastPublishedSeq) {
        unpublished = 0;
        hub.announce('log');
      }
      // A top this process has not published may have a notice on its way (a save publishes
      // right after its commit; another instance's change comes through Redis): connections
      // catch up only if it is still unpublished at the next tick.
      if (nextTop > Math.max(top, hub.lastPublishedSeq)) unpublished = nextTop;
      top = nextTop;
      if (failing) console.error('sync-server: the access watch reads the database again');
      failing = false;
    } catch (error) {
      // Once per outage, not every tick (the database may be down for minutes).
      if (!failing) console.error('sync-server: the access watch failed (it tries again every tick)', error);
      failing = true;
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => {
    running = tick();
  }, intervalMs);
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
