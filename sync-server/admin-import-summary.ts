/**
 * What the admin CLI's import says about a file before (and whether or not) it imports: which
 * row was read as the header and what lay above it, the export it was recognised as, the
 * totals and notes left out, every column that goes nowhere (never dropped silently), and how
 * rows were grouped into customers. Plain English lines, one fact each.
 */
import type { Analysis } from '../shared/import/analyse.ts';

const FORMAT_NAMES: Record<string, string> = {
  outlook: 'Outlook contacts CSV',
  google: 'Google Contacts CSV',
  apple: 'Apple Contacts',
  wecom: 'WeCom (企业微信) address book',
  dingtalk: 'DingTalk (钉钉) address book',
  salesforce: 'Salesforce contacts export',
  hubspot: 'HubSpot contacts export',
};

const GROUPS_SHOWN = 20;
const BY: Record<string, string> = { 'business-number': 'same 统一编号', company: 'same company', domain: 'email domain' };

export function analysisSummary(a: Analysis): string[] {
  const lines: string[] = [];
  const note = (code: string) => a.notes.find((n) => n.code === code)?.params;
  if (a.headerRow !== undefined) {
    const above = note('rows-above');
    const header = a.headers.filter(Boolean).slice(0, 8).join(', ');
    lines.push(`header: row ${a.headerRow} (${header}${a.headers.filter(Boolean).length > 8 ? ', …' : ''})${above ? `; rows above it not read: ${above.rows}` : ''}. Pass --header-row <n> to read another row as the header.`);
  }
  if (a.format) lines.push(`recognised as: ${FORMAT_NAMES[a.format] ?? a.format}`);
  const totals = note('totals-rows');
  if (totals) lines.push(`left out as totals: row(s) ${totals.rows}`);
  const below = note('notes-below');
  if (below) lines.push(`left out as notes below the table: row(s) ${below.rows}`);
  const withValues = a.unmapped.filter((u) => u.filled > 0);
  const empty = a.unmapped.length - withValues.length;
  if (withValues.length > 0) {
    const list = withValues.map((u) => `${u.header || `column ${u.column + 1}`} (${u.filled} row(s))`).join(', ');
    lines.push(`columns not imported: ${list}${empty > 0 ? `; ${empty} empty column(s)` : ''}. ${a.keepUnmapped ? 'Kept as a note on each card.' : 'Pass --keep-unmapped to keep them as a note on each card, or map them with --mapping.'}`);
  } else if (empty > 0) lines.push(`columns not imported: ${empty} empty column(s)`);
  const grouped = a.records.filter((r) => (r.rows?.length ?? 1) > 1 || r.groupedBy === 'domain');
  if (a.records.length > 0) lines.push(`customers: ${a.records.length} from ${a.total} row(s)${grouped.length > 0 ? `; ${grouped.length} made of several rows or grouped by email domain:` : ''}`);
  for (const record of grouped.slice(0, GROUPS_SHOWN)) {
    lines.push(`  ${String(record.fields.name)} ← row(s) ${(record.rows ?? [record.row]).join(', ')} (${BY[record.groupedBy ?? 'company']}): ${record.contacts.map((c) => c.name).join(', ')}`);
  }
  if (grouped.length > GROUPS_SHOWN) lines.push(`  … and ${grouped.length - GROUPS_SHOWN} more`);
  return lines;
}
