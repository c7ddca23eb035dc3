/**
 * What the import read from a sheet, beside the mapping: which row is the header (and a choice
 * of another), the columns that go nowhere (with a choice to keep them as a note on each card),
 * and the customers made of several rows (same company, or people grouped by email domain).
 */
import type { Analysis } from '../../../shared/import/analyse.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';

const GROUPS_SHOWN = 20;

export function HeaderRowChoice({ analysis, onPick }: { analysis: Analysis; onPick: (row: number) => void }) {
  const { t } = useLanguage();
  if (analysis.headerRow === undefined || !analysis.candidates) return null;
  const candidates = analysis.candidates.some((c) => c.row === analysis.headerRow) ? analysis.candidates : [{ row: analysis.headerRow, text: analysis.headers.filter(Boolean).join(' · ') }, ...analysis.candidates];
  return (
    <label className="import-header-row">
      {t('import.headerRow')}{' '}
      <select data-testid="import-header-row" value={analysis.headerRow} onChange={(event) => onPick(Number(event.target.value))}>
        {candidates.map((candidate) => (
          <option key={candidate.row} value={candidate.row}>
            {t('import.headerRowOption', { row: candidate.row, text: candidate.text })}
          </option>
        ))}
      </select>
    </label>
  );
}

export function UnmappedColumns({ analysis, onKeep }: { analysis: Analysis; onKeep: (keep: boolean) => void }) {
  const { t } = useLanguage();
  const withValues = analysis.unmapped.filter((column) => column.filled > 0);
  const empty = analysis.unmapped.length - withValues.length;
  if (analysis.unmapped.length === 0) return null;
  return (
    <section data-testid="import-unmapped">
      <h3>{t('import.unmapped', { count: analysis.unmapped.length })}</h3>
      <ul>
        {withValues.map((column) => (
          <li key={column.column} data-testid="import-unmapped-column">
            {t('import.unmappedLine', { header: column.header || `#${column.column + 1}`, filled: column.filled })}
          </li>
        ))}
      </ul>
      {empty > 0 ? <p className="muted">{t('import.unmappedEmpty', { count: empty })}</p> : null}
      {withValues.length > 0 ? (
        <label>
          <input type="checkbox" data-testid="import-keep-unmapped" checked={analysis.keepUnmapped} onChange={(event) => onKeep(event.target.checked)} /> {t('import.keepUnmapped')}
        </label>
      ) : null}
    </section>
  );
}

export function CustomerGrouping({ analysis }: { analysis: Analysis }) {
  const { t } = useLanguage();
  const grouped = analysis.records.filter((record) => (record.rows?.length ?? 1) > 1 || record.groupedBy === 'domain');
  if (grouped.length === 0) return null;
  return (
    <section data-testid="import-grouping">
      <h3>{t('import.grouping', { count: grouped.length })}</h3>
      <ul>
        {grouped.slice(0, GROUPS_SHOWN).map((record) => (
          <li key={record.row} data-testid="import-group">
            {t('import.groupLine', { name: String(record.fields.name ?? ''), rows: (record.rows ?? [record.row]).join(', '), by: t(`import.groupedBy.${record.groupedBy ?? 'company'}` as MessageKey) })}
            <span className="muted"> · {record.contacts.map((contact) => contact.name).join(', ')}</span>
          </li>
        ))}
      </ul>
      {grouped.length > GROUPS_SHOWN ? <p className="muted">{t('import.groupingMore', { count: grouped.length - GROUPS_SHOWN })}</p> : null}
    </section>
  );
}
