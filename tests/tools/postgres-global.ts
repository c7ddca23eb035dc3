/**
 * Vitest global setup of the `postgres` project: one throwaway PostgreSQL cluster for the run
 * (tests/tools/postgres.ts), its URL handed to the test files in TEST_POSTGRES_URL, stopped and
 * removed when the run ends.
 */
import { startPostgres } from './postgres.ts';

export default async function setup(): Promise<() => void> {
  const cluster = await startPostgres();
  process.env.TEST_POSTGRES_URL = cluster.url();
  return () => cluster.stop();
}
