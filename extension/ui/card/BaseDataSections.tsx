import type { CardView } from '../../../shared/card-types.ts';
import { fieldsOfSection, SECTIONS } from '../../../shared/fields.ts';
import { labelOf } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { CardFieldRow } from './CardFieldRow.tsx';

/** Every base-data section of the catalogue (classification has its own panel). */
export function BaseDataSections({ card, includeSensitive }: { card: CardView; includeSensitive: boolean }) {
  const { language } = useLanguage();
  return (
    <>
      {SECTIONS.filter((section) => section.key !== 'classification').map((section) => (
        <section key={section.key} className="card-page-section" data-testid={`section-${section.key}`}>
          <h2>{labelOf(language, section.label)}</h2>
          <div className="field-grid">
            {fieldsOfSection(section.key).map((def) => (
              <div key={def.key} className={def.sensitive && !includeSensitive ? 'no-print' : undefined}>
                <CardFieldRow card={card} def={def} />
              </div>
            ))}
          </div>
        </section>
      ))}
    </>
  );
}
