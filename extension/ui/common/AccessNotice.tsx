/** The line a read-only card shows wherever it could otherwise be edited: "On loan, read-only until …". */
import { formatDate } from '../../i18n/index.ts';
import { useAccessOf } from './card-access.tsx';
import { useLanguage } from './use-language.tsx';

export function AccessNotice() {
  const { language, t } = useLanguage();
  const { access, signedIn } = useAccessOf();
  if (!signedIn || access.write) return null;
  if (access.loan)
    return (
      <div className="access-notice" role="note" data-testid="read-only-loan">
        <strong>{t('access.readOnlyLoan', { date: formatDate(language, access.loan.until) })}</strong>
        <span className="muted"> {t('access.readOnlyLoanHint')}</span>
      </div>
    );
  return (
    <div className="access-notice" role="note" data-testid="read-only-card">
      {t('access.readOnlyUnknown')}
    </div>
  );
}
