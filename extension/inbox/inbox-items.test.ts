import { describe, expect, it } from 'vitest';
import type { LoanInfo, ProposalInfo } from '../sync/custody-api.ts';
import { decisionsFor, managerInbox, type InboxRow } from './inbox-items.ts';

const T = Date.UTC(2026, 11, 3);
const approval = (orderId: string, by: string, status: 'pending' | 'approved' | 'declined', decidedAt = 0) => ({ orderId, amount: 900, date: T, by, status, decidedBy: status === 'pending' ? '' : 'mona', decidedAt, reason: status === 'declined' ? 'too much' : '' });
const row = (id: string, approvals: InboxRow['approvals']): InboxRow => ({ id, name: `Customer ${id}`, owner: 'rob', approvals, receivables: 600, creditLimit: 1_000, creditRating: 'B' });
const loan = (id: number, extra: Partial<LoanInfo>): LoanInfo => ({ id, cardId: 'c1', cardName: 'Customer c1', owner: 'rob', borrower: 'bea', reason: 'visit', requestedAt: T, wantedUntil: T + 86_400_000, status: 'requested', write: false, approver: null, decidedAt: null, decisionReason: null, until: null, ...extra });
const proposal = (id: number, extra: Partial<ProposalInfo>): ProposalInfo => ({ id, cardId: 'c1', cardName: 'Customer c1', owner: 'rob', field: 'creditRating', value: '"A"', reason: 'paid early', by: 'rob', at: T, status: 'open', decider: null, decisionReason: null, ...extra });

describe('the manager’s inbox', () => {
  it('gathers loan requests, open proposals and pending orders, none of the manager’s own, oldest first', () => {
    const rows = [row('c1', [approval('o1', 'rob', 'pending'), approval('o2', 'rob', 'approved', T), approval('o3', 'mona', 'pending')])];
    const items = managerInbox({ user: 'mona', decides: true }, rows, [loan(1, {}), loan(2, { status: 'active' }), loan(3, { borrower: 'mona' })], [proposal(7, {}), proposal(8, { status: 'declined' })]);
    expect(items.map((i) => i.id).sort()).toEqual(['credit:c1:o1', 'loan:1', 'proposal:7']);
    expect(items.find((i) => i.kind === 'credit')).toMatchObject({ amount: 900, after: 1_500, limit: 1_000, by: 'rob' });
  });

  it('is empty for someone who decides nothing', () => {
    expect(managerInbox({ user: 'rob', decides: false }, [row('c1', [approval('o1', 'bea', 'pending')])], [loan(1, {})], [proposal(7, { by: 'bea' })])).toEqual([]);
  });
});

describe('a rep’s decisions', () => {
  it('tells the rep of her orders, loans and proposals decided, and the owner of her card lent', () => {
    const rows = [row('c1', [approval('o1', 'rob', 'declined', T + 5), approval('o2', 'rob', 'pending'), approval('o3', 'bea', 'approved', T + 6)])];
    const loans = [loan(1, { borrower: 'rob', owner: 'sue', status: 'active', approver: 'mona', decidedAt: T + 2, until: T + 86_400_000 }), loan(2, { status: 'active', approver: 'mona', decidedAt: T + 3, until: T + 86_400_000 }), loan(3, { borrower: 'rob', status: 'requested' })];
    const proposals = [proposal(7, { status: 'approved', decider: 'mona' }), proposal(8, { status: 'open' })];
    const decisions = decisionsFor('rob', rows, loans, proposals, T - 1);
    expect(decisions.map((d) => `${d.kind}:${'status' in d ? d.status : ''}`)).toEqual(['credit:declined', 'lent:', 'loan:active', 'proposal:approved']);
    expect(decisions[0]).toMatchObject({ who: 'mona', reason: 'too much', customer: 'Customer c1' });
    // Older than `since`: left out.
    expect(decisionsFor('rob', rows, loans, proposals, T + 4).map((d) => d.kind)).toEqual(['credit']);
  });
});
