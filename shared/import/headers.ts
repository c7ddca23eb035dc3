/**
 * Header recognition: which catalogue field a column of a customer list holds, from its header
 * text in Chinese or English (客户名称 / Company, 联系人 / Contact, 电话, 手机, 邮箱, 统一编号, …).
 * Any header equal to a field's own label (either language) or key is recognised too, so every
 * field of the catalogue can be imported by naming the column after it.
 */
import { CONTACT_FIELDS } from '../contact-fields.ts';
import { FIELDS } from '../fields.ts';
import type { Mapping, Target } from './types.ts';

/** Targets for a person on the card, besides card fields. */
export const CONTACT_TARGETS = ['contact.name', 'contact.email', 'contact.phone', 'contact.mobile', 'contact.title', 'contact.role', 'contact.birthDate'] as const;
export const NOTE_TARGET = 'note';
/** Parts of a person's name in separate columns (contact exports): joined into the name. */
export const NAME_PART_TARGETS = ['contact.givenName', 'contact.middleName', 'contact.familyName'] as const;
/**
 * Targets several columns may share: every email and phone of a person (the first is theirs,
 * the rest kept as other emails / phones), address parts and name parts (joined), notes.
 */
export const MULTI_TARGETS: ReadonlySet<Target> = new Set(['contact.email', 'contact.phone', 'contact.mobile', 'contact.homePhone', 'address', 'contact.homeAddress', NOTE_TARGET, ...NAME_PART_TARGETS]);

/** Common headers of customer lists and CRM / address-book exports. */
const SYNONYMS: Record<Target, string[]> = {
  name: ['客户名称', '客户', '公司名称', '公司', '公司名', '企业名称', '单位名称', '单位', '商号', '客户全称', 'company', 'companyname', 'customer', 'customername', 'organization', 'organisation', 'accountname', 'tradename', 'business', 'businessname'],
  businessNumber: ['统一编号', '统一社会信用代码', '信用代码', '税号', '纳税人识别号', '统编', '营业执照号', 'businessnumber', 'taxid', 'vat', 'vatnumber', 'vatid', 'registrationnumber', 'companynumber'],
  cardNumber: ['编号', '客户编号', '客户代码', '客户号', '卡号', 'customerid', 'customernumber', 'customercode', 'cardnumber', 'accountid'],
  category: ['类别', '客户类别', '类型', '客户类型', 'category', 'type', 'customertype'],
  city: ['城市', '县市', '县市别', '所在城市', '所在地', '地区', '区域', 'city', 'town', 'region'],
  address: ['地址', '公司地址', '详细地址', '通讯地址', '办公地址', '注册地址', 'address', 'street', 'businessaddress', 'companyaddress'],
  phone: ['电话', '公司电话', '座机', '办公电话', '固定电话', 'phone', 'telephone', 'tel', 'businessphone', 'companyphone', 'officephone'],
  fax: ['传真', 'fax', 'businessfax'],
  website: ['网址', '网站', '主页', '公司网站', 'website', 'web', 'url', 'homepage', 'webpage'],
  domains: ['域名', '邮箱域名', '邮件域名', 'domain', 'domains', 'emaildomain'],
  industry: ['行业', '业种', '所属行业', '行业类别', 'industry', 'sector'],
  organisation: ['组织形式', '企业类型', '公司类型', 'organisationform', 'organizationform', 'legalform'],
  registeredCapital: ['注册资本', '资本额', '注册资金', 'registeredcapital', 'capital'],
  registrationDate: ['登记日期', '注册日期', 'registrationdate'],
  foundingDate: ['成立日期', '创立日期', '成立时间', '创立时间', 'founded', 'foundingdate', 'dateoffounding'],
  staffCount: ['员工人数', '员工数', '人数', '职工人数', 'employees', 'staff', 'headcount', 'staffcount'],
  bank: ['开户行', '开户银行', '往来银行', '银行', 'bank', 'bankname'],
  bankAccount: ['银行账号', '账号', '开户账号', '银行帐号', '帐号', 'bankaccount', 'iban', 'accountnumber'],
  paymentTermsDays: ['账期', '付款期限', '账期天', '付款天数', 'paymentterms', 'paymenttermsdays'],
  yearlyAmount: ['年交易额', '年采购额', '年交易金额', 'yearlyamount', 'annualamount'],
  creditLimitApproved: ['信用额度', '核定额度', 'creditlimit'],
  firstTradeDate: ['往来日期', '首次交易日期', '首次合作日期', '合作日期', '开始合作日期', 'firsttradedate', 'customersince', 'firstorderdate'],
  owner: ['业务员', '负责业务员', '销售', '销售员', '客户经理', '负责人员', 'owner', 'salesrep', 'accountowner', 'accountmanager'],
  filledBy: ['填卡人', '填表人', 'filledby'],
  keyCustomer: ['重点客户', '特别关注', 'keycustomer', 'keyaccount'],
  'contact.name': ['联系人', '联系人姓名', '姓名', '负责人', '联络人', 'contact', 'contactname', 'contactperson', 'fullname', 'person'],
  'contact.email': ['邮箱', '电子邮件', '电子邮箱', '邮件', '邮箱地址', 'email', 'e-mail', 'emailaddress', 'mail', 'e-mailaddress', 'email1'],
  'contact.mobile': ['手机', '手机号', '手机号码', '移动电话', 'mobile', 'mobilephone', 'cell', 'cellphone'],
  'contact.phone': ['联系电话', '联系人电话', 'contactphone', 'directphone'],
  'contact.title': ['职务', '职位', '头衔', 'title', 'jobtitle', 'position'],
  'contact.department': ['部门', '所属部门', 'department', 'dept'],
  'contact.givenName': ['firstname', 'givenname', 'forename', '名'],
  'contact.middleName': ['middlename', 'additionalname'],
  'contact.familyName': ['lastname', 'surname', 'familyname', '姓'],
  'contact.birthDate': ['生日', '出生日期', 'birthday', 'birthdate'],
  note: ['备注', '说明', '附注', 'notes', 'note', 'remark', 'remarks', 'comment', 'comments'],
};

