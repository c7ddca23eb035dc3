/**
 * The one table of rules for every route the server answers (server-routes.ts lists them): who
 * may call it, and what each kind of caller gets when asking about a card owned by a rep — its
 * owner, a colleague of the same team, the team's manager, another team's manager, a borrower
 * with an active loan, a borrower whose loan has ended, an admin, a disabled user and a stranger
 * without a valid token. The route
 * suite (routes.test.ts) generates one case per route and caller from this table, and fails when
 * the server answers a route that has no rule here, or a rule names a route the server lacks.
 *
 * An HTTP outcome is a status and whether the reply names the card (its id) at all; a websocket
 * outcome is 'receives' (the card reaches the caller), 'nothing' (signed in, the card never
 * comes) or the close code.
 */
import { CLOSE } from '../../shared/sync/protocol.ts';

export const PERSONAS = ['owner', 'colleague', 'manager', 'otherManager', 'borrower', 'pastBorrower', 'admin', 'disabled', 'stranger'] as const;
export type Persona = (typeof PERSONAS)[number];

export type HttpOutcome = { status: number; names?: boolean };
export type WsOutcome = 'receives' | 'nothing' | number;
export type Outcome = HttpOutcome | WsOutcome;

/** What a case has to work with: a fresh card of the owner's, lent to the borrower (and once to the past borrower), with a loan request and a proposal open on it. */
export interface Fixture {
  cardId: string;
  email: string;
  loanRequestId: number;
  proposalId: number;
}

export type Request = { method: string; path: string; body?: unknown };

export interface Rule {
  /** Who may call it, in words. */
  who: string;
  /** How a case calls it (websocket routes: none, the suite connects). */
  request?: (fixture: Fixture) => Request;
  expect: Record<Persona, Outcome>;
}

const SIGNED_OUT = { disabled: { status: 401 }, stranger: { status: 401 } } as const;
const everyone = (outcome: HttpOutcome): Record<Persona, Outcome> => Object.fromEntries(PERSONAS.map((p) => [p, outcome])) as Record<Persona, Outcome>;
const signedIn = (outcome: HttpOutcome, except: Partial<Record<Persona, Outcome>> = {}): Record<Persona, Outcome> => ({ ...everyone(outcome), ...SIGNED_OUT, ...except });
/** Those who may read the card (owner, team manager, borrower, admin) get `yes`, the other signed-in users `no`. */
const readers = (yes: HttpOutcome, no: HttpOutcome): Record<Persona, Outcome> => ({ owner: yes, manager: yes, borrower: yes, admin: yes, colleague: no, otherManager: no, pastBorrower: no, ...SIGNED_OUT });
/** Those who may decide for the card (its team's manager, admins) get `yes`, the other signed-in users `no`. */
const deciders = (yes: HttpOutcome, no: HttpOutcome): Record<Persona, Outcome> => ({ manager: yes, admin: yes, owner: no, colleague: no, otherManager: no, borrower: no, pastBorrower: no, ...SIGNED_OUT });

const NOT_FOUND = { status: 404, names: false };

