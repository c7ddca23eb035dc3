/**
 * `npm run server -- --port 1234 --data ./data [--host 127.0.0.1]`: runs the sync server.
 * SIGUSR2 prints a `memory {…}` line (heap, external and resident bytes).
 */
import { resolve } from 'node:path';
import { flag } from './args.ts';
import { startServer } from './server.ts';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const port = Number(flag(args, 'port', '1234'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a number from 0 to 65535');
  const dataDir = resolve(flag(args, 'data', './data'));
  const host = flag(args, 'host', '127.0.0.1');
  const server = await startServer({ port, host, dataDir });
  console.log(`listening on ws://${host}:${server.port}`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
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
