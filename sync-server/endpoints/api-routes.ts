/**
 * Every route of the custody API, as one table: method, path (`:cardId`, `:id` are parameters)
 * and handler. api.ts dispatches by this table only, so the table is the API: the route-rules
 * test reads it (with the server's other entries, server-routes.ts) and fails on a route that
 * has no rule. Handlers parse their input and ask custody.ts, which decides on rights.ts.
 */
import type { FieldValue } from '../../shared/card-types.ts';
import { isCardId } from '../../shared/card-id.ts';
import { CustodyError, HANDOVER_KINDS, NO_SUCH_CARD, parseUntil, type Custody } from '../custody/custody.ts';
import { inviteUser } from '../custody/invitations.ts';
import { mayInvite } from '../../shared/rights/rights.ts';
import { TAKE_OUT_KINDS, type TakeOutKind } from '../../shared/rights/take-out.ts';
import type { HandoverKind, User } from '../storage/storage.ts';
import type { LimitOptions } from './connection-limits.ts';

export interface ApiContext {
  custody: Custody;
  user: User;
  /** The token's short tag, for the audit. */
  token: string;
  query: URLSearchParams;
  params: Record<string, string>;
  /** The request's JSON body, up to 64 KB unless the route allows more. */
  body(maxBytes?: number): Promise<Record<string, unknown>>;
  /** Takes one lookup from the user's allowance; false when it is spent. */
  takeLookup(user: string): boolean;
  /** The server's per-user quotas (the open proposals one user may have). */
  limits: Pick<LimitOptions, 'openProposalsPerUser'>;
}

