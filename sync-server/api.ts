/**
 * The custody API over HTTP (JSON), for the extension's side panel and Team desk: who am I,
 * whose customer is this (exact match, rate-limited), loans, proposals of controlled changes,
 * handovers, the team, the audit, the company's ABC cut-offs. Every request signs in with
 * `Authorization: Bearer <token>` and is decided by custody.ts on the rules of rights.ts.
 * One request needs no token: POST /api/invitations/redeem trades a one-time invitation code
 * for a token (invitations.ts). Bodies are JSON up to 64 KB; every refusal is a status with { error, message }. Bearer tokens
 * (no cookies), so any origin may call it (CORS *): the extension's pages do.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FieldValue } from '../shared/card-types.ts';
import { isCardId } from '../shared/card-id.ts';
import { authenticate, tokenTag } from './auth.ts';
import { redeemInvitation } from './invitations.ts';
import { CustodyError, HANDOVER_KINDS, parseUntil, type Custody } from './custody.ts';
import type { HandoverKind, User } from './storage.ts';

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

function fail(response: ServerResponse, status: number, error: string, message: string): void {
  reply(response, status, { error, message });
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new CustodyError('too-large', 'The request body is over 64 KB', 413);
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

const text = (value: unknown, name: string): string => {
  if (typeof value !== 'string') throw new CustodyError('invalid-value', `${name} must be a text`);
  return value;
};
const optionalText = (value: unknown, name: string): string | undefined => (value === undefined || value === null || value === '' ? undefined : text(value, name));
const boolean = (value: unknown): boolean => value === true;
/** A date as epoch ms or an ISO-8601 text. */
const when = (value: unknown, name: string): number | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') return parseUntil(value);
  throw new CustodyError('invalid-date', `${name} must be a date`);
};
const cardId = (value: unknown): string => {
  const id = text(value, 'cardId');
  if (!isCardId(id)) throw new CustodyError('not-found', 'No such card', 404);
  return id;
};

