// Types of ./postgres-cluster.mjs.
export declare const PG_BIN: string | null;
/** True when the tests can run PostgreSQL here, and always in CI (where a missing one must fail, not skip). */
export declare const POSTGRES_AVAILABLE: boolean;

export interface PostgresCluster {
  port: number;
  dataDir: string;
  /** A fresh, empty database; returns its postgres:// URL (user postgres, trust auth on loopback). */
  createDatabase(name?: string): string;
  /** Runs SQL with psql in `database` and returns its unaligned output. */
  psql(database: string, sql: string): string;
  /** Fast shutdown (connections are cut), as a restart or a failover does. */
  stop(): void;
  start(): void;
  restart(): void;
  /** Stops the server and removes its folder. */
  remove(): void;
}

/** initdb + start. `settings` are extra server settings (-c name=value). */
export declare function startPostgres(settings?: Record<string, string>): Promise<PostgresCluster>;
