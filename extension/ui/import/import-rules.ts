/**
 * An import as the shared rules allow it (shared/rights/field-access.ts): a column mapped onto a
 * field the user may not set is never written. A controlled field (approved credit limit, rating,
 * class and stage overrides) becomes a proposal to the manager for a card already on the server
 * (a filled duplicate), and is left out of new cards (a proposal needs a card the server holds);
 * the owner is never imported (it is the importing user; cards move by handover). The preview
 * lists each such column with what happens to it, so "imported" never means "refused later".
 */
import type { FieldValue } from '../../../shared/card-types.ts';
import { cardKeyRule } from '../../../shared/rights/card-structure.ts';
import { fieldAccess, type CardAccess } from '../../../shared/rights/field-access.ts';
import type { ImportPlan, ImportRecord, Mapping } from '../../../shared/import/types.ts';

export interface HeldBackColumn {
  /** The column's header as the file writes it. */
  column: string;
  field: string;
  /** 'propose': sent as proposals for cards already on the server, left out of new ones; 'left-out': never imported. */
  outcome: 'propose' | 'left-out';
}

export interface Proposal {
  cardId: string;
  field: string;
  value: FieldValue;
}

/** The mapped columns the user may not write on new cards (`access`: the user's access to a card they create). */
export function heldBackColumns(headers: readonly string[], mapping: Mapping, access: CardAccess): HeldBackColumn[] {
  const held: HeldBackColumn[] = [];
  mapping.forEach((target, i) => {
    if (!target || target.includes('.') || target === 'note') return;
    const rule = cardKeyRule(target);
    if (rule === 'server' || rule === 'creation') held.push({ column: headers[i] ?? '', field: target, outcome: 'left-out' });
    else if (fieldAccess(access, target) === 'propose') held.push({ column: headers[i] ?? '', field: target, outcome: 'propose' });
  });
  return held;
}

function without(record: ImportRecord, fields: ReadonlySet<string>): ImportRecord {
  return { ...record, fields: Object.fromEntries(Object.entries(record.fields).filter(([key]) => !fields.has(key))) };
}

/** The plan without the held-back fields, and the proposals to send for the cards it fills. */
export function applyHeldBack(plan: ImportPlan, held: readonly HeldBackColumn[]): { plan: ImportPlan; proposals: Proposal[] } {
  if (held.length === 0) return { plan, proposals: [] };
  const fields = new Set(held.map((column) => column.field));
  const proposing = new Set(held.filter((column) => column.outcome === 'propose').map((column) => column.field));
  const proposals: Proposal[] = [];
  for (const fill of plan.fills) {
    for (const [field, value] of Object.entries(fill.record.fields)) if (proposing.has(field) && value !== null && value !== '') proposals.push({ cardId: fill.cardId, field, value });
  }
  return {
    plan: { ...plan, creates: plan.creates.map((record) => without(record, fields)), fills: plan.fills.map((fill) => ({ ...fill, record: without(fill.record, fields) })) },
    proposals,
  };
}
