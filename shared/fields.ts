/**
 * The field catalogue: every base-data field of a card (DOMAIN.md §2–3), with its section, type,
 * labels in both languages and validation. The card page renders its sections from this list and
 * the `card-set-field` mutation validates against it: adding a field is one entry here.
 * Controlled fields (approved credit limit, credit rating, owner, classification overrides) are
 * refused without a reason. Dates are stored as 'YYYY-MM-DD' texts, money as numbers.
 */
import type { FieldValue } from './card-types.ts';
import { fail, ok, type Result } from './errors.ts';

export type FieldType = 'text' | 'longtext' | 'number' | 'money' | 'date' | 'enum' | 'email' | 'url' | 'phone' | 'list' | 'boolean';

export interface Label {
  en: string;
  zh: string;
}

export interface FieldDef {
  key: string;
  section: string;
  type: FieldType;
  label: Label;
  /** enum: allowed values with their labels. */
  options?: { value: string; label: Label }[];
  /** A change is refused without a reason. */
  controlled?: boolean;
  /**
   * Who may set it (shared/rights): 'manager' — a manager of the card's team or an admin (others
   * propose the change); 'server' — only the server, by a decision it records (the owner moves by
   * handover). Unset: anyone who may write the card.
   */
  setBy?: 'manager' | 'server';
  /** Listed in "what we still don't know" when empty. */
  important?: boolean;
  /** Left out of exports and prints unless the user includes it. */
  sensitive?: boolean;
  /** Maximum length for text. */
  max?: number;
  /** Smallest / largest number. */
  min?: number;
  maxValue?: number;
}

export interface SectionDef {
  key: string;
  label: Label;
}

export const SECTIONS: SectionDef[] = [
  { key: 'identity', label: { en: 'Identity', zh: '基本资料' } },
  { key: 'business', label: { en: 'The business', zh: '经营状况' } },
  { key: 'trade', label: { en: 'Trade terms', zh: '交易条件' } },
  { key: 'credit', label: { en: 'Credit analysis', zh: '信用分析' } },
  { key: 'creditLimit', label: { en: 'Credit limit', zh: '信用额度' } },
  { key: 'classification', label: { en: 'Classification', zh: '客户分类' } },
  { key: 'relationship', label: { en: 'Relationship with us', zh: '与本公司往来' } },
];

type Options = { value: string; label: Label }[];
const opt = (value: string, en: string, zh: string) => ({ value, label: { en, zh } });

export const OPTIONS = {
  organisation: [opt('company-by-shares', 'Company limited by shares', '股份有限公司'), opt('limited-company', 'Limited company', '有限公司'), opt('partnership', 'Partnership', '合伙'), opt('sole-proprietorship', 'Sole proprietorship', '独资')],
  premises: [opt('own', 'Own', '自有'), opt('rented', 'Rented', '租用')],
  standing: [opt('leader', 'Leader', '领导者'), opt('influential', 'Influential', '有影响力'), opt('tier-1', 'Tier 1', '一级'), opt('tier-2', 'Tier 2', '二级'), opt('tier-3', 'Tier 3', '三级')],
  priceLevel: [opt('reasonable', 'Reasonable', '合理'), opt('high', 'High', '偏高'), opt('low', 'Low', '偏低'), opt('price-cutting', 'Price-cutting', '削价')],
  paymentMethod: [opt('cash', 'Cash', '现金'), opt('transfer', 'Bank transfer', '转账'), opt('bill', 'Bills', '票据'), opt('instalments', 'Instalments', '分期'), opt('mixed', 'Mixed', '混合')],
  rating: [opt('A', 'A — excellent', 'A — 优'), opt('B', 'B — good', 'B — 良'), opt('C', 'C — fair', 'C — 中'), opt('D', 'D — poor', 'D — 差')],
  abc: [opt('A', 'A', 'A'), opt('B', 'B', 'B'), opt('C', 'C', 'C')],
  stage: [
    opt('stranger', 'Stranger', '陌生'),
    opt('prospect', 'Prospect', '潜在客户'),
    opt('first-deal', 'First deal', '首次成交'),
    opt('repeat', 'Repeat', '重复购买'),
    opt('dormant', 'Dormant', '休眠'),
    opt('lost', 'Lost', '流失'),
    opt('won-back', 'Won back', '挽回'),
  ],
  loyalty: [opt('loyal', 'Loyal', '忠诚'), opt('brand-switching', 'Brand-switching', '品牌转换'), opt('not-brand-loyal', 'Not brand-loyal', '无品牌忠诚')],
  nature: [opt('government', 'Government body', '政府机关'), opt('special-company', 'Special company', '特殊公司'), opt('ordinary-company', 'Ordinary company', '普通公司'), opt('individual', 'Individual', '个人'), opt('partner', 'Partner', '合作伙伴')],
  tier: [opt('key-account', 'Key account', '主力客户'), opt('general', 'General', '一般客户'), opt('scattered', 'Scattered', '零散客户')],
} satisfies Record<string, Options>;

