import { configDefaults, defineConfig } from 'vitest/config';

/** Suites about several server instances on one PostgreSQL database: the postgres project only. */
const POSTGRES_ONLY = ['tests/sync/two-instances.test.ts', 'tests/sync/fanout.test.ts', 'tests/sync/database-outage.test.ts', 'tests/sync/migrate-from.test.ts'];

// Three projects: `unit` (fast, Node, fake-indexeddb where store logic needs it), `e2e`
// (real Chromium with the built extension, the real sync server over real sockets, on SQLite)
// and `postgres` (the sync suites again, the server on a throwaway PostgreSQL cluster). The e2e
// and postgres projects run one file at a time: the machine has two cores and each file starts
// a browser or servers.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['extension/**/*.test.ts', 'shared/**/*.test.ts', 'sync-server/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts', 'tests/sync/**/*.test.ts', 'tests/bench/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...POSTGRES_ONLY],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'postgres',
          include: ['tests/sync/**/*.test.ts'],
          environment: 'node',
          env: { SYNC_BACKEND: 'postgres' },
          globalSetup: ['tests/tools/postgres-global.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
