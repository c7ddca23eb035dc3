/**
 * The admin CLI: `npm run admin -- (--data <dir> | --postgres <url>) <command>` (see USAGE).
 * Works on the same store as running servers (the SQLite file, or PostgreSQL shared by several
 * instances), through the same custody rules (custody.ts) as the API: access
 * changes are logged and reach open connections within a second or two; a revoked token is
 * refused at once. The CLI acts as an admin named "admin-cli" in every record it leaves.
 * import / export (onboarding a team, a full backup): admin-import.ts.
 */
import { resolve } from 'node:path';
import { adminExport, adminImport } from './admin-import.ts';
import { flag, flags, has, positional } from './args.ts';
import { hashToken, newToken } from './custody/auth.ts';
import { editStoredCard } from './fanout/card-edit.ts';
import { ensurePinyin } from '../shared/pinyin.ts';
import { Custody, CustodyError, HANDOVER_KINDS, parseUntil } from './custody/custody.ts';
import type { Principal } from '../shared/rights/rights.ts';
import { ROLES, type HandoverKind, type Role } from './storage/storage.ts';
import { inviteUser } from './custody/invitations.ts';
import { migrateFromSqlite } from './migrate-from-sqlite.ts';
import { printable } from './printable.ts';
import { formatPolicyValue, policyValue, POLICY_KEYS } from '../shared/policy/policy.ts';
import { storeFromArgs } from './storage/open-store.ts';

/** How many of a take-out run's cards `audit` prints without --all-cards. */
const RUN_CARDS_SHOWN = 5;

const USAGE = `usage: npm run admin -- (--data <dir> | --postgres <url>) <command>
  team add <team>
  team list
  user add <name> --role rep|manager|admin [--team <team>]
  user move <name> --team <team>            (--team none: no team)
  user invite <name>                        prints a one-time code, valid for a day, to type in the extension's Settings
  user disable <name> [--to <user>]         hands the user's cards to <user> (default: their team's manager) as a
                                            "leaving" handover, revokes every token; the user's devices delete their cards.
                                            Run again on a disabled user who still owns cards to hand those over.
  user list
  token create <name>                       prints the new token as the last line
  token revoke <token>
  handover --from <user> --to <user> --reason <text> [--card <id>]... [--until <ISO-8601>] [--kind leaving|territory|cover]
  borrow grant --card <id> --to <user> --until <ISO-8601> --reason <text> [--write]
  borrow list [--user <name>]
  audit (--card <id> | --user <name>) [--all-cards]
                                            one line per event: time, user, action, card, detail; a take-out run
                                            lists the first cards it released (--all-cards: every one)
  policy show                               the company policy: every key, its value, and what it means
  policy set <key> <value>                  sets one key (a new version, audited); e.g. policy set loans.maxDays 30
  policy history                            the versions: number, when, by whom
  pool sweep [--at <ISO-8601>]              warns owners and returns untended customers to their team's pool now
                                            (or as of that moment); the server sweeps by itself every minute
  import <file.csv|file.xlsx|file.vcf> --owner <user> [--mapping <file.json>] [--duplicates skip|fill|create] [--accept-valid]
         [--header-row <n>] [--keep-unmapped]        the row holding the column names; keep unmapped columns as a note
  export --out <folder> [--include-sensitive]   every card: JSON backup + a register CSV
  migrate-from --data <folder>              (with --postgres) moves an embedded store into an empty PostgreSQL database, checked card by card`;

const FLAGS_WITH_VALUES = ['data', 'postgres', 'role', 'team', 'from', 'to', 'reason', 'card', 'until', 'kind', 'user', 'owner', 'mapping', 'duplicates', 'out', 'header-row', 'at'];
const CLI: Principal = { name: 'admin-cli', role: 'admin', team: null, disabled: false };

const iso = (at: number | null) => (at === null ? '—' : new Date(at).toISOString());