/** Lower-cased, without spaces, punctuation, colons, asterisks or a unit in brackets. */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[(（[【].*?[)）\]】]/g, '')
    .replace(/[\s*:：_.#·\-/]/g, '')
    .trim();
}

const LOOKUP = new Map<string, Target>();
for (const [target, words] of Object.entries(SYNONYMS)) for (const word of words) LOOKUP.set(normaliseHeader(word), target);
for (const field of FIELDS) {
  for (const text of [field.key, field.label.en, field.label.zh]) if (!LOOKUP.has(normaliseHeader(text))) LOOKUP.set(normaliseHeader(text), field.key);
}
for (const field of CONTACT_FIELDS) {
  for (const text of [`contact.${field.key}`, field.label.en, field.label.zh]) if (!LOOKUP.has(normaliseHeader(text))) LOOKUP.set(normaliseHeader(text), `contact.${field.key}`);
}

/** Every target a column can be mapped to (for the mapping step's choices). */
export function allTargets(): Target[] {
  return [...FIELDS.map((field) => field.key), ...CONTACT_FIELDS.filter((f) => f.key !== 'role').map((field) => `contact.${field.key}`), 'contact.role', ...NAME_PART_TARGETS, NOTE_TARGET];
}

export function isKnownTarget(target: Target): boolean {
  return target === '' || allTargets().includes(target);
}

/** The target of one header, or '' when it is not recognised. */
export function recogniseHeader(header: string): Target {
  const key = normaliseHeader(header);
  if (!key) return '';
  const exact = LOOKUP.get(key);
  if (exact !== undefined) return exact;
  // "客户名称（全称）" → "客户名称"; "Company Name 1" → "companyname".
  const trimmed = key.replace(/\d+$/, '');
  return LOOKUP.get(trimmed) ?? '';
}

/**
 * The mapping of a header row: each header recognised; a target claimed by an earlier column
 * is not given twice, except that a second person column ("Name" when the company is named
 * elsewhere) becomes the person's name.
 */
export function guessMapping(headers: readonly string[]): Mapping {
  const targets = headers.map(recogniseHeader);
  const claimed = new Set<Target>();
  // "Name" alone: the company if no column names the company, else the person.
  const companyColumn = targets.findIndex((t, i) => t === 'name' && normaliseHeader(headers[i] ?? '') !== 'name');
  return targets.map((target, i) => {
    let chosen = target;
    if (target === 'name' && normaliseHeader(headers[i] ?? '') === 'name' && companyColumn >= 0 && companyColumn !== i) chosen = 'contact.name';
    if (chosen === '' || (claimed.has(chosen) && !MULTI_TARGETS.has(chosen))) return '';
    claimed.add(chosen);
    return chosen;
  });
}

/** A saved mapping applies to a file whose headers it names: by header text, not position. */
export interface SavedMapping {
  name: string;
  columns: Record<string, Target>;
}

export function mappingFromSaved(headers: readonly string[], saved: SavedMapping): Mapping {
  return headers.map((header) => saved.columns[header] ?? saved.columns[normaliseHeader(header)] ?? '');
}

export function savedFromMapping(name: string, headers: readonly string[], mapping: Mapping): SavedMapping {
  const columns: Record<string, Target> = {};
  headers.forEach((header, i) => {
    if (header) columns[header] = mapping[i] ?? '';
  });
  return { name, columns };
}
