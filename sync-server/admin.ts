/**
 * The admin CLI: `npm run admin -- --data <dir> <command>`
 *   user add <name> --role rep|manager|admin
 *   user list
 *   token create <name>        prints the new token as the last line
 *   token revoke <token>
 *   import <file.csv|file.xlsx|file.vcf> --owner <user> [--mapping <file.json>] [--duplicates skip|fill|create] [--accept-valid]
 *   export --out <folder> [--include-sensitive]
 * (import and export: admin-import.ts). Works on the same SQLite file as a running server; a revoked token is refused at once.
 */
import { resolve } from 'node:path';
import { flag, positional } from './args.ts';
import { adminExport, adminImport } from './admin-import.ts';
import { hashToken, newToken } from './auth.ts';
import { ROLES, type Role } from './storage.ts';
import { openSqliteStorage } from './storage-sqlite.ts';

const USAGE = `usage: npm run admin -- --data <dir> user add <name> --role rep|manager|admin
       npm run admin -- --data <dir> user list
       npm run admin -- --data <dir> token create <name>
       npm run admin -- --data <dir> token revoke <token>
       npm run admin -- --data <dir> import <file.csv|file.xlsx|file.vcf> --owner <user> [--mapping <file.json>] [--duplicates skip|fill|create] [--accept-valid]
       npm run admin -- --data <dir> export --out <folder> [--include-sensitive]`;

async function run(args: string[]): Promise<string[]> {
  const storage = openSqliteStorage(resolve(flag(args, 'data', './data')));
  try {
    const [noun, verb, value] = positional(args, ['data', 'role', 'owner', 'mapping', 'duplicates', 'out']);
    if (noun === 'import') {
      if (!verb) throw new Error('Which file? import <file> --owner <user>');
      const duplicates = flag(args, 'duplicates', 'skip');
      if (duplicates !== 'skip' && duplicates !== 'fill' && duplicates !== 'create') throw new Error('--duplicates is skip, fill or create');
      const mappingFile = flag(args, 'mapping', '');
      return await adminImport(storage, { file: resolve(verb), owner: flag(args, 'owner', ''), duplicates, acceptValid: args.includes('--accept-valid'), ...(mappingFile ? { mappingFile: resolve(mappingFile) } : {}) });
    }
    if (noun === 'export') {
      const out = flag(args, 'out', '');
      if (!out) throw new Error('Where to? export --out <folder>');
      return adminExport(storage, resolve(out), args.includes('--include-sensitive'));
    }
    if (noun === 'user' && verb === 'add') {
      if (!value || !/^[\p{L}\p{N}._@-]{1,64}$/u.test(value)) throw new Error('A user name is 1–64 letters, digits, dots, dashes or underscores');
      const role = flag(args, 'role', 'rep') as Role;
      if (!ROLES.includes(role)) throw new Error(`Unknown role "${role}": use rep, manager or admin`);
      if (storage.getUser(value)) throw new Error(`The user "${value}" already exists`);
      storage.addUser(value, role);
      return [`added user ${value} (${role})`];
    }
    if (noun === 'user' && verb === 'list') {
      const users = storage.listUsers();
      return users.length === 0 ? ['no users'] : users.map((u) => `${u.name}\t${u.role}\t${u.tokens} active token(s)`);
    }
    if (noun === 'token' && verb === 'create') {
      if (!value || !storage.getUser(value)) throw new Error(`No user "${value ?? ''}": add it first with "user add"`);
      const token = newToken();
      storage.addToken(hashToken(token), value);
      return [`token for ${value} (shown once; store it safely):`, token];
    }
    if (noun === 'token' && verb === 'revoke') {
      if (!value) throw new Error('Which token? token revoke <token>');
      if (!storage.revokeToken(hashToken(value))) throw new Error('No such token');
      return ['token revoked; connections using it are closed'];
    }
    throw new Error(USAGE);
  } finally {
    storage.close();
  }
}

try {
  for (const line of await run(process.argv.slice(2))) console.log(line);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
