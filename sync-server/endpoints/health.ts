/**
 * `GET /health`: 200 `ok` while the process serves requests and its store answers a read within
 * HEALTH_TIMEOUT_MS; 503 `database unavailable` otherwise, so a proxy takes the instance out of
 * rotation while its database is away (docs/DEPLOY.md).
 */
import type { ServerResponse } from 'node:http';
import type { Storage } from '../storage/storage.ts';

export const HEALTH_TIMEOUT_MS = 2_000;

export async function storeAnswers(storage: Storage, timeoutMs = HEALTH_TIMEOUT_MS): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([storage.maxSeq().then(() => true as const), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export async function answerHealth(storage: Storage, response: ServerResponse): Promise<void> {
  const ok = await storeAnswers(storage);
  response.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'database unavailable');
}
