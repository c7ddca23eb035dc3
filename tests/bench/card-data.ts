/**
 * Benchmark data: realistic card states (a trade name, domains, two or three people, timeline
 * entries and orders), made with the product's own mutations so they are the real Yjs layout.
 */
import * as Y from 'yjs';
import { applyMutation } from '../../shared/mutations.ts';
import type { CardSeed, CardStep, MutationContext } from '../../shared/mutations-types.ts';
import { rowOfDoc } from '../../sync-server/card-row.ts';

export interface BenchCard {
  id: string;
  state: Uint8Array;
  email: string;
  name: string;
  /** The index row the server keeps beside the state (as a real server computes it at a push). */
  row: string;
}

const CITIES = ['上海', '深圳', '杭州', 'Berlin', 'Chicago', '北京', 'Osaka', '成都'];

export function makeCards(count: number, entriesPerCard = 10, now = Date.UTC(2026, 10, 1)): BenchCard[] {
  const cards: BenchCard[] = [];
  let n = 0;
  for (let i = 0; i < count; i++) {
    const doc = new Y.Doc();
    const ctx: MutationContext = { actor: 'bench', now: now - i * 1000, newId: () => `e${i}-${n++}` };
    const chinese = i % 2 === 0;
    const name = chinese ? `华星电子第${i}分公司` : `Company ${i} Trading Ltd`;
    const domain = `company${i}.example.com`;
    const email = `buyer${i}@${domain}`;
    // Card ids are UUIDs (the server takes no other shape); these sort in card order.
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    applyMutation(doc, { type: 'card-create', name, domains: [domain], contact: { name: chinese ? `张伟${i}` : `Alex Buyer ${i}`, email } }, ctx, id);
    applyMutation(doc, { type: 'card-set-field', cardId: id, field: 'city', value: CITIES[i % CITIES.length]! }, ctx, id);
    applyMutation(doc, { type: 'contact-add', cardId: id, name: chinese ? `李娜${i}` : `Pat Payer ${i}`, email: `ap${i}@${domain}`, role: 'payment-contact' }, ctx, id);
    for (let e = 0; e < entriesPerCard; e++) {
      applyMutation(doc, { type: 'note-add', cardId: id, kind: e % 3 === 0 ? 'call' : 'note', text: chinese ? `第${e}次联系：确认订单数量和交期。` : `Contact ${e}: confirmed quantities and delivery dates.`, at: ctx.now - e * 86_400_000 }, ctx, id);
    }
    applyMutation(doc, { type: 'ledger-add', cardId: id, kind: 'order', date: ctx.now - 40 * 86_400_000, amount: 1000 + (i % 97) * 100 }, ctx, id);
    cards.push({ id, state: Y.encodeStateAsUpdate(doc), email, name, row: rowOfDoc(doc, id) });
    doc.destroy();
  }
  return cards;
}

/** The same customers as seeds for the store's import (no ids: the importing device makes them). */
export function makeSeeds(count: number, entriesPerCard = 10, now = Date.UTC(2026, 10, 1)): CardSeed[] {
  const seeds: CardSeed[] = [];
  for (let i = 0; i < count; i++) {
    const at = now - i * 1000;
    const chinese = i % 2 === 0;
    const domain = `import${i}.example.com`;
    const steps: CardStep[] = [
      { type: 'card-set-field', field: 'city', value: CITIES[i % CITIES.length]! },
      { type: 'contact-add', name: chinese ? `李娜${i}` : `Pat Payer ${i}`, email: `ap${i}@${domain}`, role: 'payment-contact' },
    ];
    for (let e = 0; e < entriesPerCard; e++) {
      steps.push({ type: 'note-add', kind: e % 3 === 0 ? 'call' : 'note', text: chinese ? `第${e}次联系：确认订单数量和交期。` : `Contact ${e}: confirmed quantities and delivery dates.`, at: at - e * 86_400_000 });
    }
    steps.push({ type: 'ledger-add', kind: 'order', date: at - 40 * 86_400_000, amount: 1000 + (i % 97) * 100 });
    seeds.push({ create: { type: 'card-create', name: chinese ? `华星进口第${i}分公司` : `Import ${i} Trading Ltd`, domains: [domain], contact: { name: chinese ? `张伟${i}` : `Alex Buyer ${i}`, email: `buyer${i}@${domain}` } }, steps, at });
  }
  return seeds;
}
