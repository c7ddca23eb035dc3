/**
 * The device's client of the server's custody API (sync-server/endpoints/api.ts): JSON over HTTP(S) at
 * the sync server's address, signed in with the same token as the sync connection. Used by the
 * side panel (whose customer is this, ask to borrow, the card's owner), the card page (propose
 * a controlled change) and the Team desk (loans, proposals, handover, audit). Offline or signed
 * out, calls fail with a CustodyApiError the pages show as text.
 */
import type { VersionedPolicy } from '../../shared/policy/policy.ts';
import type { FieldValue } from '../../shared/card-types.ts';
import { normaliseServerUrl } from './settings.ts';

export class CustodyApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 0,
    /** The refusal's other fields, as the server sent them (a policy refusal: `key`, `refusal`); never trusted as typed. */
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface Lookup {
  cardId: string;
  readable: boolean;
  name: string;
  owner: string;
  team: string | null;
  /** Cards of different owners claim this customer: owner and team are '' / null unless one of them is readable. */
  conflict?: boolean;
}

export interface CardCustody {
  owner: string;
  team: string | null;
  reason: 'own' | 'team' | 'loan' | 'admin';
  loanUntil: number | null;
  loanWrite: boolean;
  /** Locked against returning to the customer pool: by whom and when (null: not locked; absent: an older server). */
  poolLock?: { by: string; at: number } | null;
}

export interface LoanInfo {
  id: number;
  cardId: string;
  cardName: string;
  owner: string;
  borrower: string;
  reason: string;
  requestedAt: number;
  wantedUntil: number;
  status: 'requested' | 'active' | 'declined' | 'ended' | 'withdrawn';
  write: boolean;
  approver: string | null;
  decidedAt: number | null;
  decisionReason: string | null;
  until: number | null;
}

export interface ProposalInfo {
  id: number;
  cardId: string;
  cardName: string;
  owner: string;
  field: string;
  value: string;
  reason: string;
  by: string;
  at: number;
  status: 'open' | 'approved' | 'declined';
  decider: string | null;
  decisionReason: string | null;
}

export interface Member {
  name: string;
  role: 'rep' | 'manager' | 'admin';
  team: string | null;
  disabled: boolean;
  cards: number;
}

export interface HandoverInfo {
  id: number;
  from: string;
  to: string;
  reason: string;
  kind: 'leaving' | 'territory' | 'cover';
  until: number | null;
  by: string;
  at: number;
  cards: number;
  returnedAt: number | null;
}

export interface AuditEventInfo {
  id: number;
  at: number;
  user: string;
  token: string;
  action: string;
  cardId: string | null;
  detail: string;
}

export interface Me {
  user: string;
  role: 'rep' | 'manager' | 'admin';
  team: string | null;
}

export interface CustodyApi {
  me(): Promise<Me>;
  lookup(key: { email: string } | { domain: string }): Promise<Lookup | null>;
  custodyOf(cardId: string): Promise<CardCustody>;
  requestLoan(cardId: string, until: number, reason: string): Promise<LoanInfo>;
  loans(): Promise<LoanInfo[]>;
  decideLoan(id: number, decision: { approve: boolean; until?: number; write?: boolean; reason: string }): Promise<LoanInfo>;
  proposals(): Promise<ProposalInfo[]>;
  propose(cardId: string, field: string, value: FieldValue, reason: string): Promise<ProposalInfo>;
  decideProposal(id: number, decision: { approve: boolean; reason: string }): Promise<ProposalInfo>;
  team(): Promise<{ team: string | null; members: Member[] }>;
  handovers(): Promise<HandoverInfo[]>;
  handover(input: { from: string; to: string; reason: string; kind: HandoverInfo['kind']; cardIds?: string[]; until?: number }): Promise<HandoverInfo>;
  /** Admins: a one-time sign-in code for `user`, valid for a day. */
  invite(user: string): Promise<{ user: string; code: string; expiresAt: number }>;
  audit(filter: { card: string } | { user: string }): Promise<AuditEventInfo[]>;
  classification(): Promise<{ aMin: number | null; bMin: number | null; asOf: number }>;
  /** Which of these cards may leave in an export, print or backup (the server audits the request); the rest are counted. */
  takeOut(kind: 'export' | 'print' | 'backup', format: string, cardIds: readonly string[]): Promise<{ allowed: string[]; refused: number }>;
  /** Which of these cards the user may read now (a restore keeps only those). */
  readable(cardIds: readonly string[]): Promise<string[]>;
  /** The company policy (every signed-in user); set by admins only. */
  /** `atLeast`: the version the server told (an instance that has not heard of it yet reads it then). */
  policy(atLeast?: number): Promise<VersionedPolicy>;
  setPolicy(values: Record<string, string>): Promise<{ policy: VersionedPolicy; changes: string[] }>;
  /** The team's customer pool (公海), and the user's own customers due back in it. */
  pool(): Promise<PoolView>;
  claim(cardId: string): Promise<void>;
  /** A manager of the card's team (or an admin) locks the customer against returning to the pool, or unlocks it. */
  lockFromPool(cardId: string, locked: boolean): Promise<void>;
}