export interface ApiRoute {
  method: 'GET' | 'POST';
  path: string;
  handle(context: ApiContext): Promise<{ status: number; body: unknown }>;
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
  if (!isCardId(id)) throw new CustodyError('not-found', NO_SUCH_CARD, 404);
  return id;
};
const ok = (body: unknown, status = 200) => ({ status, body });
/** A list of card ids (a whole register: up to 50,000); ids of any other shape are left out, as cards that do not exist. */
const MAX_IDS = 50_000;
const cardIds = (value: unknown): string[] => {
  if (!Array.isArray(value)) throw new CustodyError('invalid-value', 'cardIds must be a list of card ids');
  if (value.length > MAX_IDS) throw new CustodyError('too-many', `At most ${MAX_IDS} cards at once`);
  return value.filter((id): id is string => isCardId(id));
};
/** A file format's short name (csv, xlsx, vcf, json, a4…). */
const format = (value: unknown): string => {
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9.-]{0,15}$/.test(value)) throw new CustodyError('invalid-value', 'format must be a short name such as csv, xlsx, vcf, json or a4');
  return value;
};
/** Room for MAX_IDS ids in a body. */
const LIST_BODY = 2 * 1024 * 1024 + 64 * 1024;

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'GET', path: '/api/me', handle: async ({ user }) => ok({ user: user.name, role: user.role, team: user.team }) },
  {
    method: 'GET',
    path: '/api/lookup',
    handle: async ({ custody, user, query, takeLookup }) => {
      if (!takeLookup(user.name)) return { status: 429, body: { error: 'rate-limited', message: 'Too many lookups; try again in a moment' } };
      const email = optionalText(query.get('email') ?? undefined, 'email')?.toLowerCase();
      const domain = optionalText(query.get('domain') ?? undefined, 'domain')?.toLowerCase();
      if (!email && !domain) throw new CustodyError('invalid-value', 'Look up an email or a domain');
      if ((email?.length ?? 0) > 254 || (domain?.length ?? 0) > 253) throw new CustodyError('invalid-value', 'Too long');
      const found = await custody.lookup(user, email ? { email } : { domain: domain! });
      return ok({ found: found ?? null });
    },
  },
  {
    method: 'GET',
    path: '/api/cards/:cardId/custody',
    handle: async ({ custody, user, params }) => {
      const found = isCardId(params.cardId) ? await custody.custodyOf(user, params.cardId) : undefined;
      if (!found) throw new CustodyError('not-found', NO_SUCH_CARD, 404);
      return ok(found);
    },
  },
  { method: 'GET', path: '/api/loans', handle: async ({ custody, user, query }) => ok({ loans: await custody.loansFor(user, { borrower: query.get('user') ?? undefined }) }) },
  {
    method: 'POST',
    path: '/api/loans',
    handle: async ({ custody, user, token, body }) => {
      const input = await body();
      const until = when(input.until, 'until');
      if (until === undefined) throw new CustodyError('invalid-date', 'Until when?');
      return ok({ loan: await custody.requestLoan(user, cardId(input.cardId), until, text(input.reason ?? '', 'reason'), token) }, 201);
    },
  },
  {
    method: 'POST',
    path: '/api/loans/:id/decision',
    handle: async ({ custody, user, token, params, body }) => {
      const input = await body();
      const decision = { approve: boolean(input.approve), until: when(input.until, 'until'), write: boolean(input.write), reason: text(input.reason ?? '', 'reason') };
      return ok({ loan: await custody.decideLoan(user, Number(params.id), decision, token) });
    },
  },
  { method: 'GET', path: '/api/proposals', handle: async ({ custody, user }) => ok({ proposals: await custody.proposalsFor(user) }) },
  {
    method: 'POST',
    path: '/api/proposals',
    handle: async ({ custody, user, token, body, limits }) => {
      const input = await body();
      const proposal = await custody.propose(user, cardId(input.cardId), text(input.field, 'field'), input.value as FieldValue, text(input.reason ?? '', 'reason'), token, limits.openProposalsPerUser);
      return ok({ proposal }, 201);
    },
  },
  {
    method: 'POST',
    path: '/api/proposals/:id/decision',
    handle: async ({ custody, user, token, params, body }) => {
      const input = await body();
      return ok({ proposal: await custody.decideProposal(user, Number(params.id), { approve: boolean(input.approve), reason: text(input.reason ?? '', 'reason') }, token) });
    },
  },
  { method: 'GET', path: '/api/team', handle: async ({ custody, user }) => ok(await custody.teamFor(user)) },
  { method: 'GET', path: '/api/handovers', handle: async ({ custody, user }) => ok({ handovers: (await custody.handoversFor(user)).map(({ cardIds, ...h }) => ({ ...h, cards: cardIds.length })) }) },
  {
    method: 'POST',
    path: '/api/handover',
    handle: async ({ custody, user, body }) => {
      const input = await body();
      const kind = text(input.kind ?? 'territory', 'kind') as HandoverKind;
      if (!HANDOVER_KINDS.includes(kind)) throw new CustodyError('invalid-value', 'The kind of handover is leaving, territory or cover');
      const ids = Array.isArray(input.cardIds) ? input.cardIds.map(cardId) : undefined;
      if (ids && ids.length > 10_000) throw new CustodyError('too-many', 'At most 10,000 cards at once');
      const handover = await custody.handover({ from: text(input.from, 'from'), to: text(input.to, 'to'), reason: text(input.reason ?? '', 'reason'), kind, cardIds: ids, until: when(input.until, 'until'), by: user });
      return ok({ handover: { ...handover, cards: handover.cardIds.length } }, 201);
    },
  },
  {
    method: 'GET',
    path: '/api/audit',
    handle: async ({ custody, user, query }) => ok({ events: await custody.auditFor(user, { cardId: query.get('card') ?? undefined, user: query.get('user') ?? undefined }) }),
  },
  { method: 'GET', path: '/api/classification', handle: async ({ custody }) => ok(await custody.abcCutoffs()) },
  {
    // An admin invites a user from the dashboard, as `user invite` does on the command line.
    method: 'POST',
    path: '/api/invitations',
    handle: async ({ custody, user, body }) => {
      if (!mayInvite(user)) throw new CustodyError('forbidden', 'Only an admin invites users', 403);
      const name = text((await body()).user, 'user').trim();
      if (!name || name.length > 200) throw new CustodyError('invalid-value', 'Name the user to invite');
      const found = await custody.storage.getUser(name);
      if (!found) throw new CustodyError('unknown-user', `No user "${name}": add it first with "user add"`);
      if (found.disabled) throw new CustodyError('user-disabled', `The user "${name}" is disabled`);
      const invited = await inviteUser(custody.storage, name);
      return ok({ user: name, code: invited.code, expiresAt: invited.expiresAt }, 201);
    },
  },
  {
    method: 'POST',
    path: '/api/archive/take-out',
    handle: async ({ custody, user, token, body }) => {
      const input = await body(LIST_BODY);
      const kind = text(input.kind, 'kind') as TakeOutKind;
      if (!TAKE_OUT_KINDS.includes(kind)) throw new CustodyError('invalid-value', 'kind is export, print or backup');
      return ok(await custody.takeOut(user, { kind, format: format(input.format), cardIds: cardIds(input.cardIds) }, token));
    },
  },
  {
    method: 'POST',
    path: '/api/archive/readable',
    handle: async ({ custody, user, token, body }) => ok({ readable: await custody.readableOf(user, cardIds((await body(LIST_BODY)).cardIds), token) }),
  },
  {
    method: 'GET',
    path: '/api/policy',
    handle: async ({ custody, query }) => {
      // A device told version N (by whichever instance it is connected to) asks for at least N:
      // an instance that has not heard of N yet reads it now instead of serving the older one.
      const atLeast = Number(query.get('atLeast') ?? 0);
      return ok(Number.isSafeInteger(atLeast) && atLeast > 0 ? await custody.policy.atLeast(atLeast) : await custody.policy.current());
    },
  },
  {
    method: 'POST',
    path: '/api/policy',
    handle: async ({ custody, user, token, body }) => {
      const input = await body();
      const values = input.values;
      if (values === null || typeof values !== 'object' || Array.isArray(values)) throw new CustodyError('invalid-value', 'Send { values: { key: value } }');
      const entries = Object.entries(values as Record<string, unknown>).map(([key, value]) => {
        if (typeof value === 'string') return [key, value] as const;
        if (typeof value === 'number' || typeof value === 'boolean') return [key, String(value)] as const;
        if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return [key, value.join(',')] as const;
        throw new CustodyError('invalid-value', `${key}: a value is a text, a number, true or false`);
      });
      return ok(await custody.policy.set(user, entries, token));
    },
  },
  { method: 'GET', path: '/api/pool', handle: async ({ custody, user }) => ok(await custody.pool.view(user)) },
  {
    method: 'POST',
    path: '/api/pool/:cardId/claim',
    handle: async ({ custody, user, token, params }) => {
      if (!isCardId(params.cardId)) throw new CustodyError('not-found', NO_SUCH_CARD, 404);
      return ok({ claimed: await custody.pool.claim(user, params.cardId, token) });
    },
  },
  {
    method: 'POST',
    path: '/api/cards/:cardId/pool-lock',
    handle: async ({ custody, user, token, params, body }) => {
      const input = await body();
      // `locked` is true (the default) or false; anything else is refused, not taken as a lock.
      if (input.locked !== undefined && typeof input.locked !== 'boolean') throw new CustodyError('invalid-value', 'locked is true or false');
      const card = isCardId(params.cardId) ? await custody.storage.getCard(params.cardId) : undefined;
      await custody.pool.lock(user, card && (await custody.factsOf(card)), input.locked !== false, token);
      return ok({ locked: input.locked !== false });
    },
  },
  { method: 'GET', path: '/api/policy/history', handle: async ({ custody, user }) => ok({ versions: await custody.policy.history(user) }) },
];

/** The parameters' shapes: a card id is one path segment (checked by the handler), a request number 1–12 digits. */
const PARAMETER: Record<string, string> = { cardId: '([^/]+)', id: '(\\d{1,12})' };

const compiled = API_ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.path.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
    names.push(name);
    return PARAMETER[name] ?? '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
});

/** The route a request goes to, with its parameters, or undefined (404). */
export function findApiRoute(method: string, path: string): { route: ApiRoute; params: Record<string, string> } | undefined {
  for (const { route, pattern, names } of compiled) {
    if (route.method !== method) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    names.forEach((name, i) => (params[name] = match[i + 1]!));
    return { route, params };
  }
  return undefined;
}
