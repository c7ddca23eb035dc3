/**
 * Every action the server writes into its audit, in one list: the server's entries are typed by
 * it (sync-server/storage/storage.ts `AuditEvent`), and the Team desk's audit view has a label
 * for each in both languages (extension/i18n/custody.ts; extension/i18n/i18n.test.ts checks).
 */
export const AUDIT_ACTIONS = [
  // Cards received and changed (the hub, the audit batch).
  'read',
  'read-own',
  'write',
  'create',
  'refuse',
  // Loans (借阅).
  'loan-request',
  'loan-approve',
  'loan-decline',
  'loan-grant',
  'loan-end',
  // Proposals of controlled changes.
  'proposal',
  'proposal-approve',
  'proposal-decline',
  'proposal-reopen',
  // Handovers.
  'handover',
  'handover-return',
  'handover-kept',
  // Teams, users, the company policy.
  'team-add',
  'user-add',
  'user-move',
  'user-disable',
  'policy-set',
  // The customer pool (公海).
  'pool-warning',
  'pool-return',
  'pool-claim',
  'pool-lock',
  'pool-unlock',
  // Who owns a company: two cards claim one email or domain.
  'ownership-conflict',
  // Take-outs (shared/rights/take-out.ts) and restores.
  'export',
  'print',
  'backup',
  'restore',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(action: string): action is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(action);
}
