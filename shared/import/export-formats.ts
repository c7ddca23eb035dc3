/**
 * The contact exports people bring, known by their header rows: Outlook's contacts CSV,
 * Google Contacts' CSV (current and older layout), Apple Contacts' text export, the WeCom
 * (企业微信) and DingTalk (钉钉) address-book exports, and Salesforce's and HubSpot's contact
 * exports. Each is a sheet of people: the format says which of its columns hold the person's
 * name (or its parts), company, title, department, every email and phone, the address, and
 * leaves the rest unmapped (listed to the user, never dropped silently). A column a format
 * names differently from the generic words (Outlook's "Title" is the salutation, not the job
 * title) is exactly why these are not left to the generic recognition of headers.ts.
 */
import { guessMapping, normaliseHeader, recogniseHeader } from './headers.ts';
import type { Mapping, Target } from './types.ts';

export type ExportFormatId = 'outlook' | 'google' | 'apple' | 'wecom' | 'dingtalk' | 'salesforce' | 'hubspot';

interface ExportFormat {
  id: ExportFormatId;
  /** Normalised headers the file must all have (each entry: any one of the alternatives). */
  signature: string[][];
  /** The target of one column, from its normalised key and its raw lower-cased text. */
  column: (key: string, raw: string) => Target;
}

const pick = (table: Record<string, Target>) => (key: string) => table[key] ?? '';

const OUTLOOK = pick({
  firstname: 'contact.givenName',
  middlename: 'contact.middleName',
  lastname: 'contact.familyName',
  company: 'name',
  jobtitle: 'contact.title',
  department: 'contact.department',
  emailaddress: 'contact.email',
  email2address: 'contact.email',
  email3address: 'contact.email',
  businessphone: 'contact.phone',
  businessphone2: 'contact.phone',
  primaryphone: 'contact.phone',
  mobilephone: 'contact.mobile',
  homephone: 'contact.homePhone',
  homephone2: 'contact.homePhone',
  companymainphone: 'phone',
  businessfax: 'fax',
  businessstreet: 'address',
  businessstreet2: 'address',
  businessstreet3: 'address',
  businessstate: 'address',
  businesspostalcode: 'address',
  businesscountry: 'address',
  businesscountryregion: 'address',
  businesscity: 'city',
  homestreet: 'contact.homeAddress',
  homecity: 'contact.homeAddress',
  homestate: 'contact.homeAddress',
  homepostalcode: 'contact.homeAddress',
  homecountry: 'contact.homeAddress',
  homecountryregion: 'contact.homeAddress',
  webpage: 'website',
  notes: 'note',
  spouse: 'contact.spouseName',
  nickname: 'contact.nickname',
});

function google(key: string): Target {
  if (/^email\d+value$/.test(key)) return 'contact.email';
  if (/^phone\d+value$/.test(key)) return 'contact.phone';
  if (/^address1(street|region|postalcode|country|pobox|extendedaddress)$/.test(key)) return 'address';
  if (key === 'address1city') return 'city';
  if (key === 'website1value') return 'website';
  const table: Record<string, Target> = {
    firstname: 'contact.givenName', givenname: 'contact.givenName',
    middlename: 'contact.middleName', additionalname: 'contact.middleName',
    lastname: 'contact.familyName', familyname: 'contact.familyName',
    organizationname: 'name', organization1name: 'name',
    organizationtitle: 'contact.title', organization1title: 'contact.title',
    organizationdepartment: 'contact.department', organization1department: 'contact.department',
    nickname: 'contact.nickname',
    notes: 'note',
  };
  return table[key] ?? '';
}

function apple(_key: string, raw: string): Target {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (/^email\b/.test(text)) return 'contact.email';
  if (/^phone \((mobile|iphone|cell)\)/.test(text)) return 'contact.mobile';
  if (/^phone \(home\)/.test(text)) return 'contact.homePhone';
  if (/^phone \(.*fax.*\)/.test(text)) return 'fax';
  if (/^phone\b/.test(text)) return 'contact.phone';
  if (/^address \(work\) city$/.test(text)) return 'city';
  if (/^address \(work\)/.test(text)) return 'address';
  if (/^address \(home\)/.test(text)) return 'contact.homeAddress';
  if (/^url\b/.test(text)) return 'website';
  const table: Record<string, Target> = {
    'first name': 'contact.givenName', first: 'contact.givenName',
    'middle name': 'contact.middleName', middle: 'contact.middleName',
    'last name': 'contact.familyName', last: 'contact.familyName',
    company: 'name', organization: 'name',
    'job title': 'contact.title', department: 'contact.department',
    nickname: 'contact.nickname', note: 'note', notes: 'note',
  };
  return table[text] ?? '';
}

