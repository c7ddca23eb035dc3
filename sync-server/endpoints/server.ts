/**
 * The sync server: an HTTP server whose websocket upgrades go to `/sync` (many documents per
 * connection) or `/y/<cardId>` (stock y-websocket, one card). Nothing a client sends may end
 * the process: a bad request line or path gets HTTP 400/404, malformed HTTP (TLS bytes on the
 * plain port) a 400, a bad websocket handshake ws's own 400, frames over 1 MiB close 1009, and
 * every socket has an error listener from the first moment. Too many unsigned connections from
 * one address get 503. Requests under `/api/` go to the custody API (api.ts). Storage is
 * injected; the default is the embedded SQLite file. With `redisUrl`, changes and access changes
 * are fanned out to the other instances on the same database (fanout.ts).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ensurePinyin } from '../../shared/pinyin.ts';
import { LIMITS } from '../../shared/sync/protocol.ts';
import { watchAccess } from '../custody/access-watch.ts';
import { createApi } from './api.ts';
import { answerHealth } from './health.ts';
import { fillMissingRows } from '../card-row.ts';
import { createConnectionLimits, type LimitOptions } from './connection-limits.ts';
import { httpEntry } from './server-routes.ts';
import { startFanout } from '../fanout/fanout.ts';
import { Hub } from '../fanout/hub.ts';
import type { Storage } from '../storage/storage.ts';
import { openSqliteStorage } from '../storage/storage-sqlite.ts';
import { handleSyncConnection } from './sync-endpoint.ts';
import { createUpdateChecker } from '../checks/update-checker.ts';
import { upgradeTarget } from './upgrade-target.ts';
import { handleYConnection } from './y-endpoint.ts';

export interface ServerOptions {
  port?: number;
  host?: string;
  /** The embedded SQLite store's folder, unless `storage` is given. */
  dataDir?: string;
  storage?: Storage;
  limits?: Partial<LimitOptions>;
  /** How long one update may take to check before it is refused (ms). */
  checkTimeLimitMs?: number;
  /** Update-check worker threads (default: the cores, from 2 to 4). */
  checkWorkers?: number;
  /** How often loans' ends and other processes' changes are looked for (ms). */
  accessWatchMs?: number;
  /** How often the server sweeps the customer pool by itself (0: never — an operator runs `pool sweep`). */
  poolSweepMs?: number;
  /** Redis for the fan-out between instances (`redis://host:6379`). */
  redisUrl?: string;
}

export interface RunningServer {
  port: number;
  url: string;
  storage: Storage;
  hub: Hub;
  close(): Promise<void>;
}

/** Close code 1001 (going away): the server is shutting down. */
const CLOSE_GOING_AWAY = 1001;
/** How long clients have to answer the shutdown's close before their sockets are cut. */
const CLOSE_GRACE_MS = 1_000;
/** A connection must send its request's headers within this (half-open connections hold a slot until then). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** How long the start waits for the check workers to load. */
const WORKERS_READY_LIMIT_MS = 15_000;
/** How long a shutdown waits for received frames to be checked and stored. */
export const DRAIN_LIMIT_MS = 15_000;

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  // Index rows the server builds carry their pinyin terms (devices then never rewrite them).
  await ensurePinyin();
  const storage = options.storage ?? openSqliteStorage(options.dataDir ?? './data');
  const checker = createUpdateChecker({ timeLimitMs: options.checkTimeLimitMs, workers: options.checkWorkers });
  const hub = new Hub(storage, checker);
  // Listen once the check workers have loaded (on a busy machine that takes seconds): changes
  // that arrive are then checked at once, not held while the pool starts.
  await checker.ready(WORKERS_READY_LIMIT_MS);
  const limits = createConnectionLimits(options.limits);
  // Cards imported without an index row, or stored by an older version, get one in the background.
  const filler = fillMissingRows(storage);
  const accessWatch = watchAccess(hub, options.accessWatchMs, options.poolSweepMs);
  const fanout = options.redisUrl ? startFanout(hub, options.redisUrl) : undefined;
  const api = createApi(hub.custody, limits.options);
  const http = createServer({ connectionsCheckingInterval: 1_000 }, (request, response) => {
    response.on('error', () => undefined);
    const entry = httpEntry(request.url);
    if (entry === 'health') void answerHealth(storage, response);
    else if (entry === 'api') void api(request, response);
    else response.writeHead(404).end();
  });
  // Every connection counts against its address's cap from its first byte (half-open and idle
  // HTTP connections included) until it signs in or closes; past the cap it gets a 503 at once.
  // A connection that sends no complete request within HEADERS_TIMEOUT_MS is closed.
  http.headersTimeout = HEADERS_TIMEOUT_MS;
  http.requestTimeout = REQUEST_TIMEOUT_MS;
  const unsignedRelease = new WeakMap<Duplex, () => void>();
  http.on('connection', (socket: Socket) => {
    socket.on('error', () => socket.destroy());
    const address = socket.remoteAddress ?? '';
    if (!limits.openUnsigned(address)) return refuseUpgrade(socket, 503, 'Too Many Connections');
    let counted = true;
    const release = () => {
      if (counted) limits.releaseUnsigned(address);
      counted = false;
    };
    socket.once('close', release);
    unsignedRelease.set(socket, release);
    // A socket quiet this long (nothing sent, or an idle keep-alive) is closed; an upgrade to a
    // websocket clears this (ws), and its sign-in has a timer of its own.
    socket.setTimeout(HEADERS_TIMEOUT_MS, () => socket.destroy());
  });
  // Malformed HTTP (or TLS bytes on the plain port): a 400 where the socket still takes one.
  http.on('clientError', (_error, socket: Duplex) => refuseUpgrade(socket, 400, 'Bad Request'));
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes });
  wss.on('error', (error) => console.error('sync-server: websocket server error', error));

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const target = upgradeTarget(request.url, request.headers.host);
      if (target.kind === 'refused') return refuseUpgrade(socket, target.status, target.reason);
      // Counted since the connection opened (above); signing in releases it.
      const signedIn = unsignedRelease.get(request.socket) ?? (() => undefined);
      wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
        ws.on('error', () => ws.terminate());
        if (target.kind === 'y') handleYConnection(ws, hub, limits, target.cardId, target.token, signedIn);
        else handleSyncConnection(ws, hub, limits, signedIn);
      });
    } catch (error) {
      console.error('sync-server: an upgrade request failed', error);
      refuseUpgrade(socket, 400, 'Bad Request');
    }
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 1234, host, () => resolve());
  });
  http.on('error', (error) => console.error('sync-server: http server error', error));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? 1234;
  return {
    port,
    url: `ws://${host}:${port}`,
    storage,
    hub,
    close: async () => {
      filler.stop();
      // The watch's tick under way ends first: it reads the store, which closes last.
      await accessWatch.stop();
      // No new connections; the open ones are asked to close, and every frame they sent before
      // that is still checked and stored (drain.ts) before the store closes.
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      for (const client of wss.clients) client.close(CLOSE_GOING_AWAY, 'server shutting down');
      // A client that does not answer the close within the grace is cut off (its frames so far still count).
      const cutOff = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, CLOSE_GRACE_MS);
      cutOff.unref();
      if (!(await hub.drain.whenEmpty(DRAIN_LIMIT_MS))) console.error(`sync-server: ${hub.drain.size} connections still had frames to handle after ${DRAIN_LIMIT_MS} ms; closing anyway`);
      clearTimeout(cutOff);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await stopped;
      await fanout?.stop();
      await hub.close();
      await checker.close();
      await storage.close();
    },
  };
}
