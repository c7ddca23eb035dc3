/** What an analysed file will give: a preview of the first cards, the refused rows, the duplicates. */
import type { Analysis } from '../../../shared/import/analyse.ts';
import type { DuplicateChoice } from '../../../shared/import/types.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';

const PREVIEW = 5;
const ERRORS_SHOWN = 50;
const DUPLICATES_SHOWN = 100;
const CHOICES: DuplicateChoice[] = ['skip', 'fill', 'create'];

export function ImportPreview({ analysis }: { analysis: Analysis }) {
  const { t } = useLanguage();
  const shown = analysis.records.slice(0, PREVIEW);
  return (
    <section data-testid="import-preview">
      <h3>{t('import.preview')}</h3>
      <div className="import-cards">
        {shown.map((record) => (
          <div className="import-card" key={record.row} data-testid="import-preview-card">
            <strong>{String(record.fields.name ?? '')}</strong>
            <div className="muted">{[record.fields.city, record.fields.industry, record.fields.phone].filter((v) => typeof v === 'string' && v).join(' · ')}</div>
            {record.contacts.map((contact) => (
              <div key={contact.email || contact.name}>
                {contact.name}
                {contact.email && contact.email !== contact.name ? ` <${contact.email}>` : ''}
              </div>
            ))}
          </div>
        ))}
      </div>
      {analysis.records.length > PREVIEW ? <p className="muted">{t('import.previewMore', { count: analysis.records.length - PREVIEW })}</p> : null}
    </section>
  );
}

export function ImportErrors({ analysis, onDownload }: { analysis: Analysis; onDownload: () => void }) {
  const { language, t } = useLanguage();
  // The shared module's reasons are English sentences; in Chinese the code's own wording is shown.
  const reason = (code: string, text: string) => {
    const key = `errors.${code}` as MessageKey;
    const translated = t(key);
    return language === 'en' || translated === key || translated.includes('{') ? text : translated;
  };
  if (analysis.errors.length === 0) return <p className="muted" data-testid="import-no-errors">{t('import.errorsNone')}</p>;
  return (
    <section data-testid="import-errors">
      <h3>{t('import.errors', { count: analysis.errors.length })}</h3>
      <table className="table">
        <thead>
          <tr>
            <th>{t('import.errorRow')}</th>
            <th>{t('import.errorColumn')}</th>
            <th>{t('import.errorValue')}</th>
            <th>{t('import.errorReason')}</th>
          </tr>
        </thead>
        <tbody>
          {analysis.errors.slice(0, ERRORS_SHOWN).map((error, i) => (
            <tr key={`${error.row}-${error.column}-${i}`} data-testid="import-error-row">
              <td>{error.row}</td>
              <td>{error.column}</td>
              <td>{error.value}</td>
              <td>{reason(error.code, error.reason)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {analysis.errors.length > ERRORS_SHOWN ? <p className="muted">{t('import.errorsMore', { count: analysis.errors.length - ERRORS_SHOWN })}</p> : null}
      <button type="button" data-testid="import-errors-download" onClick={onDownload}>
        {t('import.errorsDownload')}
      </button>
    </section>
  );
}

interface DuplicatesProps {
  analysis: Analysis;
  all: DuplicateChoice;
  rows: Record<number, DuplicateChoice>;
  onAll: (choice: DuplicateChoice) => void;
  onRow: (row: number, choice: DuplicateChoice) => void;
}

export function ImportDuplicates({ analysis, all, rows, onAll, onRow }: DuplicatesProps) {
  const { t } = useLanguage();
  if (analysis.duplicates.length === 0) return null;
  const names = new Map(analysis.records.map((record) => [record.row, String(record.fields.name ?? '')]));
  return (
    <section data-testid="import-duplicates">
      <h3>{t('import.duplicates', { count: analysis.duplicates.length })}</h3>
      <label>
        {t('import.duplicatesAll')}{' '}
        <select data-testid="import-duplicates-all" value={all} onChange={(event) => onAll(event.target.value as DuplicateChoice)}>
          {CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              {t(`import.choice.${choice}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <ul className="import-duplicate-list">
        {analysis.duplicates.slice(0, DUPLICATES_SHOWN).map((match) => (
          <li key={match.row} data-testid="import-duplicate">
            <span>{t('import.duplicateLine', { row: match.row, name: names.get(match.row) ?? '', card: match.cardName, by: t(`import.matchedBy.${match.by}` as MessageKey) })}</span>{' '}
            <select data-testid={`import-duplicate-${match.row}`} value={rows[match.row] ?? all} onChange={(event) => onRow(match.row, event.target.value as DuplicateChoice)}>
              {CHOICES.map((choice) => (
                <option key={choice} value={choice}>
                  {t(`import.choice.${choice}` as MessageKey)}
                </option>
              ))}
            </select>
          </li>
        ))}
      </ul>
    </section>
  );
}
