// A throwaway PostgreSQL cluster (plain JavaScript, so the benchmark can use
// it without a TypeScript loader; the tests use it through ./postgres.ts):
// initdb in a temp folder (as the `postgres` user when run as root, since
// initdb refuses root), started on a free loopback port with its unix socket
// in the same folder, one database per caller, restartable for outage tests,
// removed afterwards. Never the system service.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The binaries: PSST_PG_BIN, or the newest /usr/lib/postgresql/<version>/bin. */
export const PG_BIN = findBinaries();

function findBinaries() {
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

const asRoot = process.getuid?.() === 0;
let databases = 0;

function run(binary, args) {
  const bin = join(PG_BIN, binary);
  const command = asRoot ? 'runuser' : bin;
  const argv = asRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
  const result = spawnSync(command, argv, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(`${binary} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** initdb + start. `settings` are extra server settings (-c name=value). See postgres-cluster.d.mts. */
export async function startPostgres(settings = {}) {
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
  const psql = (database, sql) =>
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