const WECOM = pick({
  姓名: 'contact.name',
  别名: 'contact.nickname',
  职务: 'contact.title',
  部门: 'contact.department',
  手机: 'contact.mobile',
  座机: 'contact.phone',
  邮箱: 'contact.email',
  企业邮箱: 'contact.email',
  个人邮箱: 'contact.email',
  地址: 'address',
  对外职务: 'contact.title',
});

const DINGTALK = pick({
  姓名: 'contact.name',
  职位: 'contact.title',
  部门: 'contact.department',
  手机: 'contact.mobile',
  手机号: 'contact.mobile',
  邮箱: 'contact.email',
  企业邮箱: 'contact.email',
  办公地点: 'address',
  备注: 'note',
});

const SALESFORCE = pick({
  firstname: 'contact.givenName',
  lastname: 'contact.familyName',
  title: 'contact.title',
  department: 'contact.department',
  accountname: 'name',
  mailingstreet: 'address',
  mailingstateprovince: 'address',
  mailingstate: 'address',
  mailingzippostalcode: 'address',
  mailingpostalcode: 'address',
  mailingcountry: 'address',
  mailingcity: 'city',
  phone: 'contact.phone',
  businessphone: 'contact.phone',
  mobile: 'contact.mobile',
  mobilephone: 'contact.mobile',
  homephone: 'contact.homePhone',
  fax: 'fax',
  email: 'contact.email',
  description: 'note',
});

const HUBSPOT = pick({
  firstname: 'contact.givenName',
  lastname: 'contact.familyName',
  email: 'contact.email',
  additionalemailaddresses: 'contact.email',
  phonenumber: 'contact.phone',
  mobilephonenumber: 'contact.mobile',
  companyname: 'name',
  jobtitle: 'contact.title',
  department: 'contact.department',
  streetaddress: 'address',
  stateregion: 'address',
  postalcode: 'address',
  countryregion: 'address',
  city: 'city',
  websiteurl: 'website',
  faxnumber: 'fax',
});

const FORMATS: ExportFormat[] = [
  { id: 'outlook', signature: [['firstname'], ['lastname'], ['emailaddress'], ['businessstreet'], ['jobtitle']], column: OUTLOOK },
  { id: 'google', signature: [['email1value'], ['organizationname', 'organization1name'], ['phone1value', 'email1label', 'email1type']], column: google },
  { id: 'salesforce', signature: [['accountname'], ['mailingstreet', 'mailingcity'], ['firstname'], ['lastname']], column: SALESFORCE },
  { id: 'hubspot', signature: [['recordid'], ['firstname'], ['lastname'], ['companyname', 'associatedcompany']], column: HUBSPOT },
  { id: 'wecom', signature: [['姓名'], ['账号', '帐号', 'userid'], ['部门'], ['职务', '对外职务']], column: WECOM },
  { id: 'dingtalk', signature: [['姓名'], ['工号'], ['部门'], ['职位']], column: DINGTALK },
];

/** Apple's text export names columns "Email (work)", "Phone (mobile)": known by their brackets. */
function isApple(raws: readonly string[]): boolean {
  const has = (pattern: RegExp) => raws.some((raw) => pattern.test(raw));
  return has(/^(first|first name)$/) && has(/^(last|last name)$/) && (has(/^email \(/) || has(/^phone \(/));
}

/** The export a header row comes from, if it is one of the known ones. */
export function detectExportFormat(headers: readonly string[]): ExportFormatId | undefined {
  const keys = new Set(headers.map(normaliseHeader));
  const raws = headers.map((header) => header.toLowerCase().replace(/\s+/g, ' ').trim());
  if (isApple(raws)) return 'apple';
  return FORMATS.find((format) => format.signature.every((alternatives) => alternatives.some((key) => keys.has(key))))?.id;
}

/** Whether a header is a column of a known export (for finding the header row). */
export function isKnownExportHeader(header: string): boolean {
  const key = normaliseHeader(header);
  const raw = header.toLowerCase().replace(/\s+/g, ' ').trim();
  return FORMATS.some((format) => format.column(key, raw) !== '') || apple(key, raw) !== '';
}

/** A file's mapping: its export format's, or recognised header by header. */
export function mappingOfHeaders(headers: readonly string[]): { mapping: Mapping; format?: ExportFormatId } {
  const format = detectExportFormat(headers);
  if (!format) return { mapping: guessMapping(headers) };
  const column = format === 'apple' ? apple : FORMATS.find((f) => f.id === format)!.column;
  return { format, mapping: headers.map((header) => column(normaliseHeader(header), header.toLowerCase().replace(/\s+/g, ' ').trim())) };
}

/** Whether a header names a column generically or as a known export does. */
export function isHeaderWord(header: string): boolean {
  return recogniseHeader(header) !== '' || isKnownExportHeader(header);
}
