/** Credit control: customers over their approved limit, and those rated below a chosen level. */
import { personName } from '../../../i18n/index.ts';
import { useMemo } from 'react';
import type { CardIndexRow } from '../../../../shared/card-types.ts';
import { overLimitList } from '../../../../shared/analysis/credit.ts';
import { useCreditFloor } from '../../common/use-credit-floor.ts';
import { useLanguage } from '../../common/use-language.tsx';
import { DeskSection } from '../DeskSection.tsx';

export function CreditSection({ rows }: { rows: readonly CardIndexRow[] }) {
  const { language, t } = useLanguage();
  // Saved: the order form and the side panel flag the same customers.
  const [minRating, setMinRating] = useCreditFloor();
  const lines = useMemo(() => overLimitList(rows, minRating), [rows, minRating]);
  const table = {
    header: [t('register.col.name'), t('register.col.owner'), t('desk.credit.limit'), t('register.col.receivables'), t('register.col.overdue'), t('desk.credit.headroom'), t('desk.credit.rating')],
    lines: lines.map((l) => [l.name, personName(language, l.owner), l.limit || '—', l.receivables, l.overdue, Number.isFinite(l.headroom) ? l.headroom : '—', l.lowRating ? t('desk.credit.lowRating', { level: minRating }) : '']),
  };
  const controls = (
    <label>
      {t('desk.credit.minRating')}{' '}
      <select data-testid="credit-min-rating" value={minRating} onChange={(e) => setMinRating(e.target.value)}>
        <option value="">{t('desk.credit.anyRating')}</option>
        {['A', 'B', 'C'].map((level) => (
          <option key={level} value={level}>
            {level}
          </option>
        ))}
      </select>
    </label>
  );
  return <DeskSection id="credit" title={t('desk.credit')} table={table} controls={controls} />;
}
