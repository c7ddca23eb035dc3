/**
 * What the user may do with the card a page shows, from the shared rules (shared/rights/
 * field-access.ts) and what the server tells this device: who the user is (role, team), the
 * card's owner and team, the user's loan of it, and the open proposals on it, all kept live
 * (use-custody.ts). Signed out, the device is its own user's (OFFLINE_ACCESS). A page computes
 * it once (useCardAccess) and hands it to its sections through CardAccessContext.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { cardAccess, deviceCardAccess, fieldAccess, OFFLINE_ACCESS, type CardAccess, type FieldAccess } from '../../../shared/rights/field-access.ts';
import type { CardCustody, ProposalInfo } from '../../sync/custody-api.ts';
import { useCardCustody, useCustodyApi, useLiveTick, useMe, useRole } from './use-custody.ts';
import { useSyncStatus } from './use-sync-status.ts';

export interface CardAccessState {
  access: CardAccess;
  /** What the server told of the card (undefined: signed out, offline, or not on the server yet). */
  custody: CardCustody | undefined;
  /** Open proposals on this card (a rep's own; a manager's team's). */
  proposals: ProposalInfo[];
  signedIn: boolean;
}

const OFFLINE: CardAccessState = { access: OFFLINE_ACCESS, custody: undefined, proposals: [], signedIn: false };
const CardAccessContext = createContext<CardAccessState>(OFFLINE);

function useOpenProposals(cardId: string | undefined, wanted: boolean): ProposalInfo[] {
  const api = useCustodyApi(wanted);
  const tick = useLiveTick();
  const [proposals, setProposals] = useState<{ cardId: string; list: ProposalInfo[] }>();
  useEffect(() => {
    if (!api || !cardId) return;
    let live = true;
    api.proposals().then(
      (all) => {
        const list = all.filter((proposal) => proposal.cardId === cardId && proposal.status === 'open');
        if (live) setProposals((old) => (old?.cardId === cardId && JSON.stringify(old.list) === JSON.stringify(list) ? old : { cardId, list }));
      },
      () => undefined, // offline: the last list stays
    );
    return () => {
      live = false;
    };
  }, [api, cardId, tick]);
  return api && proposals && proposals.cardId === cardId ? proposals.list : [];
}

/**
 * The user's access to `cardId`; `localOwner` is the card's own owner field (used until the
 * server has told). `withProposals`: also the open proposals on it (the card page shows them).
 */
export function useCardAccess(cardId: string | undefined, localOwner: string | undefined, withProposals = true): CardAccessState {
  const api = useCustodyApi();
  const status = useSyncStatus();
  const told = useMe(api);
  // Another account signed in: what the server said of the last one is not this user's.
  const me = told && (status.user === undefined || told.user === status.user) ? told : undefined;
  const role = useRole();
  const custody = useCardCustody(cardId);
  const proposals = useOpenProposals(cardId, withProposals);
  if (!api || !cardId) return OFFLINE;
  // Until the server has said who the user is: the sync's sign-in (name, role), no team.
  const user = me ? { name: me.user, role: me.role, team: me.team, disabled: false } : { name: status.user ?? '', role, team: null, disabled: false };
  return { access: deviceCardAccess(user, cardId, custody, localOwner), custody, proposals, signedIn: true };
}

export function CardAccessProvider({ value, children }: { value: CardAccessState; children: ReactNode }) {
  return <CardAccessContext.Provider value={value}>{children}</CardAccessContext.Provider>;
}

export function useAccessOf(): CardAccessState {
  return useContext(CardAccessContext);
}

/** What the user may do with one field of the card in context. */
export function useFieldAccess(key: string): FieldAccess {
  return fieldAccess(useAccessOf().access, key);
}

/** The user's access to a card they create now (an import's new cards): the device's own before sign-in. */
export function useNewCardAccess(): CardAccess {
  const api = useCustodyApi();
  const status = useSyncStatus();
  const told = useMe(api);
  const me = told && (status.user === undefined || told.user === status.user) ? told : undefined;
  const role = useRole();
  if (!api) return OFFLINE_ACCESS;
  const user = me ? { name: me.user, role: me.role, team: me.team, disabled: false } : { name: status.user ?? '', role, team: null, disabled: false };
  return cardAccess(user, undefined, []);
}

/**
 * The cards the user borrows read-only now (active loans without writing), for pages that change
 * many cards at once (the register's tags): the device holds only cards the user owns, their
 * team's, loans, or (admins) every card, so these are the only ones it may not change.
 */
export function useReadOnlyLoans(): ReadonlySet<string> {
  const api = useCustodyApi();
  const status = useSyncStatus();
  const [ids, setIds] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (!api) return setIds(new Set());
    let live = true;
    Promise.all([api.me(), api.loans()]).then(
      ([me, loans]) => live && setIds(new Set(loans.filter((loan) => loan.status === 'active' && loan.borrower === me.user && !loan.write).map((loan) => loan.cardId))),
      () => undefined, // offline: the last set stays
    );
    return () => {
      live = false;
    };
  }, [api, status.feedAt]);
  return ids;
}
