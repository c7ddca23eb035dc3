/**
 * A tiny static server for the demo webmail pages (tests/fixtures/webmail) on 127.0.0.1.
 * Used by the e2e tests and by `npm start`. Serves only files inside that folder.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';

export const FIXTURE_DIR = join(process.cwd(), 'tests', 'fixtures', 'webmail');

export interface FixtureServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export async function serveFixtures(preferredPort = 0): Promise<FixtureServer> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const file = normalize(join(FIXTURE_DIR, path === '/' ? 'index.html' : path));
    if (!file.startsWith(FIXTURE_DIR + sep)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file)
      .then((body) => {
        response.writeHead(200, { 'content-type': file.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/octet-stream', 'cache-control': 'no-store' });
        response.end(body);
      })
      .catch(() => response.writeHead(404).end('not found'));
  });
  let port: number;
  try {
    port = await listen(server, preferredPort);
  } catch {
    port = await listen(server, 0);
  }
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
