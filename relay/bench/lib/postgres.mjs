// The PostgreSQL part of `pnpm bench` (issue 15): the relay on PostgreSQL
// against the relay on SQLite, in the same run, both durable (SQLite FULL +
// group commit; PostgreSQL synchronous_commit=on), create then reveal at each
// connection count; then two relays on one PostgreSQL database, driven by two
// wrk processes at once; and the memory of the relays and of PostgreSQL.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { POSTGRES_AVAILABLE, startPostgres } from '../../../test-support/postgres-cluster.mjs';
import { childOutput, readProc, spawnPinned, stopChild, waitForListening } from './children.mjs';
import { runWrk } from './load.mjs';
import { relayEnv } from './modes.mjs';

/** Connections the relay keeps open to PostgreSQL (PSST_DATABASE_POOL_MAX), the relay's default. */
const POOL_MAX = 16;

/** Resident memory of every process of the cluster, counted once (PSS: shared buffers split between them). */
function clusterPssBytes(postmasterPid) {
  const pids = [postmasterPid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmasterPid) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  for (const pid of pids) {
    try {
      total += Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      // gone meanwhile
    }
  }
  return { bytes: total, processes: pids.length };
}

const lines = (file) => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

/**
 * Runs the comparison and records into `record(entry, runs)` / `results`. `ctx`: { opts, work, log, serverCore,
 * loadCore, mainJs, relayDir, nodeOptions, repeat, record, results }.
 */
