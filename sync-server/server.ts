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
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ensurePinyin } from '../shared/pinyin.ts';
import { LIMITS } from '../shared/sync/protocol.ts';
import { watchAccess } from './access-watch.ts';
import { createApi } from './api.ts';
import { answerHealth } from './health.ts';
import { fillMissingRows } from './card-row.ts';
import { createConnectionLimits, type LimitOptions } from './connection-limits.ts';
import { httpEntry } from './server-routes.ts';
import { startFanout } from './fanout.ts';
import { Hub } from './hub.ts';
import type { Storage } from './storage.ts';
import { openSqliteStorage } from './storage-sqlite.ts';
import { handleSyncConnection } from './sync-endpoint.ts';
import { createUpdateChecker } from './update-checker.ts';
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
  /** How often loans' ends and other processes' changes are looked for (ms). */
  accessWatchMs?: number;
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

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  // Index rows the server builds carry their pinyin terms (devices then never rewrite them).
  await ensurePinyin();
  const storage = options.storage ?? openSqliteStorage(options.dataDir ?? './data');
  const checker = createUpdateChecker(options.checkTimeLimitMs);
  const hub = new Hub(storage, checker);
  const limits = createConnectionLimits(options.limits);
  // Cards imported without an index row, or stored by an older version, get one in the background.
  const filler = fillMissingRows(storage);
  const accessWatch = watchAccess(hub, options.accessWatchMs);
  const fanout = options.redisUrl ? startFanout(hub, options.redisUrl) : undefined;
  const api = createApi(hub.custody);
  const http = createServer((request, response) => {
    response.on('error', () => undefined);
    const entry = httpEntry(request.url);
    if (entry === 'health') void answerHealth(storage, response);
    else if (entry === 'api') void api(request, response);
    else response.writeHead(404).end();
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
      const address = request.socket.remoteAddress ?? '';
      if (!limits.openUnsigned(address)) return refuseUpgrade(socket, 503, 'Too Many Connections');
      let unsigned = true;
      const signedIn = () => {
        if (unsigned) limits.releaseUnsigned(address);
        unsigned = false;
      };
      socket.once('close', signedIn);
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
      accessWatch.stop();
      await fanout?.stop();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await hub.close();
      await checker.close();
      await storage.close();
    },
  };
}