export const ROUTE_RULES: Record<string, Rule> = {
  'GET /health': { who: 'anyone', request: () => ({ method: 'GET', path: '/health' }), expect: everyone({ status: 200 }) },
  'OPTIONS /api/*': { who: 'anyone (CORS preflight; nothing read)', request: () => ({ method: 'OPTIONS', path: '/api/me' }), expect: everyone({ status: 204 }) },
  'POST /api/invitations/redeem': { who: 'anyone: the one-time code is the credential (a wrong one gets 400, nothing else)', request: () => ({ method: 'POST', path: '/api/invitations/redeem', body: { code: 'NOT-A-CODE' } }), expect: everyone({ status: 400 }) },
  'GET /api/me': { who: 'any signed-in user', request: () => ({ method: 'GET', path: '/api/me' }), expect: signedIn({ status: 200, names: false }) },
  'GET /api/lookup': {
    who: 'any signed-in user: the card if readable, else only name, owner and team',
    request: (f) => ({ method: 'GET', path: `/api/lookup?email=${encodeURIComponent(f.email)}` }),
    expect: signedIn({ status: 200, names: true }),
  },
  'GET /api/cards/:cardId/custody': { who: 'those who may read the card', request: (f) => ({ method: 'GET', path: `/api/cards/${f.cardId}/custody` }), expect: readers({ status: 200 }, NOT_FOUND) },
  'GET /api/loans': {
    who: 'any signed-in user: their own loans, and those of cards they own or may decide for',
    request: () => ({ method: 'GET', path: '/api/loans' }),
    expect: { ...deciders({ status: 200, names: true }, { status: 200, names: false }), owner: { status: 200, names: true }, borrower: { status: 200, names: true }, pastBorrower: { status: 200, names: true } },
  },
  'POST /api/loans': {
    who: 'a signed-in user who cannot read the card otherwise (a borrower renews)',
    request: (f) => ({ method: 'POST', path: '/api/loans', body: { cardId: f.cardId, until: Date.now() + 86_400_000, reason: 'route case' } }),
    expect: { owner: { status: 400 }, manager: { status: 400 }, admin: { status: 400 }, colleague: { status: 201 }, otherManager: { status: 201 }, borrower: { status: 201 }, pastBorrower: { status: 201 }, ...SIGNED_OUT },
  },
  'POST /api/loans/:id/decision': {
    who: 'those who may decide for the card',
    request: (f) => ({ method: 'POST', path: `/api/loans/${f.loanRequestId}/decision`, body: { approve: false, reason: 'route case' } }),
    expect: deciders({ status: 200 }, NOT_FOUND),
  },
  'GET /api/proposals': {
    who: 'any signed-in user: their own proposals, and those on cards they may decide for',
    request: () => ({ method: 'GET', path: '/api/proposals' }),
    expect: { ...deciders({ status: 200, names: true }, { status: 200, names: false }), owner: { status: 200, names: true } },
  },
  'POST /api/proposals': {
    who: 'those who may read the card',
    request: (f) => ({ method: 'POST', path: '/api/proposals', body: { cardId: f.cardId, field: 'creditRating', value: 'B', reason: 'route case' } }),
    expect: readers({ status: 201 }, NOT_FOUND),
  },
  'POST /api/proposals/:id/decision': {
    who: 'those who may decide for the card',
    request: (f) => ({ method: 'POST', path: `/api/proposals/${f.proposalId}/decision`, body: { approve: false, reason: 'route case' } }),
    expect: deciders({ status: 200 }, NOT_FOUND),
  },
  'GET /api/team': {
    who: 'managers (their team) and admins',
    request: () => ({ method: 'GET', path: '/api/team' }),
    expect: { owner: { status: 403 }, colleague: { status: 403 }, borrower: { status: 403 }, pastBorrower: { status: 403 }, manager: { status: 200, names: false }, otherManager: { status: 200, names: false }, admin: { status: 200, names: false }, ...SIGNED_OUT },
  },
  'GET /api/handovers': { who: 'any signed-in user: handovers from or to people they see', request: () => ({ method: 'GET', path: '/api/handovers' }), expect: signedIn({ status: 200, names: false }) },
  'POST /api/handover': {
    who: 'those who may decide for the cards, to someone of their team',
    request: (f) => ({ method: 'POST', path: '/api/handover', body: { from: 'rob', to: 'rita', reason: 'route case', kind: 'territory', cardIds: [f.cardId] } }),
    expect: deciders({ status: 201 }, NOT_FOUND),
  },
  'GET /api/audit': { who: 'a card’s audit: those who may decide for it', request: (f) => ({ method: 'GET', path: `/api/audit?card=${f.cardId}` }), expect: deciders({ status: 200 }, NOT_FOUND) },
  'POST /api/invitations': {
    who: 'admins: a one-time sign-in code for a user',
    request: () => ({ method: 'POST', path: '/api/invitations', body: { user: 'rob' } }),
    expect: { owner: { status: 403 }, colleague: { status: 403 }, manager: { status: 403 }, otherManager: { status: 403 }, borrower: { status: 403 }, pastBorrower: { status: 403 }, admin: { status: 201, names: false }, ...SIGNED_OUT },
  },
  'GET /api/classification': { who: 'any signed-in user (cut-offs only)', request: () => ({ method: 'GET', path: '/api/classification' }), expect: signedIn({ status: 200, names: false }) },
  'POST /api/archive/take-out': {
    who: 'any signed-in user; the reply names only the cards they may take out (a rep her own, never borrowed ones; a manager the team’s; an admin all)',
    request: (f) => ({ method: 'POST', path: '/api/archive/take-out', body: { kind: 'export', format: 'csv', cardIds: [f.cardId] } }),
    expect: { owner: { status: 200, names: true }, manager: { status: 200, names: true }, admin: { status: 200, names: true }, colleague: { status: 200, names: false }, otherManager: { status: 200, names: false }, borrower: { status: 200, names: false }, pastBorrower: { status: 200, names: false }, ...SIGNED_OUT },
  },
  'POST /api/archive/readable': {
    who: 'any signed-in user; the reply names only the cards they may read',
    request: (f) => ({ method: 'POST', path: '/api/archive/readable', body: { cardIds: [f.cardId] } }),
    expect: readers({ status: 200, names: true }, { status: 200, names: false }),
  },
  'GET /api/policy': { who: 'any signed-in user (the company policy: rules, no customer data)', request: () => ({ method: 'GET', path: '/api/policy' }), expect: signedIn({ status: 200, names: false }) },
  'POST /api/policy': {
    who: 'admins only',
    request: () => ({ method: 'POST', path: '/api/policy', body: { values: { 'cadence.A': '14' } } }),
    expect: signedIn({ status: 403 }, { admin: { status: 200, names: false } }),
  },
  'GET /api/policy/history': { who: 'admins only', request: () => ({ method: 'GET', path: '/api/policy/history' }), expect: signedIn({ status: 403 }, { admin: { status: 200, names: false } }) },
  'GET /api/pool': { who: 'any signed-in user: their team’s pool (admins: every team’s) and their own customers due back', request: () => ({ method: 'GET', path: '/api/pool' }), expect: signedIn({ status: 200, names: false }) },
  'POST /api/pool/:cardId/claim': {
    who: 'a member of the pool’s team; a card not in the pool is no such card to everyone',
    request: (f) => ({ method: 'POST', path: `/api/pool/${f.cardId}/claim` }),
    expect: signedIn(NOT_FOUND),
  },
  'POST /api/cards/:cardId/pool-lock': {
    who: 'those who may decide for the card',
    request: (f) => ({ method: 'POST', path: `/api/cards/${f.cardId}/pool-lock`, body: { locked: false } }),
    expect: deciders({ status: 200 }, NOT_FOUND),
  },
  'GET /sync': {
    who: 'any signed-in user: every card they may read, nothing else',
    expect: { owner: 'receives', manager: 'receives', borrower: 'receives', admin: 'receives', colleague: 'nothing', otherManager: 'nothing', pastBorrower: 'nothing', disabled: CLOSE.USER_DISABLED, stranger: CLOSE.UNAUTHORIZED },
  },
  'GET /y/:cardId': {
    who: 'those who may read the card; anyone else gets what a card that does not exist gives (an empty room)',
    expect: { owner: 'receives', manager: 'receives', borrower: 'receives', admin: 'receives', colleague: 'nothing', otherManager: 'nothing', pastBorrower: 'nothing', disabled: CLOSE.USER_DISABLED, stranger: CLOSE.UNAUTHORIZED },
  },
};

export const routeKey = (route: { method: string; path: string }) => `${route.method} ${route.path}`;
