// PostgreSQL for tests: the throwaway cluster of ./postgres-cluster.mjs (also
// used by the benchmark), and the vitest hooks that give a describe block one
// cluster and each relay a fresh database. Without PostgreSQL the tests fail in
// CI (CI=true); elsewhere callers may leave the PostgreSQL runs out (see
// POSTGRES_AVAILABLE).
import { afterAll, beforeAll } from 'vitest';
import { POSTGRES_AVAILABLE, type PostgresCluster, startPostgres } from './postgres-cluster.mjs';

export { PG_BIN, POSTGRES_AVAILABLE, type PostgresCluster, startPostgres } from './postgres-cluster.mjs';

/** What a test asks of the relay: its store, and for PostgreSQL the environment that selects a fresh database. */
export type StoreChoice = 'sqlite' | 'postgres';

/** The stores relay-level suites run on: both wherever PostgreSQL is installed, and always in CI. */
export const STORES: readonly StoreChoice[] = POSTGRES_AVAILABLE ? ['sqlite', 'postgres'] : ['sqlite'];

/**
 * One cluster for a describe block (started in beforeAll, removed in afterAll) when `store` is postgres;
 * `env()` gives the relay settings for a fresh database in it, or nothing for SQLite.
 */
export function useStoreEnv(store: StoreChoice, settings: Record<string, string> = {}) {
  let cluster: PostgresCluster | undefined;
  beforeAll(async () => {
    if (store === 'postgres') cluster = await startPostgres(settings);
  }, 60_000);
  afterAll(() => cluster?.remove());
  return {
    get cluster(): PostgresCluster {
      if (!cluster) throw new Error('useStoreEnv: the cluster exists only for postgres, inside the tests of its describe block');
      return cluster;
    },
    /** PSST_DATABASE_URL of a new database for postgres; {} for sqlite (each relay gets its own file). */
    env(): Record<string, string> {
      return store === 'postgres' ? { PSST_DATABASE_URL: this.cluster.createDatabase() } : {};
    },
  };
}
