/**
 * The custody API over HTTP (JSON), for the extension's side panel and Team desk: who am I,
 * whose customer is this (exact match, rate-limited), loans, proposals of controlled changes,
 * handovers, the team, the audit, what may leave the archive (export, print, backup; audited), the company's ABC cut-offs (the routes: api-routes.ts). Every request signs in with
 * `Authorization: Bearer <token>` and is decided by custody.ts on the rules of rights.ts.
 * One request needs no token: POST /api/invitations/redeem trades a one-time invitation code
 * for a token (invitations.ts). Bodies are JSON up to 64 KB (a list of card ids up to about 2 MB); every refusal is a status with { error, message }. Bearer tokens
 * (no cookies), so any origin may call it (CORS *): the extension's pages do.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findApiRoute } from './api-routes.ts';
import { authenticate, tokenTag } from '../custody/auth.ts';
import { CustodyError, type Custody } from '../custody/custody.ts';
import { createAttemptLimit, INVITATION_ATTEMPTS } from '../custody/attempt-limit.ts';
import { redeemInvitation } from '../custody/invitations.ts';
import { refusalFloor } from './refusal-floor.ts';
import { INVITATION_REDEEM_PATH } from './server-routes.ts';
import type { User } from '../storage/storage.ts';
import { DEFAULT_LIMITS, type LimitOptions } from './connection-limits.ts';

const MAX_BODY = 64 * 1024;
/** Lookups: a burst of 30, then one every 2 s per user (an exact match, never a listing). */
const LOOKUP_BURST = 30;
const LOOKUP_REFILL_MS = 2_000;

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-max-age': '600',
};

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { ...CORS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function fail(response: ServerResponse, status: number, error: string, message: string, detail?: Record<string, unknown>): void {
  reply(response, status, { ...detail, error, message });
}

async function readJson(request: IncomingMessage, maxBody = MAX_BODY): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBody) throw new CustodyError('too-large', `The request body is over ${Math.round(maxBody / 1024)} KB`, 413);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new CustodyError('bad-json', 'The request body is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CustodyError('bad-json', 'The request body must be a JSON object');
  return parsed as Record<string, unknown>;
}


export function createApi(custody: Custody, limits: LimitOptions = DEFAULT_LIMITS): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const redeemTries = createAttemptLimit(INVITATION_ATTEMPTS);
  const lookups = new Map<string, { tokens: number; at: number }>();
  const takeLookup = (user: string): boolean => {
    const now = Date.now();
    const bucket = lookups.get(user) ?? { tokens: LOOKUP_BURST, at: now };
    bucket.tokens = Math.min(LOOKUP_BURST, bucket.tokens + (now - bucket.at) / LOOKUP_REFILL_MS);
    bucket.at = now;
    lookups.set(user, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };

  async function route(request: IncomingMessage, response: ServerResponse, user: User, token: string, path: string, query: URLSearchParams): Promise<void> {
    const found = findApiRoute(request.method ?? 'GET', path);
    if (!found) return fail(response, 404, 'not-found', 'No such endpoint');
    const answer = await found.route.handle({ custody, user, token, query, params: found.params, body: (maxBytes?: number) => readJson(request, maxBytes), takeLookup, limits });
    return reply(response, answer.status, answer.body);
  }

  return async (request, response) => {
    const started = Date.now();
    try {
      if (request.method === 'OPTIONS') {
        response.writeHead(204, CORS).end();
        return;
      }
      const url = new URL(request.url ?? '/', 'http://server');
      // The one request without a token: an invitation code traded for the device's own token.
      if (request.method === 'POST' && url.pathname === INVITATION_REDEEM_PATH) {
        // Tries are counted per address before the code is read: guessing codes stops after a few.
        const wait = redeemTries.take(request.socket.remoteAddress ?? '');
        if (wait > 0) {
          const minutes = Math.ceil(wait / 60_000);
          return fail(response, 429, 'too-many-attempts', `Too many invitation codes were tried from this address: wait ${minutes} minute${minutes === 1 ? '' : 's'} and type the code again`);
        }
        const body = await readJson(request);
        const redeemed = await redeemInvitation(custody.storage, typeof body.code === 'string' ? body.code : '');
        if (!redeemed.ok) return fail(response, 400, redeemed.code, redeemed.message);
        return reply(response, 200, { token: redeemed.token, user: redeemed.user.name, role: redeemed.user.role, team: redeemed.user.team });
      }
      const header = request.headers.authorization ?? '';
      const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      const status = await authenticate(custody.storage, token);
      if (status?.state === 'disabled') return fail(response, 401, 'user-disabled', 'This account was disabled');
      if (!status) return fail(response, 401, 'unauthorized', 'Unknown or revoked token');
      await route(request, response, status.user, tokenTag(token), url.pathname, url.searchParams);
    } catch (error) {
      if (error instanceof CustodyError) {
        // "No such card" and "not yours" are one reply, in timing too (refusal-floor.ts).
        if (error.status === 404) await refusalFloor(started);
        return fail(response, error.status, error.code, error.message, error.detail);
      }
      console.error('sync-server: an API request failed', error);
      if (!response.headersSent) fail(response, 500, 'server-error', 'The server could not handle this request');
    }
  };
}
