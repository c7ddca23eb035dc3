/**
 * Handover (交接) of the customers selected in the register, for managers and admins: to one
 * colleague, with the kind and a reason (and, for a cover, the day the cards return). The server
 * moves cards from one owner at a time, so a selection spanning several owners is sent as one
 * handover per owner; cards the receiver already owns are left as they are.
 */
import { useEffect, useState } from 'react';
import type { CustodyApi, HandoverInfo, Member } from '../../sync/custody-api.ts';
import { endOfInputDay, todayInput } from '../common/form-dates.ts';
import { useLanguage } from '../common/use-language.tsx';
import { HandoverKindFields } from '../team/HandoverKindFields.tsx';

interface Props {
  api: CustodyApi;
  /** The selected cards and their owners. */
  cards: readonly { id: string; owner: string }[];
  onDone: () => void;
}

export function RegisterHandover({ api, cards, onDone }: Props) {
  const { t } = useLanguage();
  const [members, setMembers] = useState<Member[]>([]);
  const [to, setTo] = useState('');
  const [kind, setKind] = useState<HandoverInfo['kind']>('territory');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState(todayInput(Date.now() + 14 * 86_400_000));
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok?: string; error?: string }>({});

  useEffect(() => {
    let live = true;
    api
      .team()
      .then((team) => live && setMembers(team.members.filter((m) => !m.disabled)))
      .catch((failure: unknown) => live && setResult({ error: failure instanceof Error ? failure.message : String(failure) }));
    return () => {
      live = false;
    };
  }, [api]);

  const submit = async () => {
    setBusy(true);
    setResult({});
    const byOwner = new Map<string, string[]>();
    for (const card of cards) {
      if (!card.owner || card.owner === to) continue;
      byOwner.set(card.owner, [...(byOwner.get(card.owner) ?? []), card.id]);
    }
    let moved = 0;
    try {
      for (const [from, cardIds] of byOwner) {
        const done = await api.handover({ from, to, reason: reason.trim(), kind, cardIds, ...(kind === 'cover' ? { until: endOfInputDay(until) } : {}) });
        moved += done.cards;
      }
      setResult({ ok: t('register.handedOver', { count: moved, to }) });
      onDone();
    } catch (failure) {
      // Handovers already made stay made (each is whole); the message says what stopped the rest.
      setResult({ error: `${t('register.handedOver', { count: moved, to })} ${failure instanceof Error ? failure.message : String(failure)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="register-handover"
      data-testid="register-handover"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label>
        {t('team.to')}{' '}
        <select value={to} onChange={(e) => setTo(e.target.value)} required data-testid="register-handover-to">
          <option value="">—</option>
          {members.map((m) => (
            <option key={m.name} value={m.name}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <HandoverKindFields kind={kind} onKind={setKind} until={until} onUntil={setUntil} testId="register-handover" />
      <label>
        {t('team.reason')} <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required data-testid="register-handover-reason" />
      </label>
      <button type="submit" className="primary" disabled={busy || !to || !reason.trim()} data-testid="register-handover-submit">
        {t('team.handOver')}
      </button>
      {result.ok ? <span className="saved" role="status" data-testid="register-handover-done">{result.ok}</span> : null}
      {result.error ? <span className="error" role="alert">{result.error}</span> : null}
    </form>
  );
}
