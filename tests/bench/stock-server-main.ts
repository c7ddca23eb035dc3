/**
 * The stock y-websocket server (@y/websocket-server 0.1.1), one connection per card, with the
 * benchmark's cards loaded into its in-memory docs. Run as a child process by the benchmarks:
 *   node --import tsx tests/bench/stock-server-main.ts <states-file>
 * The states file is a sequence of (id length: u16, id, state length: u32, state).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { getYDoc, setupWSConnection } from '@y/websocket-server/utils';

const file = readFileSync(process.argv[2]!);
let offset = 0;
let count = 0;
while (offset < file.length) {
  const idLength = file.readUInt16LE(offset);
  const id = file.toString('utf8', offset + 2, offset + 2 + idLength);
  offset += 2 + idLength;
  const stateLength = file.readUInt32LE(offset);
  const state = new Uint8Array(file.buffer, file.byteOffset + offset + 4, stateLength);
  offset += 4 + stateLength;
  Y.applyUpdate(getYDoc(id) as Y.Doc, state);
  count++;
}
const http = createServer((_request, response) => response.writeHead(200).end('ok'));
const wss = new WebSocketServer({ server: http });
wss.on('connection', (conn, request) => setupWSConnection(conn, request));
http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  console.log(`stock server with ${count} docs listening on ${typeof address === 'object' && address ? address.port : 0}`);
});
