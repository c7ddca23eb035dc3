import { useEffect, useState } from 'react';
import type { SenderInfo } from '../../../shared/card-types.ts';
import { companyNameFromDomain, domainOf, isFreeMailDomain } from '../../../shared/email.ts';
import { errorMessage } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';
import { useColleagueLookup } from '../common/use-colleague-lookup.ts';
import { ColleagueCustomer } from './ColleagueCustomer.tsx';

export function UnknownSender({ sender, onCreated }: { sender: SenderInfo; onCreated: (cardId: string) => void }) {
  const store = useStore();
  const { language, t } = useLanguage();
  const domain = domainOf(sender.email);
  const freeMail = isFreeMailDomain(domain);
  const [company, setCompany] = useState('');
  const [person, setPerson] = useState('');
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const colleague = useColleagueLookup(sender.email, domain);
  const ownedElsewhere = colleague && !colleague.readable ? colleague : undefined;

  useEffect(() => {
    setCompany(freeMail ? sender.name : companyNameFromDomain(domain));
    setPerson(sender.name || sender.email.split('@')[0] || '');
    setState({ busy: false });
  }, [sender.email, sender.name, domain, freeMail]);

  const create = async () => {
    setState({ busy: true });
    const result = await store.mutate({
      type: 'card-create',
      name: company,
      domains: freeMail ? [] : [domain],
      contact: { name: person, email: sender.email },
    });
    if (result.ok) onCreated(result.value.cardId);
    else setState({ busy: false, error: errorMessage(language, result) });
  };

  return (
    <>
    {colleague ? <ColleagueCustomer found={colleague} /> : null}
    <section className="unknown" data-testid="unknown-sender">
      <h1>{ownedElsewhere ? t('custody.createOwnTitle') : t('unknown.title')}</h1>
      {ownedElsewhere ? <p className="hint warning" data-testid="owned-elsewhere-warning">{ownedElsewhere.owner ? t('custody.createWarning', { owner: ownedElsewhere.owner }) : t('custody.createWarningContested')}</p> : null}
      <p className="unknown-who">
        <strong>{sender.name}</strong> <span className="muted">{sender.email}</span>
      </p>
      <form
        className="create-form"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <label>
          <span>{t('unknown.company')}</span>
          <input value={company} onChange={(e) => setCompany(e.target.value)} maxLength={200} data-testid="create-company" />
        </label>
        <label>
          <span>{t('unknown.person')}</span>
          <input value={person} onChange={(e) => setPerson(e.target.value)} maxLength={200} data-testid="create-person" />
        </label>
        <p className="create-meta">
          {t('unknown.email')}: {sender.email}
          {freeMail ? null : (
            <>
              <br />
              {t('unknown.domain')}: {domain}
            </>
          )}
        </p>
        {freeMail ? <p className="hint">{t('unknown.freeMail', { domain })}</p> : null}
        {state.error ? <p className="error" role="alert">{state.error}</p> : null}
        <button type="submit" className={ownedElsewhere ? 'wide' : 'primary wide'} disabled={state.busy} data-testid="create-card">
          {state.busy ? t('unknown.creating') : ownedElsewhere ? t('custody.createAnyway') : t('unknown.createCard')}
        </button>
      </form>
    </section>
    </>
  );
}
