/**
 * The Team desk (dashboard → Team): for managers and admins, the team's reps with their card
 * counts, loan requests, proposals of controlled changes, handover, and the audit per card and
 * per person; for a rep, their own loan requests and proposals and how they stand. Everything
 * comes from the server's custody API; signed out, the desk says how to sign in. On top, the
 * inbox (what waits on a manager: inbox/inbox-feed.ts), a rep's decisions, and the daily review.
 * When the inbox moves (a decision made there, a request the server told of), the tables of loans
 * and proposals load again; a decision made in a table asks the worker for a fresh inbox: the desk
 * does not show one request as decided in one place and waiting in the other.
 */
import { useLanguage } from '../common/use-language.tsx';
import { useCustodyApi } from '../common/use-custody.ts';
import { AuditView } from './AuditView.tsx';
import { HandoverForm } from './HandoverForm.tsx';
import { InviteForm } from './InviteForm.tsx';
import { mayInvite } from '../../../shared/rights/rights.ts';
import { LoanRequests } from './LoanRequests.tsx';
import { Proposals } from './Proposals.tsx';
import { TeamDigest } from './TeamDigest.tsx';
import { useLoaded } from './use-loaded.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { useInboxFeed } from '../../inbox/inbox-feed.ts';
import { DecisionsList, InboxList } from '../inbox/InboxList.tsx';
import { DailyReview } from '../inbox/DailyReview.tsx';
import { openCard } from '../register/RegisterPage.tsx';

export function TeamDesk() {
  const { t } = useLanguage();
  const api = useCustodyApi();
  const me = useLoaded(api ? () => api.me() : undefined, [api]);
  const manages = me.value?.role === 'manager' || me.value?.role === 'admin';
  const team = useLoaded(api && manages ? () => api.team() : undefined, [api, manages]);
  const inbox = useInboxFeed(true);
  // What waits and what was decided, as the inbox last heard it: when it moves (a decision made in
  // the inbox, a new request told by the server), the tables of loans and proposals load again.
  const inboxMoved = inbox ? [...inbox.items.map((item) => item.id), '|', ...inbox.decisions.map((decision) => decision.id)].join(' ') : '';
  if (!api) return <p className="muted" data-testid="team-signed-out">{t('team.signIn')}</p>;
  if (me.error) return <p className="error">{me.error}</p>;
  if (!me.value) return <p className="muted">{t('panel.loading')}</p>;
  const members = team.value?.members ?? [];
  return (
    <div className="team-desk" data-testid="team-desk">
      <p className="muted">
        {t('team.signedInAs', { user: me.value.user, role: t(`team.role.${me.value.role}` as MessageKey) })}
        {me.value.team ? ` · ${t('custody.team', { team: me.value.team })}` : ''}
      </p>
      {manages ? <InboxList feed={inbox} onOpenCard={openCard} onOpenTeam={() => document.querySelector('[data-testid="team-loans"]')?.scrollIntoView()} /> : null}
      <DecisionsList feed={inbox} onOpenCard={openCard} />
      {manages ? <DailyReview /> : null}
      {manages ? (
        <section className="dashboard-section" data-testid="team-members">
          <h2>{t('team.members')}</h2>
          <table className="table">
            <thead>
              <tr>
                <th>{t('team.person')}</th>
                <th>{t('team.roleHeader')}</th>
                <th className="number">{t('team.cards')}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.name} className={m.disabled ? 'muted' : ''}>
                  <td>{m.name}</td>
                  <td>
                    {t(`team.role.${m.role}` as MessageKey)}
                    {m.disabled ? ` · ${t('team.disabled')}` : ''}
                  </td>
                  <td className="number">{m.cards}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {manages && team.value ? <TeamDigest me={me.value.user} members={members} /> : null}
      <LoanRequests api={api} me={me.value.user} canDecide={manages} reloadWith={inboxMoved} />
      <Proposals api={api} me={me.value.user} canDecide={manages} reloadWith={inboxMoved} />
      {manages ? <HandoverForm api={api} members={members} /> : null}
      {manages ? <AuditView api={api} members={members} /> : null}
      {mayInvite({ name: me.value.user, role: me.value.role, team: me.value.team, disabled: false }) ? <InviteForm api={api} members={members} /> : null}
    </div>
  );
}