function f(section: string, key: string, type: FieldType, en: string, zh: string, extra: Partial<FieldDef> = {}): FieldDef {
  const max = type === 'text' || type === 'phone' ? 200 : type === 'longtext' ? 5_000 : type === 'url' ? 300 : undefined;
  return { key, section, type, label: { en, zh }, ...(max !== undefined ? { max } : {}), ...extra };
}

export const FIELDS: FieldDef[] = [
  f('identity', 'name', 'text', 'Trade name', '商号', { important: true }),
  f('identity', 'businessNumber', 'text', 'Unified business number', '统一编号', { important: true, max: 50 }),
  f('identity', 'cardNumber', 'text', 'Card number', '编号', { max: 50 }),
  f('identity', 'category', 'text', 'Category', '类别', { max: 100 }),
  f('identity', 'city', 'text', 'County / city', '县市别', { important: true, max: 100 }),
  f('identity', 'address', 'longtext', 'Address', '地址', { important: true, max: 500 }),
  f('identity', 'locationNotes', 'longtext', 'Location notes', '地理位置', { max: 1_000 }),
  f('identity', 'phone', 'phone', 'Phone', '电话', { important: true, max: 50 }),
  f('identity', 'fax', 'phone', 'Fax', '传真', { max: 50 }),
  f('identity', 'website', 'url', 'Website', '网址'),
  f('identity', 'domains', 'list', 'Email domains', '邮箱域名', { important: true }),

  f('business', 'organisation', 'enum', 'Organisation form', '组织形式', { options: OPTIONS.organisation }),
  f('business', 'registeredCapital', 'money', 'Registered capital', '资本额', { min: 0 }),
  f('business', 'registrationDate', 'date', 'Registration date', '登记日期'),
  f('business', 'foundingDate', 'date', 'Founding date', '创立日期'),
  f('business', 'industry', 'text', 'Industry', '业种', { important: true, max: 100 }),
  f('business', 'staffCount', 'number', 'Staff', '员工人数', { min: 0, maxValue: 10_000_000 }),
  f('business', 'premises', 'enum', 'Premises', '营业场所', { options: OPTIONS.premises }),
  f('business', 'premisesArea', 'number', 'Premises area (m²)', '面积（平方米）', { min: 0 }),
  f('business', 'vehicles', 'number', 'Vehicles', '车辆数', { min: 0 }),
  f('business', 'mainGoods', 'longtext', 'Main goods and brands carried', '主要经营商品及品牌', { max: 2_000 }),
  f('business', 'salesTargets', 'longtext', 'Sales targets', '销售目标', { max: 2_000 }),
  f('business', 'storeLayout', 'longtext', 'Store layout', '店面布置', { max: 2_000 }),
  f('business', 'standing', 'enum', 'Standing in the trade', '同业地位', { options: OPTIONS.standing }),
  f('business', 'associations', 'longtext', 'Associations joined', '参加社团', { max: 1_000 }),

  f('trade', 'priceLevel', 'enum', 'Price level', '价格水平', { options: OPTIONS.priceLevel }),
  f('trade', 'paymentMethod', 'enum', 'Payment method', '付款方式', { important: true, options: OPTIONS.paymentMethod }),
  f('trade', 'cashPercent', 'number', 'Cash share (%)', '现金比例（%）', { min: 0, maxValue: 100 }),
  f('trade', 'instalments', 'number', 'Instalments', '分期期数', { min: 0, maxValue: 120 }),
  f('trade', 'billTenorDays', 'number', 'Bill tenor (days)', '票期（天）', { min: 0, maxValue: 3650 }),
  f('trade', 'settlementDay', 'number', 'Settlement day of month', '结账日', { min: 1, maxValue: 31 }),
  f('trade', 'paymentTermsDays', 'number', 'Payment terms (days)', '付款期限（天）', { important: true, min: 0, maxValue: 3650 }),
  f('trade', 'yearlyAmount', 'money', 'Yearly business amount', '年交易额', { min: 0 }),
  f('trade', 'peakMonthlyVolume', 'money', 'Peak-season monthly volume', '旺季月交易量', { min: 0 }),
  f('trade', 'offSeasonMonthlyVolume', 'money', 'Off-season monthly volume', '淡季月交易量', { min: 0 }),
  f('trade', 'mainProductsBought', 'longtext', 'Main products bought', '主要采购产品', { max: 2_000 }),

  f('credit', 'personInChargeAssessment', 'longtext', 'Assessment of the person in charge', '负责人评价', { max: 2_000 }),
  f('credit', 'financialAnalysis', 'longtext', 'Financial analysis', '财务分析', { max: 5_000 }),
  f('credit', 'salesStrength', 'longtext', 'Sales strength', '销售能力', { max: 2_000 }),
  f('credit', 'peerStanding', 'longtext', 'Standing among peers', '同业评价', { max: 2_000 }),
  f('credit', 'creditRating', 'enum', 'Credit rating', '信用等级', { controlled: true, setBy: 'manager', important: true, options: OPTIONS.rating }),
  f('credit', 'bank', 'text', 'Bank', '往来银行', { max: 200 }),
  f('credit', 'bankAccount', 'text', 'Bank account', '银行账号', { max: 100, sensitive: true }),

  f('creditLimit', 'creditLimitRep', 'money', 'Proposed by the rep', '业务建议额度', { min: 0 }),
  f('creditLimit', 'creditLimitManager', 'money', 'Proposed by the manager', '主管建议额度', { setBy: 'manager', min: 0 }),
  f('creditLimit', 'creditLimitApproved', 'money', 'Approved', '核定额度', { controlled: true, setBy: 'manager', important: true, min: 0 }),

  f('classification', 'abcOverride', 'enum', 'ABC class (override)', 'ABC 分类（手动）', { controlled: true, setBy: 'manager', options: OPTIONS.abc }),
  f('classification', 'stageOverride', 'enum', 'Customer stage (override)', '客户阶段（手动）', { controlled: true, setBy: 'manager', options: OPTIONS.stage }),
  f('classification', 'loyalty', 'enum', 'Loyalty', '忠诚度', { options: OPTIONS.loyalty }),
  f('classification', 'nature', 'enum', 'Nature', '客户性质', { important: true, options: OPTIONS.nature }),
  f('classification', 'tier', 'enum', 'Volume and standing', '客户层级', { options: OPTIONS.tier }),
  f('classification', 'keyCustomer', 'boolean', 'Special attention', '特别关注'),
  f('classification', 'hesitating', 'boolean', 'Hesitating', '犹豫不决'),
  f('classification', 'dissatisfied', 'boolean', 'Dissatisfied', '不满意'),
  f('classification', 'tags', 'list', 'Tags', '标签'),
  f('classification', 'cadenceDays', 'number', 'Contact every … days (override)', '联系周期（天，手动）', { min: 1, maxValue: 3650 }),

  f('relationship', 'firstTradeDate', 'date', 'First trade date', '往来日期'),
  f('relationship', 'plannedVisit', 'date', 'Next visit planned', '计划拜访日期'),
  f('relationship', 'filledBy', 'text', 'Card filled by', '填卡人', { max: 100 }),
  f('relationship', 'owner', 'text', 'Owner (rep)', '负责业务员', { controlled: true, setBy: 'server', max: 100 }),
];

