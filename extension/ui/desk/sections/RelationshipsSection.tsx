/**
 * How deep and how warm the relationships are (DOMAIN.md §8, shared/relationship/): the A
 * customers with no close contact or only one, with whom to deepen next, and the people whose
 * silence is much longer than their own usual interval (cooling), across the customers shown.
 */
import { useMemo } from 'react';
import type { CardIndexRow } from '../../../../shared/card-types.ts';
import { coolingPeople, thinRelationships } from '../../../../shared/relationship/depth.ts';
import { personName, type MessageKey } from '../../../i18n/index.ts';
import { useLanguage } from '../../common/use-language.tsx';
import { DeskSection } from '../DeskSection.tsx';

export function RelationshipsSection({ rows, now }: { rows: readonly CardIndexRow[]; now: number }) {
  const { language, t } = useLanguage();
  const thin = useMemo(() => thinRelationships(rows, now), [rows, now]);
  const cooling = useMemo(() => coolingPeople(rows, now), [rows, now]);
  const level = (value: string) => (value ? t(`closeness.level.${value}` as MessageKey) : t('closeness.unset'));
  const influence = (value: string) => (value ? t(`closeness.influence.${value}` as MessageKey) : '');
  const thinTable = {
    header: [t('desk.col.customer'), t('register.col.owner'), t('desk.thin.close'), t('desk.thin.people'), t('desk.thin.deepen')],
    lines: thin.map((c) => [
      c.name,
      personName(language, c.owner),
      c.closeNames.length > 0 ? `${c.close} · ${c.closeNames.join(', ')}` : '0',
      String(c.people),
      c.deepen ? [c.deepen.person, influence(c.deepen.influence), level(c.deepen.level)].filter(Boolean).join(' · ') : t('desk.thin.nobody'),
    ]),
  };
  const coolingTable = {
    header: [t('desk.col.customer'), t('desk.cooling.person'), t('desk.col.level'), t('register.col.owner'), t('desk.cooling.usual'), t('desk.cooling.silent')],
    lines: cooling.map((c) => [c.customer, c.person, level(c.closeness), personName(language, c.owner), String(c.usualDays), String(c.silentDays)]),
  };
  return (
    <>
      <DeskSection id="thin-relationships" title={t('desk.thin')} table={thinTable} />
      <DeskSection id="cooling" title={t('desk.cooling')} table={coolingTable} />
    </>
  );
}
