// A throwaway PostgreSQL cluster for tests: initdb in a temp folder (as the
// `postgres` user when run as root, since initdb refuses root), started on a
// free loopback port with its unix socket in the same folder, one database per
// caller, restartable for outage tests, removed afterwards. Never the system
// service. Without PostgreSQL the tests fail in CI (CI=true); elsewhere callers
// may leave the PostgreSQL runs out (see POSTGRES_AVAILABLE).
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** The binaries: PSST_PG_BIN, or the newest /usr/lib/postgresql/<version>/bin. */
export const PG_BIN: string | null = findBinaries();

function findBinaries(): string | null {
  const fromEnv = process.env.PSST_PG_BIN;
  if (fromEnv) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

/** True when the tests can run PostgreSQL here, and always in CI (where a missing one must fail, not skip). */
export const POSTGRES_AVAILABLE = PG_BIN !== null || process.env.CI === 'true';

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

const asRoot = process.getuid?.() === 0;
let databases = 0;

function run(binary: string, args: string[]): string {
  const bin = join(PG_BIN as string, binary);
  const command = asRoot ? 'runuser' : bin;
  const argv = asRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
  const result = spawnSync(command, argv, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(`${binary} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** initdb + start. `settings` are extra server settings (-c name=value). */
export async function startPostgres(settings: Record<string, string> = {}): Promise<PostgresCluster> {
  if (PG_BIN === null) {
    throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; set PSST_PG_BIN): run scripts/setup.sh');
  }
  const dir = mkdtempSync(join(tmpdir(), 'psst-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const dataDir = join(dir, 'data');
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C']);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=200',
    '-c shared_buffers=32MB',
    ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
  ].join(' ');
  const start = () => run('pg_ctl', ['-D', dataDir, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  const stop = () => run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  start();
  let running = true;
  const psql = (database: string, sql: string) =>
    run('psql', ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', database, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
  return {
    port,
    dataDir,
    createDatabase(name = `psst_${process.pid}_${++databases}`) {
      psql('postgres', `CREATE DATABASE ${name}`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    psql,
    stop() {
      if (!running) return;
      stop();
      running = false;
    },
    start() {
      if (running) return;
      start();
      running = true;
    },
    restart() {
      if (running) stop();
      start();
      running = true;
    },
    remove() {
      try {
        if (running) stop();
      } finally {
        running = false;
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

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