const byKey = new Map(FIELDS.map((field) => [field.key, field]));

export function fieldByKey(key: string): FieldDef | undefined {
  return byKey.get(key);
}

export function fieldsOfSection(section: string): FieldDef[] {
  return FIELDS.filter((field) => field.section === section);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidIsoDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.getUTCFullYear() === Number(match[1]) && date.getUTCMonth() === Number(match[2]) - 1 && date.getUTCDate() === Number(match[3]);
}

function checkNumber(def: FieldDef, value: FieldValue): Result<FieldValue> {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.replace(/[,\s]/g, '')) : Number.NaN;
  const code = def.type === 'money' ? 'invalid-amount' : 'invalid-value';
  if (!Number.isFinite(number)) return fail(code, `${def.label.en} must be a number`, def.key);
  if (def.min !== undefined && number < def.min) return fail(code, `${def.label.en} must be at least ${def.min}`, def.key, { min: def.min });
  if (def.maxValue !== undefined && number > def.maxValue) return fail(code, `${def.label.en} must be at most ${def.maxValue}`, def.key, { max: def.maxValue });
  return ok(def.type === 'money' ? Math.round(number * 100) / 100 : number);
}

/** Validates and normalises a value for a field; null (or an empty text) clears the field. */
export function validateFieldValue(def: FieldDef, value: FieldValue): Result<FieldValue> {
  if (value === null || (typeof value === 'string' && value.trim() === '' && def.key !== 'name')) return ok(null);
  switch (def.type) {
    case 'list': {
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) return fail('invalid-value', `${def.label.en} must be a list of texts`, def.key);
      return ok(value.map((item) => item.trim()).filter((item) => item.length > 0));
    }
    case 'number':
    case 'money':
      return checkNumber(def, value);
    case 'boolean':
      if (typeof value === 'boolean') return ok(value);
      if (value === 'true' || value === 'false') return ok(value === 'true');
      return fail('invalid-value', `${def.label.en} is yes or no`, def.key);
    default:
      break;
  }
  if (typeof value !== 'string') return fail('invalid-value', `${def.label.en} must be a text`, def.key);
  const text = value.trim();
  if (def.max !== undefined && text.length > def.max) return fail('too-long', `${def.label.en} is longer than ${def.max} characters`, def.key, { max: def.max });
  switch (def.type) {
    case 'date':
      return isValidIsoDate(text) ? ok(text) : fail('invalid-date', `${def.label.en} must be a date written YYYY-MM-DD`, def.key);
    case 'enum':
      return def.options?.some((option) => option.value === text) ? ok(text) : fail('invalid-value', `${def.label.en} cannot be "${text.slice(0, 40)}"`, def.key);
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) ? ok(text.toLowerCase()) : fail('invalid-email', `${def.label.en} is not a valid email address`, def.key);
    case 'url':
      return /^https?:\/\/[^\s]+$/i.test(text) ? ok(text) : /^[a-z0-9.-]+\.[a-z]{2,}(\/\S*)?$/i.test(text) ? ok(`https://${text}`) : fail('invalid-value', `${def.label.en} must be a web address`, def.key);
    case 'phone':
      return /^[+()\d\s./-]{3,}(?:\s*(?:ext|x|转|分机)\.?\s*\d+)?$/i.test(text) ? ok(text) : fail('invalid-value', `${def.label.en} may hold only digits, spaces, + ( ) - / .`, def.key);
    default:
      return ok(text);
  }
}
