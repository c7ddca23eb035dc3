/**
 * The per-address cap counts every connection from its first byte: half-open connections that
 * never send a request (a slow-loris flood) hold the address's slots, so a 65th connection is
 * refused with 503 instead of taking a descriptor, and connections that send nothing are closed
 * after the header timeout. Once they go, the address is served again.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, newDataDir, rawSocket, startServerProcess, waitUntil, type ServerProcess } from './helpers.ts';

function openTcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('half-open connections count against the per-address cap', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    const dataDir = newDataDir();
    await addUser(dataDir, 'someone');
    server = await startServerProcess(dataDir);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('64 silent TCP connections fill the address’s slots; the next request gets 503; they are closed after the header timeout', async () => {
    const silent = await Promise.all(Array.from({ length: 64 }, () => openTcp(server.port)));
    const closed = silent.map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // A 65th: answered 503 at once, whatever it asks.
    const response = await fetch(`http://127.0.0.1:${server.port}/health`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(response);
    await expect(rawSocket(`${server.url}/sync`)).rejects.toThrow(/503/);
    // The server ends connections that send no request within its header timeout (10 s).
    await Promise.race([Promise.all(closed), new Promise((_, reject) => setTimeout(() => reject(new Error('silent connections kept open')), 20_000))]);
    await waitUntil(async () => (await fetch(`http://127.0.0.1:${server.port}/health`)).status === 200, 5_000, 'served again');
  }, 40_000);
});
