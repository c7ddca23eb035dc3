/**
 * A throwaway PostgreSQL cluster for the tests: `initdb` in a temporary folder, `pg_ctl start`
 * on a free port of 127.0.0.1 (trust authentication; fsync off unless asked to be durable:
 * nothing in a test must survive the machine), databases made on demand, and `pg_ctl stop` plus
 * the folder removed at the end.
 * PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` user (made by
 * Debian's package) or else `nobody`, through `runuser`. The binaries come from PG_BIN, or the
 * newest /usr/lib/postgresql/<version>/bin (Debian's `postgresql` package).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.ts';

export interface PostgresCluster {
  port: number;
  /** The URL of a database of the cluster (`postgres` unless named). */
  url(database?: string): string;
  /** Makes a database (if it does not exist yet) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

export function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql (or set PG_BIN to the folder of initdb and pg_ctl)');
  return join(root, versions[0]!, 'bin');
}


/** Who runs the cluster: ourselves, or (as root) an unprivileged user. */
function runner(): { user?: string; uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  for (const user of ['postgres', 'nobody']) {
    const found = spawnSync('id', ['-u', user], { encoding: 'utf8' });
    if (found.status === 0) {
      const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
      return { user, uid: Number(found.stdout.trim()), gid: Number(gid.stdout.trim()) };
    }
  }
  throw new Error('Running as root with neither a postgres nor a nobody user: PostgreSQL will not run as root');
}

export interface PostgresOptions {
  /** Flush commits to disk as a production database does (the benchmarks); the tests run without. */
  durable?: boolean;
}

export async function startPostgres({ durable = false }: PostgresOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBin();
  const as = runner();
  const dir = mkdtempSync(join(tmpdir(), 'cards-pg-'));
  if (as.uid !== undefined) chownSync(dir, as.uid, as.gid!);
  const data = join(dir, 'data');
  const run = (command: string, args: string[]) => {
    const [file, argv] = as.user ? ['runuser', ['-u', as.user, '--', join(bin, command), ...args]] : [join(bin, command), args];
    execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  };
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale', 'C']);
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    const safety = durable ? '' : ' -c fsync=off -c full_page_writes=off';
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${safety} -c max_connections=300`;
    try {
      run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '60', 'start']);
      break;
    } catch (error) {
      // Another process took the port between our look and the start: try another.
      if (attempt >= 3) throw new Error(`PostgreSQL did not start: ${existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : String(error)}`);
    }
  }
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const made = new Set<string>();
  return {
    port,
    url,
    async createDatabase(name) {
      if (!/^[a-z0-9_]{1,60}$/.test(name)) throw new Error(`not a database name for the tests: ${name}`);
      if (!made.has(name)) {
        const client = new pg.Client({ connectionString: url() });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${name}`);
        } catch (error) {
          // 42P04: it exists already (made by another test process).
          if ((error as { code?: string }).code !== '42P04') throw error;
        } finally {
          await client.end();
        }
        made.add(name);
      }
      return url(name);
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
