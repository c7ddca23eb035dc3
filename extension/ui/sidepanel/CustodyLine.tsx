/** Under the card's name: its owner (responsible rep) and team, and "on loan until …" for a borrowed card. */
import { formatDate } from '../../i18n/index.ts';
import { useCardCustody } from '../common/use-custody.ts';
import { useLanguage } from '../common/use-language.tsx';

export function CustodyLine({ cardId, fallbackOwner }: { cardId: string; fallbackOwner: string }) {
  const { language, t } = useLanguage();
  const custody = useCardCustody(cardId);
  const owner = custody?.owner ?? fallbackOwner;
  if (!owner) return null;
  return (
    <p className="card-custody" data-testid="card-custody">
      <span>{t('custody.owner', { owner })}</span>
      {custody?.team ? <span> · {t('custody.team', { team: custody.team })}</span> : null}
      {custody?.loanUntil ? (
        <span className="chip loan" data-testid="on-loan">
          {t(custody.loanWrite ? 'custody.onLoanWrite' : 'custody.onLoan', { date: formatDate(language, custody.loanUntil) })}
        </span>
      ) : null}
    </p>
  );
}
