/**
 * A varied customer base for the register and desk tests and benches: Chinese and English names,
 * four reps, cities, classes (order amounts spread over two years), every cycle stage, payments
 * and overdue amounts, credit limits and ratings, ★, tags, nature / tier / loyalty, follow-ups.
 * Deterministic (seeded), made of the product's own mutations (store.importCards).
 */
import type { CardSeed, CardStep } from '../../shared/mutations-types.ts';
import { seededRandom } from '../../shared/random.ts';

const DAY = 86_400_000;
const PREFIXES = ['华信', '金鼎', '东方', '长城', '新华', '恒通', '宏达', '永安', '天成', '瑞丰', '中科', '海天'];
const TRADES = ['贸易', '电子', '机械', '五金', '纺织', '食品', '化工', '建材'];
const WORDS = ['Keller', 'Harbor', 'Nordlicht', 'Summit', 'Bluewater', 'Redwood', 'Atlas', 'Pioneer'];
const KINDS = ['Trading', 'Optics', 'Logistics', 'Foods', 'Tools', 'Textiles'];
const CITIES = ['上海', '深圳', '杭州', '北京', '成都', '苏州', 'Berlin', 'Chicago'];
const REPS = ['王芳', '李强', 'Alex Chen', 'Maria Rossi'];
const NATURES = ['government', 'special-company', 'ordinary-company', 'ordinary-company', 'individual', 'partner'];
const TIERS = ['key-account', 'general', 'general', 'scattered'];
const LOYALTY = ['loyal', 'brand-switching', 'not-brand-loyal'];
const TAGS = ['展会2026', 'VIP', 'export', '新品试用'];
const RATINGS = ['A', 'B', 'C', 'D'];

export function registerSeeds(count: number, now = Date.now(), seed = 12): CardSeed[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const seeds: CardSeed[] = [];
  for (let i = 0; i < count; i++) {
    const chinese = i % 3 !== 2;
    const name = chinese ? `${PREFIXES[i % PREFIXES.length]}${TRADES[Math.floor(i / PREFIXES.length) % TRADES.length]}有限公司${i}号` : `${pick(WORDS)} ${pick(KINDS)} ${i} Ltd`;
    const domain = `c${i}.example.com`;
    const created = now - (30 + Math.floor(random() * 900)) * DAY;
    const steps: CardStep[] = [
      { type: 'card-set-field', field: 'city', value: pick(CITIES) },
      { type: 'card-set-field', field: 'owner', value: REPS[i % REPS.length]!, reason: 'assigned' },
      { type: 'card-set-field', field: 'cardNumber', value: `K${String(i + 1).padStart(5, '0')}` },
      { type: 'card-set-field', field: 'nature', value: pick(NATURES) },
      { type: 'card-set-field', field: 'tier', value: pick(TIERS) },
      { type: 'card-set-field', field: 'loyalty', value: pick(LOYALTY) },
    ];
    if (random() < 0.08) steps.push({ type: 'card-set-field', field: 'keyCustomer', value: true });
    if (random() < 0.15) steps.push({ type: 'card-set-field', field: 'tags', value: [pick(TAGS)] });
    if (random() < 0.3) steps.push({ type: 'card-set-field', field: 'creditLimitApproved', value: 20_000 + Math.floor(random() * 8) * 10_000, reason: 'approved' });
    if (random() < 0.4) steps.push({ type: 'card-set-field', field: 'creditRating', value: pick(RATINGS), reason: 'rated' });
    // Orders: a few, big for some customers (Pareto), spread over two years; payments settle most.
    const orders = Math.floor(random() * 5);
    const scale = random() < 0.1 ? 50_000 : random() < 0.4 ? 8_000 : 1_500;
    let ordered = 0;
    let lastOrder = created;
    for (let o = 0; o < orders; o++) {
      const date = now - Math.floor(random() * 700) * DAY;
      const amount = Math.round(scale * (0.5 + random()));
      ordered += amount;
      lastOrder = Math.max(lastOrder, date);
      steps.push({ type: 'ledger-add', kind: 'order', date, amount });
    }
    if (ordered > 0 && random() < 0.8) steps.push({ type: 'ledger-add', kind: 'payment', date: Math.min(now, lastOrder + 20 * DAY), amount: Math.round(ordered * (0.5 + random() * 0.5)) });
    const contacts = Math.floor(random() * 3);
    for (let c = 0; c < contacts; c++) {
      const at = now - Math.floor(random() * 120) * DAY;
      const followUp = random() < 0.3 ? at + Math.floor(random() * 20) * DAY : undefined;
      steps.push({ type: 'note-add', kind: c === 0 ? 'visit' : 'call', text: chinese ? `拜访${name}，讨论新订单和付款安排。` : `Visited ${name}: new order and payment plan.`, at, ...(followUp ? { followUp } : {}) });
    }
    seeds.push({ create: { type: 'card-create', name, domains: [domain], contact: { name: chinese ? `联系人${i}` : `Buyer ${i}`, email: `buyer${i}@${domain}` } }, steps, at: created, actor: REPS[i % REPS.length]! });
  }
  return seeds;
}
