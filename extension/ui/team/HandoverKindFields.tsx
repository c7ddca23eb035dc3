/** The kind of a handover (交接: leaving, territory, cover) and, for a cover, the day the cards return. */
import type { HandoverInfo } from '../../sync/custody-api.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';

export const HANDOVER_KINDS: HandoverInfo['kind'][] = ['territory', 'leaving', 'cover'];

interface Props {
  kind: HandoverInfo['kind'];
  onKind: (kind: HandoverInfo['kind']) => void;
  /** The cover's last day, as a date input's value. */
  until: string;
  onUntil: (until: string) => void;
  /** Prefix of the fields' test ids (`<prefix>-kind`, `<prefix>-until`). */
  testId: string;
}

export function HandoverKindFields({ kind, onKind, until, onUntil, testId }: Props) {
  const { t } = useLanguage();
  return (
    <>
      <label>
        {t('team.kind')}{' '}
        <select value={kind} onChange={(e) => onKind(e.target.value as HandoverInfo['kind'])} data-testid={`${testId}-kind`}>
          {HANDOVER_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`team.kind.${k}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      {kind === 'cover' ? (
        <label>
          {t('team.coverUntil')} <input type="date" value={until} onChange={(e) => onUntil(e.target.value)} data-testid={`${testId}-until`} />
        </label>
      ) : null}
    </>
  );
}
