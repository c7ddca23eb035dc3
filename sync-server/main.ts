/**
 * `npm run server -- --port 1234 (--data ./data | --postgres <url> [--redis <url>]) [--host 127.0.0.1]
 *   [--max-connections-per-user 50] [--max-open-proposals 200] [--check-time-limit-ms 2000] [--check-workers N] [--poll-ms 500]
 *   [--pool-sweep-minutes 1]`: runs the sync
 * server, on the embedded SQLite file of the data folder, or on PostgreSQL (several instances
 * may share it; with Redis they tell each other of changes at once, else they notice them by
 * polling the log every --poll-ms). The customer pool is swept every --pool-sweep-minutes (0: never;
 * an operator runs `npm run admin -- pool sweep` instead, e.g. from cron).
 * SIGUSR2 prints a `memory {…}` line (heap, external and resident bytes).
 */
import { flag } from './args.ts';
import { storeFromArgs } from './storage/open-store.ts';
import { DRAIN_LIMIT_MS, startServer } from './endpoints/server.ts';

// The last guard: a promise nobody waited for must not end the server (every path has its own
// handling; this one only logs what slipped through).
process.on('unhandledRejection', (error) => console.error('sync-server: an unhandled failure', error));

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const port = Number(flag(args, 'port', '1234'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a number from 0 to 65535');
  const store = storeFromArgs(args);
  const host = flag(args, 'host', '127.0.0.1');
  const perUser = Number(flag(args, 'max-connections-per-user', '50'));
  const checkTimeLimitMs = Number(flag(args, 'check-time-limit-ms', '2000'));
  if (!Number.isInteger(perUser) || perUser < 1) throw new Error('--max-connections-per-user must be a whole number above 0');
  if (!Number.isFinite(checkTimeLimitMs) || checkTimeLimitMs < 1) throw new Error('--check-time-limit-ms must be a number above 0');
  const checkWorkers = Number(flag(args, 'check-workers', '0')) || undefined;
  if (checkWorkers !== undefined && (!Number.isInteger(checkWorkers) || checkWorkers < 1 || checkWorkers > 64)) throw new Error('--check-workers must be a whole number from 1 to 64');
  const pollMs = Number(flag(args, 'poll-ms', '500'));
  if (!Number.isInteger(pollMs) || pollMs < 50 || pollMs > 60_000) throw new Error('--poll-ms must be a whole number from 50 to 60000');
  const openProposals = Number(flag(args, 'max-open-proposals', '200'));
  if (!Number.isInteger(openProposals) || openProposals < 1) throw new Error('--max-open-proposals must be a whole number above 0');
  const poolSweepMinutes = Number(flag(args, 'pool-sweep-minutes', '1'));
  if (!Number.isFinite(poolSweepMinutes) || poolSweepMinutes < 0 || poolSweepMinutes > 1440) throw new Error('--pool-sweep-minutes must be a number from 0 (never) to 1440');
  const redisUrl = flag(args, 'redis', '') || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new Error('--redis takes a URL: redis://host:6379');
  const storage = await store.open();
  const server = await startServer({ port, host, storage, limits: { connectionsPerUser: perUser, openProposalsPerUser: openProposals }, checkTimeLimitMs, checkWorkers, accessWatchMs: pollMs, poolSweepMs: poolSweepMinutes * 60_000, redisUrl }).catch(async (error: unknown) => {
    await storage.close();
    throw error;
  });
  console.log(`listening on ws://${host}:${server.port} (store: ${store.label})`);
  const stop = () => {
    // Received frames are stored first (server.ts drains); a store that no longer answers
    // (PostgreSQL gone) must not keep the process from ending.
    setTimeout(() => process.exit(0), DRAIN_LIMIT_MS + 5_000).unref();
    void server.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // `kill -USR2 <pid>` prints the memory in use (after a full GC when run with --expose-gc).
  process.on('SIGUSR2', () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    // Buffers' backing stores are released by finalizers that run after the first collection.
    setTimeout(() => {
      gc?.();
      const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
      console.log(`memory ${JSON.stringify({ rss, heapUsed, external, arrayBuffers, afterGc: gc !== undefined })}`);
    }, 100);
  });
}

main().catch((error: unknown) => {
  console.error(`sync-server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