export function createApi(custody: Custody): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
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
    const method = request.method ?? 'GET';
    const get = method === 'GET';
    const post = method === 'POST';
    let match: RegExpExecArray | null;
    if (get && path === '/api/me') return reply(response, 200, { user: user.name, role: user.role, team: user.team });
    if (get && path === '/api/lookup') {
      if (!takeLookup(user.name)) return fail(response, 429, 'rate-limited', 'Too many lookups; try again in a moment');
      const email = optionalText(query.get('email') ?? undefined, 'email')?.toLowerCase();
      const domain = optionalText(query.get('domain') ?? undefined, 'domain')?.toLowerCase();
      if (!email && !domain) throw new CustodyError('invalid-value', 'Look up an email or a domain');
      if ((email?.length ?? 0) > 254 || (domain?.length ?? 0) > 253) throw new CustodyError('invalid-value', 'Too long');
      const found = await custody.lookup(user, email ? { email } : { domain: domain! });
      return reply(response, 200, { found: found ?? null });
    }
    if (get && (match = /^\/api\/cards\/([^/]+)\/custody$/.exec(path))) {
      const found = isCardId(match[1]!) ? await custody.custodyOf(user, match[1]!) : undefined;
      if (!found) return fail(response, 404, 'not-found', 'No such card');
      return reply(response, 200, found);
    }
    if (get && path === '/api/loans') return reply(response, 200, { loans: await custody.loansFor(user, { borrower: query.get('user') ?? undefined }) });
    if (post && path === '/api/loans') {
      const body = await readJson(request);
      const until = when(body.until, 'until');
      if (until === undefined) throw new CustodyError('invalid-date', 'Until when?');
      return reply(response, 201, { loan: await custody.requestLoan(user, cardId(body.cardId), until, text(body.reason ?? '', 'reason'), token) });
    }
    if (post && (match = /^\/api\/loans\/(\d{1,12})\/decision$/.exec(path))) {
      const body = await readJson(request);
      const decision = { approve: boolean(body.approve), until: when(body.until, 'until'), write: boolean(body.write), reason: text(body.reason ?? '', 'reason') };
      return reply(response, 200, { loan: await custody.decideLoan(user, Number(match[1]), decision, token) });
    }
    if (get && path === '/api/proposals') return reply(response, 200, { proposals: await custody.proposalsFor(user) });
    if (post && path === '/api/proposals') {
      const body = await readJson(request);
      const value = body.value as FieldValue;
      return reply(response, 201, { proposal: await custody.propose(user, cardId(body.cardId), text(body.field, 'field'), value, text(body.reason ?? '', 'reason'), token) });
    }
    if (post && (match = /^\/api\/proposals\/(\d{1,12})\/decision$/.exec(path))) {
      const body = await readJson(request);
      return reply(response, 200, { proposal: await custody.decideProposal(user, Number(match[1]), { approve: boolean(body.approve), reason: text(body.reason ?? '', 'reason') }, token) });
    }
    if (get && path === '/api/team') {
      if (user.role === 'rep') throw new CustodyError('forbidden', 'Only managers and admins see a team', 403);
      const users = (await custody.storage.listUsers()).filter((u) => user.role === 'admin' || (user.team !== null && u.team === user.team));
      const members = [];
      for (const u of users) members.push({ name: u.name, role: u.role, team: u.team, disabled: u.disabled, cards: (await custody.storage.cardOwners(u.name)).length });
      return reply(response, 200, { team: user.team, members });
    }
    if (get && path === '/api/handovers') {
      const all = await custody.storage.listHandovers(user.role === 'rep' ? { user: user.name } : {});
      const team = new Set(user.role === 'manager' && user.team ? await custody.storage.teamMembers(user.team) : []);
      const visible = user.role === 'manager' ? all.filter((h) => team.has(h.from) || team.has(h.to)) : all;
      return reply(response, 200, { handovers: visible.map(({ cardIds, ...h }) => ({ ...h, cards: cardIds.length })) });
    }
    if (post && path === '/api/handover') {
      const body = await readJson(request);
      const kind = text(body.kind ?? 'territory', 'kind') as HandoverKind;
      if (!HANDOVER_KINDS.includes(kind)) throw new CustodyError('invalid-value', 'The kind of handover is leaving, territory or cover');
      const ids = Array.isArray(body.cardIds) ? body.cardIds.map(cardId) : undefined;
      if (ids && ids.length > 10_000) throw new CustodyError('too-many', 'At most 10,000 cards at once');
      const handover = await custody.handover({ from: text(body.from, 'from'), to: text(body.to, 'to'), reason: text(body.reason ?? '', 'reason'), kind, cardIds: ids, until: when(body.until, 'until'), by: user });
      return reply(response, 201, { handover: { ...handover, cards: handover.cardIds.length } });
    }
    if (get && path === '/api/audit') {
      const card = query.get('card') ?? undefined;
      const person = query.get('user') ?? undefined;
      return reply(response, 200, { events: await custody.auditFor(user, { cardId: card, user: person }) });
    }
    if (get && path === '/api/classification') return reply(response, 200, await custody.abcCutoffs());
    return fail(response, 404, 'not-found', 'No such endpoint');
  }

  return async (request, response) => {
    try {
      if (request.method === 'OPTIONS') {
        response.writeHead(204, CORS).end();
        return;
      }
      const url = new URL(request.url ?? '/', 'http://server');
      // The one request without a token: an invitation code traded for the device's own token.
      if (request.method === 'POST' && url.pathname === '/api/invitations/redeem') {
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
      if (error instanceof CustodyError) return fail(response, error.status, error.code, error.message);
      console.error('sync-server: an API request failed', error);
      if (!response.headersSent) fail(response, 500, 'server-error', 'The server could not handle this request');
    }
  };
}
