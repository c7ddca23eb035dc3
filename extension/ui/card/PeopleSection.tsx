import { useState } from 'react';
import type { CardView, ContactView, FieldValue } from '../../../shared/card-types.ts';
import { CONTACT_FIELDS, CONTACT_ROLES, CONTACT_SECTIONS } from '../../../shared/contact-fields.ts';
import { errorMessage, labelOf } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { ClosenessPanel } from './ClosenessPanel.tsx';
import { FieldRow } from './FieldRow.tsx';
import { useMutate } from './use-mutate.ts';

function valueOf(person: ContactView, key: string): FieldValue | undefined {
  if (key === 'name' || key === 'email' || key === 'phone' || key === 'role') return person[key];
  return person.profile[key];
}

function Person({ card, cardId, person, includeSensitive }: { card: CardView; cardId: string; person: ContactView; includeSensitive: boolean }) {
  const { language } = useLanguage();
  const mutate = useMutate();
  return (
    <article className="person-card" data-testid="person-card">
      <h3>{person.name}</h3>
      <ClosenessPanel card={card} person={person} />
      {CONTACT_SECTIONS.map((section) => {
        const fields = CONTACT_FIELDS.filter((f) => f.section === section.key);
        const filled = fields.filter((f) => valueOf(person, f.key) !== undefined && valueOf(person, f.key) !== '').length;
        const body = (
          <div className="field-grid">
            {fields.map((def) => (
              <div key={def.key} className={def.sensitive && !includeSensitive ? 'no-print' : undefined}>
                <FieldRow
                  fieldKey={`${person.id}-${def.key}`}
                  label={def.label}
                  type={def.type}
                  value={valueOf(person, def.key)}
                  {...(def.key === 'role' ? { options: CONTACT_ROLES } : {})}
                  {...(def.sensitive ? { sensitive: true } : {})}
                  onSave={(value, reason) => mutate({ type: 'contact-set-field', cardId, contactId: person.id, field: def.key, value, ...(reason ? { reason } : {}) })}
                />
              </div>
            ))}
          </div>
        );
        return section.key === 'basics' ? (
          <div key={section.key}>{body}</div>
        ) : (
          <details key={section.key} className="profile-section" open={filled > 0}>
            <summary>
              {labelOf(language, section.label)} <span className="muted">({filled}/{fields.length})</span>
            </summary>
            {body}
          </details>
        );
      })}
    </article>
  );
}

export function PeopleSection({ card, includeSensitive }: { card: CardView; includeSensitive: boolean }) {
  const { language, t } = useLanguage();
  const mutate = useMutate();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string>();
  const add = async () => {
    const failure = await mutate({ type: 'contact-add', cardId: card.id, name, ...(email ? { email } : {}) });
    if (failure) setError(errorMessage(language, failure));
    else {
      setName('');
      setEmail('');
      setError(undefined);
    }
  };
  return (
    <section className="card-page-section" data-testid="section-people">
      <h2>{t('cardPage.people')}</h2>
      {card.contacts.map((person) => (
        <Person key={person.id} card={card} cardId={card.id} person={person} includeSensitive={includeSensitive} />
      ))}
      <form
        className="inline-form no-print"
        onSubmit={(event) => {
          event.preventDefault();
          void add();
        }}
      >
        <input placeholder={t('cardPage.personName')} value={name} onChange={(e) => setName(e.target.value)} data-testid="new-person-name" />
        <input placeholder={t('cardPage.personEmail')} value={email} onChange={(e) => setEmail(e.target.value)} data-testid="new-person-email" />
        <button type="submit">{t('cardPage.addPerson')}</button>
        {error ? <span className="error" role="alert">{error}</span> : null}
      </form>
    </section>
  );
}