export async function measurePostgres(ctx) {
  const { opts, work, log, record, results, repeat } = ctx;
  if (!POSTGRES_AVAILABLE) {
    results.notes.push('PostgreSQL is not installed here (scripts/setup.sh installs it): the PostgreSQL comparison was skipped');
    return;
  }
  const engine = opts.engines[0];
  const connectionsList = opts.quick ? [32] : opts.connections.filter((c) => [1, 32, 128].includes(c));
  const cluster = await startPostgres({ shared_buffers: '128MB', wal_recycle: 'off' });
  const postmasterPid = Number(readFileSync(join(cluster.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  // PostgreSQL runs on the load core, beside wrk: the relay keeps core 1 to itself, as in the SQLite runs (a
  // database belongs on its own machine; on the relay's core its wake-ups were a third of the relay's time).
  ctx.pin(postmasterPid, ctx.loadCore);
  const socketDir = join(cluster.dataDir, '..');
  /** A fresh database, reached over the cluster's unix socket (`tcp`: over TCP loopback). */
  const databaseUrl = (tcp = false) => {
    const url = cluster.createDatabase();
    if (tcp) return url;
    const name = url.slice(url.lastIndexOf('/') + 1);
    return `postgres://postgres@/${name}?host=${encodeURIComponent(socketDir)}&port=${cluster.port}`;
  };
  const startRelay = async (name, env, core) => {
    const child = spawnPinned(core, process.execPath, [...ctx.nodeOptions, ctx.mainJs], {
      env,
      logFile: join(work.dir, `${name}.log`),
      cwd: ctx.relayDir,
    });
    const listening = await waitForListening(child, 20_000);
    return { child, origin: `http://127.0.0.1:${listening.port}` };
  };
  const run = async (relay, params) => {
    const before = readProc(relay.child.pid);
    const r = await runWrk({ core: ctx.loadCore, origin: relay.origin, ...params });
    const after = readProc(relay.child.pid);
    return { ...r, cpuSecondsPer1k: r.requests > 0 ? ((after.cpuSeconds - before.cpuSeconds) * 1000) / r.requests : Number.NaN };
  };
  try {
    for (const store of opts.quick ? ['sqlite', 'postgres'] : ['sqlite', 'postgres', 'postgres-tcp']) {
      const name = `pg-compare-${store}`;
      const env = {
        ...relayEnv(engine, 'full-group', join(work.dir, `${name}.db`)),
        ...(store === 'sqlite'
          ? {}
          : { PSST_DATABASE_URL: databaseUrl(store === 'postgres-tcp'), PSST_DATABASE_POOL_MAX: String(POOL_MAX) }),
      };
      log(`postgres comparison: relay on ${store}`);
      const relay = await startRelay(name, env, ctx.serverCore);
      const idsFile = join(work.dir, `${name}-ids.txt`);
      const revealFile = join(work.dir, `${name}-reveal.txt`);
      const createArgs = { bodies: work.bodiesFile, out: idsFile, auth: work.auth };
      try {
        // Warm-up, not measured (its secrets are revealed by the run itself: not written to the reveal pool).
        await runWrk({
          core: ctx.loadCore,
          origin: relay.origin,
          mode: 'mixed',
          connections: 8,
          seconds: opts.quick ? 1 : 3,
          args: { bodies: work.bodiesFile, auth: work.auth },
        });
        let used = 0;
        for (const connections of connectionsList) {
          const creates = await repeat(opts.runs, () =>
            run(relay, { mode: 'create', connections, seconds: opts.seconds, args: createArgs }),
          );
          const created = record({ group: 'pg-compare', store, engine, scenario: 'create', connections }, creates);
          const reveals = await repeat(opts.runs, async () => {
            // Enough fresh secrets for this run at three times the create rate.
            const need = Math.ceil(created.rps * 3 * opts.seconds * 1.3) + connections;
            if (lines(idsFile).length - used < need) {
              const seconds = Math.min(20, Math.ceil((need - (lines(idsFile).length - used)) / Math.max(created.rps, 500)) + 1);
              await runWrk({ core: ctx.loadCore, origin: relay.origin, mode: 'create', connections: 32, seconds, args: createArgs });
            }
            const pool = lines(idsFile).slice(used);
            writeFileSync(revealFile, `${pool.join('\n')}\n`);
            const r = await run(relay, { mode: 'reveal', connections, seconds: opts.seconds, args: { ids: revealFile, auth: work.auth } });
            used += Math.min(pool.length, r.requests + connections);
            if (r.requests + connections > pool.length) results.notes.push(`pg-compare ${store} c=${connections}: the reveal pool ran dry`);
            return r;
          });
          record({ group: 'pg-compare', store, engine, scenario: 'reveal', connections }, reveals);
        }
        const proc = readProc(relay.child.pid);
        const memory = {
          group: 'pg-compare',
          store,
          engine,
          scenario: 'pg-memory',
          relayRssBytes: proc.rssBytes,
          relayPeakRssBytes: proc.peakRssBytes,
        };
        if (store !== 'sqlite') Object.assign(memory, { postgresPss: clusterPssBytes(postmasterPid) });
        results.measurements.push(memory);
      } catch (error) {
        log(childOutput(relay.child).slice(-3000));
        throw error;
      } finally {
        await stopChild(relay.child, 15_000);
      }
    }

    // Two relays on one database: one per core (the second shares core 0 with wrk and PostgreSQL), two wrk at once.
    log('postgres comparison: two relays on one database');
    const url = databaseUrl();
    const relays = [];
    try {
      for (const [i, core] of [ctx.serverCore, ctx.loadCore].entries()) {
        relays.push(
          await startRelay(
            `pg-two-${i}`,
            {
              ...relayEnv(engine, 'full-group', join(work.dir, `pg-two-${i}.db`)),
              PSST_DATABASE_URL: url,
              PSST_DATABASE_POOL_MAX: String(POOL_MAX),
            },
            core,
          ),
        );
      }
      const connections = 32;
      const runs = await repeat(opts.runs, async () => {
        const both = await Promise.all(
          relays.map((relay, i) =>
            runWrk({
              core: ctx.loadCore,
              origin: relay.origin,
              mode: 'create',
              connections: connections / 2,
              seconds: opts.seconds,
              args: { bodies: work.bodiesFile, out: join(work.dir, `pg-two-${i}-ids.txt`), auth: work.auth },
            }),
          ),
        );
        return {
          rps: both.reduce((sum, r) => sum + r.rps, 0),
          requests: both.reduce((sum, r) => sum + r.requests, 0),
          p50Ms: Math.max(...both.map((r) => r.p50Ms)),
          p99Ms: Math.max(...both.map((r) => r.p99Ms)),
          errors: both.reduce((sum, r) => sum + r.errors, 0),
          statusErrors: both.reduce((sum, r) => sum + r.statusErrors, 0),
        };
      });
      record({ group: 'pg-two-relays', store: 'postgres', engine, scenario: 'create', connections }, runs);
      results.measurements.push({
        group: 'pg-two-relays',
        scenario: 'pg-memory',
        relayRssBytes: relays.map((relay) => readProc(relay.child.pid).rssBytes),
        postgresPss: clusterPssBytes(postmasterPid),
      });
    } finally {
      for (const relay of relays) await stopChild(relay.child, 15_000);
    }
  } finally {
    cluster.remove();
  }
}
