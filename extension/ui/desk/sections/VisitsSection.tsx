/** Visits planned against done per rep, for the last 30 days and the next 14 (shared/reminders/visits.ts). */
import { personName } from '../../../i18n/index.ts';
import { useMemo } from 'react';
import type { CardIndexRow } from '../../../../shared/card-types.ts';
import { visitsByRep } from '../../../../shared/reminders/visits.ts';
import { useLanguage } from '../../common/use-language.tsx';
import { DeskSection } from '../DeskSection.tsx';

const DAY = 86_400_000;

export function VisitsSection({ rows, now }: { rows: readonly CardIndexRow[]; now: number }) {
  const { language, t } = useLanguage();
  const reps = useMemo(() => visitsByRep(rows, now - 30 * DAY, now + 14 * DAY, now, -new Date(now).getTimezoneOffset()), [rows, now]);
  const table = {
    header: [t('register.col.owner'), t('visit.col.planned'), t('visit.col.done'), t('visit.col.unreported')],
    lines: reps.map((r) => [personName(language, r.owner), r.planned, r.done, r.unreported]),
  };
  return <DeskSection id="visits" title={t('visit.desk')} table={table} />;
}
