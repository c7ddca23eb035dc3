import type { CardView } from '../../../shared/card-types.ts';
import { unknownsOf } from '../../../shared/derive/unknowns.ts';
import { labelOf } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';

export function UnknownsSection({ card }: { card: CardView }) {
  const { language, t } = useLanguage();
  const unknowns = unknownsOf(card);
  return (
    <section className="card-page-section no-print" data-testid="section-unknowns">
      <h2>{t('cardPage.unknowns')}</h2>
      {unknowns.length === 0 ? (
        <p className="muted">{t('cardPage.unknownsNone')}</p>
      ) : (
        <ul className="unknowns">
          {unknowns.map((u) => (
            <li key={`${u.contactId}-${u.key}`}>{u.contactName ? `${u.contactName} · ${labelOf(language, u.label)}` : labelOf(language, u.label)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
