import { describe, expect, it } from 'vitest';
import { cardAccess, OFFLINE_ACCESS } from '../../../shared/rights/field-access.ts';
import type { ImportPlan } from '../../../shared/import/types.ts';
import { applyHeldBack, heldBackColumns } from './import-rules.ts';

const rep = cardAccess({ name: 'rob', role: 'rep', team: 'north', disabled: false }, undefined, []);
const manager = cardAccess({ name: 'mona', role: 'manager', team: 'north', disabled: false }, undefined, []);
const headers = ['公司名称', '城市', '核定额度', '负责人'];
const mapping = ['name', 'city', 'creditLimitApproved', 'owner'];

describe('an import under the rules', () => {
  it('holds back a rep’s controlled column (a proposal) and the owner column (left out); a manager keeps the limit', () => {
    expect(heldBackColumns(headers, mapping, rep)).toEqual([
      { column: '核定额度', field: 'creditLimitApproved', outcome: 'propose' },
      { column: '负责人', field: 'owner', outcome: 'left-out' },
    ]);
    expect(heldBackColumns(headers, mapping, manager)).toEqual([{ column: '负责人', field: 'owner', outcome: 'left-out' }]);
    expect(heldBackColumns(headers, mapping, OFFLINE_ACCESS)).toEqual([{ column: '负责人', field: 'owner', outcome: 'left-out' }]);
  });

  it('writes no held-back field; proposes the limit for a filled card already on the server', () => {
    const plan: ImportPlan = {
      fileName: 'list.xlsx',
      reason: 'import list.xlsx',
      creates: [{ row: 2, fields: { name: '华信贸易', city: '上海', creditLimitApproved: 50000, owner: 'someone' }, contacts: [] }],
      fills: [{ cardId: 'c1', record: { row: 3, fields: { name: 'Acme', creditLimitApproved: 90000 }, contacts: [] } }],
      skipped: [],
    };
    const { plan: kept, proposals } = applyHeldBack(plan, heldBackColumns(headers, mapping, rep));
    expect(kept.creates[0]!.fields).toEqual({ name: '华信贸易', city: '上海' });
    expect(kept.fills[0]!.record.fields).toEqual({ name: 'Acme' });
    expect(proposals).toEqual([{ cardId: 'c1', field: 'creditLimitApproved', value: 90000 }]);
  });
});