async function run(args: string[]): Promise<string[]> {
  if (positional(args, FLAGS_WITH_VALUES)[0] === 'migrate-from') {
    const url = flag(args, 'postgres', '');
    if (!url || !has(args, 'data')) throw new Error('migrate-from moves an embedded store into PostgreSQL: --postgres <url> migrate-from --data <folder>');
    return migrateFromSqlite(url, resolve(flag(args, 'data', './data')));
  }
  const storage = await storeFromArgs(args).open();
  const custody = new Custody(storage, (cardId, actor, mutation) => editStoredCard(storage, cardId, actor, mutation));
  try {
    const [noun, verb, value] = positional(args, FLAGS_WITH_VALUES);
    if (noun === 'import') {
      if (!verb) throw new Error('Which file? import <file> --owner <user>');
      // The imported cards' rows carry their pinyin terms, as the server's own do.
      await ensurePinyin();
      const duplicates = flag(args, 'duplicates', 'skip');
      if (duplicates !== 'skip' && duplicates !== 'fill' && duplicates !== 'create') throw new Error('--duplicates is skip, fill or create');
      const mappingFile = flag(args, 'mapping', '');
      const headerRow = flag(args, 'header-row', '');
      if (headerRow && !/^[1-9]\d{0,6}$/.test(headerRow)) throw new Error('--header-row is the number of the row holding the column names, as the spreadsheet shows it (1, 2, …)');
      return await adminImport(storage, {
        file: resolve(verb),
        owner: flag(args, 'owner', ''),
        duplicates,
        acceptValid: has(args, 'accept-valid'),
        ...(mappingFile ? { mappingFile: resolve(mappingFile) } : {}),
        ...(headerRow ? { headerRow: Number(headerRow) } : {}),
        ...(has(args, 'keep-unmapped') ? { keepUnmapped: true } : {}),
      });
    }
    if (noun === 'export') {
      const out = flag(args, 'out', '');
      if (!out) throw new Error('Where to? export --out <folder>');
      return await adminExport(storage, resolve(out), has(args, 'include-sensitive'));
    }
    if (noun === 'team' && verb === 'add') {
      await custody.addTeam(value ?? '');
      return [`added team ${value}`];
    }
    if (noun === 'team' && verb === 'list') {
      const teams = await storage.listTeams();
      return teams.length === 0 ? ['no teams'] : teams.map((t) => `${t.name}\t${t.members} member(s)`);
    }
    if (noun === 'user' && verb === 'add') {
      const role = flag(args, 'role', 'rep') as Role;
      if (!ROLES.includes(role)) throw new Error(`Unknown role "${role}": use rep, manager or admin`);
      const team = flag(args, 'team', '') || null;
      await custody.addUser(value ?? '', role, team);
      return [`added user ${value} (${role}${team ? `, team ${team}` : ''})`];
    }
    if (noun === 'user' && verb === 'move') {
      const team = flag(args, 'team', '');
      if (!team) throw new Error('Which team? user move <name> --team <team>');
      await custody.moveUser(value ?? '', team === 'none' ? null : team);
      return [`moved ${value} to ${team === 'none' ? 'no team' : `team ${team}`}`];
    }
    if (noun === 'user' && verb === 'invite') {
      if (!value) throw new Error('Whom? user invite <name>');
      const { code, expiresAt } = await inviteUser(storage, value);
      // The code is the last line, as a token's is for "token create".
      return [`invitation for ${value}, valid once until ${iso(expiresAt)}: type it in the extension's Settings → Invitation code`, code];
    }
    if (noun === 'user' && verb === 'disable') {
      const to = flag(args, 'to', '');
      const left = await custody.disableUser(value ?? '', to ? { to } : {});
      const cards = left.handedTo ? `; ${left.cards} card(s) handed over to ${left.handedTo} (leaving)` : '';
      return [`disabled ${value}: every token revoked; their devices delete this server's cards when they next connect${cards}`];
    }
    if (noun === 'user' && verb === 'list') {
      const users = await storage.listUsers();
      const lines: string[] = [];
      for (const u of users) {
        // A disabled user still owning cards (data from before leavers had to hand over): say how to fix it.
        const kept = u.disabled ? (await storage.cardOwners(u.name)).length : 0;
        const state = u.disabled ? `disabled${kept > 0 ? ` (still owns ${kept} card(s): run "user disable ${u.name} [--to <user>]" to hand them over)` : ''}` : `${u.tokens} active token(s)`;
        lines.push(`${u.name}\t${u.role}\t${u.team ?? '-'}\t${state}`);
      }
      return lines.length === 0 ? ['no users'] : lines;
    }
    if (noun === 'token' && verb === 'create') {
      const user = value ? await storage.getUser(value) : undefined;
      if (!user) throw new Error(`No user "${value ?? ''}": add it first with "user add"`);
      if (user.disabled) throw new Error(`The user "${value}" is disabled`);
      const token = newToken();
      await storage.addToken(hashToken(token), user.name);
      return [`token for ${user.name} (shown once; store it safely):`, token];
    }
    if (noun === 'token' && verb === 'revoke') {
      if (!value) throw new Error('Which token? token revoke <token>');
      if (!(await storage.revokeToken(hashToken(value)))) throw new Error('No such token');
      return ['token revoked; connections using it are closed'];
    }
    if (noun === 'handover') {
      const untilText = flag(args, 'until', '');
      const kind = flag(args, 'kind', untilText ? 'cover' : 'territory') as HandoverKind;
      if (!HANDOVER_KINDS.includes(kind)) throw new Error('--kind is leaving, territory or cover');
      const done = await custody.handover({
        from: flag(args, 'from', ''),
        to: flag(args, 'to', ''),
        reason: flag(args, 'reason', ''),
        kind,
        cardIds: flags(args, 'card'),
        until: untilText ? parseUntil(untilText) : undefined,
        by: CLI,
      });
      return [`handed over ${done.cardIds.length} card(s) from ${done.from} to ${done.to} (${done.kind}${done.until ? ` until ${iso(done.until)}` : ''})`];
    }
    if (noun === 'borrow' && verb === 'grant') {
      const loan = await custody.grantLoan(CLI, flag(args, 'card', ''), flag(args, 'to', ''), parseUntil(flag(args, 'until', '')), flag(args, 'reason', ''), has(args, 'write'));
      return [`loan ${loan.id}: ${loan.borrower} may ${loan.write ? 'read and write' : 'read'} card ${loan.cardId} until ${iso(loan.until)}`];
    }
    if (noun === 'borrow' && verb === 'list') {
      const user = flag(args, 'user', '');
      const loans = await custody.loansFor(CLI, user ? { borrower: user } : {});
      return loans.length === 0
        ? ['no loans']
        : loans.map((l) => [String(l.id), l.status, l.borrower, l.cardId, l.cardName, `until ${iso(l.until ?? l.wantedUntil)}`, l.write ? 'read-write' : 'read-only', l.reason].map(printable).join('\t'));
    }
    if (noun === 'policy' && verb === 'show') {
      const { version, at, by, policy } = await custody.policy.current();
      const head = version === 0 ? 'policy: the defaults (never set)' : `policy version ${version}, set ${iso(at)} by ${printable(by)}`;
      return [head, ...POLICY_KEYS.map(({ key, about }) => `${key}\t${printable(formatPolicyValue(policyValue(policy, key))) || '""'}\t${about}`)];
    }
    if (noun === 'policy' && verb === 'set') {
      const text = positional(args, FLAGS_WITH_VALUES)[3];
      if (!value || text === undefined) throw new Error('policy set <key> <value> (policy show lists the keys)');
      const { policy, changes } = await custody.policy.set(CLI, [[value, text]]);
      return changes.length === 0 ? [`unchanged: ${value} is already ${text} (version ${policy.version})`] : [`policy version ${policy.version}:`, ...changes.map(printable)];
    }
    if (noun === 'policy' && verb === 'history') {
      const versions = await custody.policy.history(CLI);
      return versions.length === 0 ? ['no versions: the defaults apply'] : versions.map((v) => `${v.version}\t${iso(v.at)}\t${printable(v.by)}`);
    }
    if (noun === 'pool' && verb === 'sweep') {
      const at = flag(args, 'at', '');
      const { warned, returned } = await custody.pool.sweep(at ? parseUntil(at) : Date.now());
      return [`pool sweep: ${warned} owner warning(s), ${returned} customer(s) returned to the pool`];
    }
    if (noun === 'audit') {
      const card = flag(args, 'card', '');
      const user = flag(args, 'user', '');
      if (!card && !user) throw new Error('audit --card <id> | --user <name>');
      const events = (await storage.auditOf(card ? { cardId: card, limit: 10_000 } : { user, limit: 10_000 })).reverse();
      // Stored text is escaped: a newline in a reason cannot print as a line of its own.
      const allCards = args.includes('--all-cards');
      return events.length === 0 ? ['no events'] : events.map((e) => [iso(e.at), e.user, e.action, e.cardId ?? '-', e.detail + runCards(e.cards, allCards)].map(printable).join('\t'));
    }
    throw new Error(USAGE);
  } finally {
    await storage.close();
  }
}

/** A run's released cards after its detail: the first few, or every one. */
function runCards(cards: readonly string[] | undefined, all: boolean): string {
  if (!cards || cards.length === 0) return '';
  const shown = all ? cards : cards.slice(0, RUN_CARDS_SHOWN);
  const more = cards.length - shown.length;
  return `; cards: ${shown.join(' ')}${more > 0 ? ` … and ${more} more (--all-cards)` : ''}`;
}

run(process.argv.slice(2))
  .then((lines) => {
    for (const line of lines) console.log(line);
  })
  .catch((error: unknown) => {
    console.error(error instanceof CustodyError || error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
