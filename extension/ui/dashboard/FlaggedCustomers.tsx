/** The customers flagged as hesitating or dissatisfied (on the Today tab), with their stage, last contact and the cadence they are followed up at. */
import { useMemo } from 'react';
import { OPTIONS } from '../../../shared/fields.ts';
import { cadenceOf } from '../../../shared/reminders/cadence.ts';
import { DEFAULT_REMINDERS } from '../../../shared/reminders/due.ts';
import { formatRelative, labelOf, type MessageKey } from '../../i18n/index.ts';
import { useAllRows } from '../common/use-all-rows.ts';
import { useLanguage } from '../common/use-language.tsx';
import { openCard } from '../register/RegisterPage.tsx';

export function FlaggedCustomers() {
  const { language, t } = useLanguage();
  const rows = useAllRows();
  const now = useMemo(() => Date.now(), []);
  const flagged = useMemo(() => (rows ?? []).filter((r) => (r.flags ?? []).length > 0).sort((a, b) => (b.flags.includes('dissatisfied') ? 1 : 0) - (a.flags.includes('dissatisfied') ? 1 : 0) || a.lastContact - b.lastContact), [rows]);
  if (!rows) return null;
  return (
    <section className="dashboard-section" data-testid="flagged-customers">
      <h2>{t('flagged.title')}</h2>
      {flagged.length === 0 ? (
        <p className="muted">{t('flagged.empty')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('register.col.name')}</th>
              <th>{t('flagged.col.flags')}</th>
              <th>{t('flagged.col.stage')}</th>
              <th>{t('flagged.col.lastContact')}</th>
              <th>{t('flagged.col.cadence')}</th>
              <th>{t('register.col.owner')}</th>
            </tr>
          </thead>
          <tbody>
            {flagged.map((row) => {
              const stage = OPTIONS.stage.find((o) => o.value === row.stage);
              return (
                <tr key={row.id} data-testid="flagged-row">
                  <td>
                    <button type="button" className="link" onClick={() => openCard(row.id)}>{row.name}</button>
                  </td>
                  <td>{row.flags.map((flag) => t(`flagged.flag.${flag}` as MessageKey)).join(', ')}</td>
                  <td>{stage ? labelOf(language, stage.label) : ''}</td>
                  <td>{row.lastContact ? formatRelative(language, row.lastContact, now) : t('card.never')}</td>
                  <td>{t('flagged.days', { days: cadenceOf(row, DEFAULT_REMINDERS).days })}</td>
                  <td>{row.owner}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
