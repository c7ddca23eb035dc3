/**
 * Proposals of controlled changes (credit limits, rating, class and stage overrides): a rep
 * proposes on the card page; the team's manager approves (the value is applied, recorded with
 * both names) or declines, with a reason. Everyone sees their own proposals' state.
 */
import { fieldByKey } from '../../../shared/fields.ts';
import type { CustodyApi } from '../../sync/custody-api.ts';
import { formatDate, labelOf, type MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useLoaded } from './use-loaded.ts';
import { DecideProposal } from './DecideProposal.tsx';
import { askForFreshFeed } from '../../inbox/inbox-feed.ts';

function shownValue(json: string): string {
  try {
    const value = JSON.parse(json) as unknown;
    return value === null ? '—' : String(value);
  } catch {
    return '';
  }
}

/** `reloadWith`: the list loads again whenever it changes (the inbox moved: TeamDesk). */
export function Proposals({ api, me, canDecide, reloadWith = '' }: { api: CustodyApi; me: string; canDecide: boolean; reloadWith?: string }) {
  const { language, t } = useLanguage();
  const proposals = useLoaded(() => api.proposals(), [api, reloadWith]);
  const decided = () => {
    proposals.reload();
    askForFreshFeed();
  };
  const list = proposals.value ?? [];
  return (
    <section className="dashboard-section" data-testid="team-proposals">
      <h2>{t('team.proposals')}</h2>
      {proposals.error ? <p className="error">{proposals.error}</p> : null}
      {list.length === 0 ? <p className="muted">{t('team.noProposals')}</p> : null}
      {list.length === 0 ? null : (
      <table className="table">
        <thead>
          <tr>
            <th>{t('team.customer')}</th>
            <th>{t('team.change')}</th>
            <th>{t('team.proposedBy')}</th>
            <th>{t('team.reason')}</th>
            <th>{t('team.state')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((proposal) => {
            const def = fieldByKey(proposal.field);
            return (
              <tr key={proposal.id} data-testid="proposal-row" data-status={proposal.status}>
                <td>{proposal.cardName || t('custody.unnamed')}</td>
                <td>
                  {def ? labelOf(language, def.label) : proposal.field} → <strong>{shownValue(proposal.value)}</strong>
                </td>
                <td>
                  {proposal.by}
                  <div className="muted">{formatDate(language, proposal.at)}</div>
                </td>
                <td>{proposal.reason}</td>
                <td>
                  <span className="chip">{t(`team.proposal.${proposal.status}` as MessageKey)}</span>
                  {proposal.decisionReason ? <div className="muted">{t('team.decidedBy', { who: proposal.decider ?? '', reason: proposal.decisionReason })}</div> : null}
                  {proposal.status === 'open' && canDecide && proposal.by !== me ? <DecideProposal api={api} proposal={proposal} onDone={decided} /> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      )}
    </section>
  );
}
