/**
 * The sync server: an HTTP server whose websocket upgrades go to `/sync` (many documents per
 * connection) or `/y/<cardId>` (stock y-websocket, one card). Frames over 1 MiB are refused by
 * ws itself (close 1009). Storage is injected; the default is the embedded SQLite file.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { LIMITS } from '../shared/sync/protocol.ts';
import { fillMissingRows } from './card-row.ts';
import { Hub } from './hub.ts';
import type { Storage } from './storage.ts';
import { openSqliteStorage } from './storage-sqlite.ts';
import { handleSyncConnection } from './sync-endpoint.ts';
import { handleYConnection } from './y-endpoint.ts';

export interface ServerOptions {
  port?: number;
  host?: string;
  dataDir: string;
  storage?: Storage;
}

export interface RunningServer {
  port: number;
  url: string;
  storage: Storage;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const storage = options.storage ?? openSqliteStorage(options.dataDir);
  const hub = new Hub(storage);
  // Cards imported without an index row, or stored by an older version, get one in the background.
  const filler = fillMissingRows(storage);
  const http = createServer((request, response) => {
    if (request.url === '/health') response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    else response.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes });

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const yMatch = /^\/y\/([^/]+)$/.exec(url.pathname);
    if (url.pathname !== '/sync' && !yMatch) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      if (yMatch) handleYConnection(ws, hub, decodeURIComponent(yMatch[1]!), url.searchParams.get('token') ?? '');
      else handleSyncConnection(ws, hub);
    });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 1234, host, () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? 1234;
  return {
    port,
    url: `ws://${host}:${port}`,
    storage,
    close: async () => {
      filler.stop();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
      storage.close();
    },
  };
}