export interface PoolView {
  enabled: boolean;
  lines: { cardId: string; name: string; cls: string; lastContact: number; team: string; reason: '' | 'no-contact' | 'no-deal'; since: number; previousOwner: string }[];
  mine: { cardId: string; name: string; returnsAt: number; reason: 'no-contact' | 'no-deal' }[];
  claimsToday: number;
  dailyClaims: number;
  held: number;
  maxHeld: number;
}

/** ws://host:port → http://host:port (wss → https). */
export function apiBase(serverUrl: string): string | undefined {
  const normal = normaliseServerUrl(serverUrl);
  return normal?.replace(/^ws/, 'http');
}

export function createCustodyApi(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): CustodyApi {
  const base = apiBase(serverUrl);
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    if (!base || !token) throw new CustodyApiError('signed-out', 'Sign in to a sync server first');
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new CustodyApiError('offline', 'The server cannot be reached');
    }
    const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) throw new CustodyApiError(typeof data.error === 'string' ? data.error : 'server-error', typeof data.message === 'string' ? data.message : `HTTP ${response.status}`, response.status, data);
    return data as T;
  }
  const q = encodeURIComponent;
  return {
    me: () => call<Me>('GET', '/api/me'),
    lookup: async (key) => (await call<{ found: Lookup | null }>('GET', `/api/lookup?${'email' in key ? `email=${q(key.email)}` : `domain=${q(key.domain)}`}`)).found,
    custodyOf: (cardId) => call<CardCustody>('GET', `/api/cards/${q(cardId)}/custody`),
    requestLoan: async (cardId, until, reason) => (await call<{ loan: LoanInfo }>('POST', '/api/loans', { cardId, until, reason })).loan,
    loans: async () => (await call<{ loans: LoanInfo[] }>('GET', '/api/loans')).loans,
    decideLoan: async (id, decision) => (await call<{ loan: LoanInfo }>('POST', `/api/loans/${id}/decision`, decision)).loan,
    proposals: async () => (await call<{ proposals: ProposalInfo[] }>('GET', '/api/proposals')).proposals,
    propose: async (cardId, field, value, reason) => (await call<{ proposal: ProposalInfo }>('POST', '/api/proposals', { cardId, field, value, reason })).proposal,
    decideProposal: async (id, decision) => (await call<{ proposal: ProposalInfo }>('POST', `/api/proposals/${id}/decision`, decision)).proposal,
    team: () => call<{ team: string | null; members: Member[] }>('GET', '/api/team'),
    handovers: async () => (await call<{ handovers: HandoverInfo[] }>('GET', '/api/handovers')).handovers,
    handover: async (input) => (await call<{ handover: HandoverInfo }>('POST', '/api/handover', input)).handover,
    invite: (user) => call<{ user: string; code: string; expiresAt: number }>('POST', '/api/invitations', { user }),
    audit: async (filter) => (await call<{ events: AuditEventInfo[] }>('GET', `/api/audit?${'card' in filter ? `card=${q(filter.card)}` : `user=${q(filter.user)}`}`)).events,
    classification: () => call('GET', '/api/classification'),
    takeOut: (kind, format, cardIds) => call('POST', '/api/archive/take-out', { kind, format, cardIds }),
    readable: async (cardIds) => (await call<{ readable: string[] }>('POST', '/api/archive/readable', { cardIds })).readable,
    policy: (atLeast) => call<VersionedPolicy>('GET', atLeast ? `/api/policy?atLeast=${atLeast}` : '/api/policy'),
    setPolicy: (values) => call('POST', '/api/policy', { values }),
    pool: () => call<PoolView>('GET', '/api/pool'),
    claim: async (cardId) => void (await call('POST', `/api/pool/${q(cardId)}/claim`)),
    lockFromPool: async (cardId, locked) => void (await call('POST', `/api/cards/${q(cardId)}/pool-lock`, { locked })),
  };
}
