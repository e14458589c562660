// `pnpm bench`: the real relay (dist/main.js) under load over loopback, against
// its own ceilings measured in the same run. Reports, never asserts.
//
//   node bench/run.mjs            full run (3 runs per measurement, ~15 min)
//   node bench/run.mjs --quick    CI smoke run (< 2 min; numbers not judged)
//   options: --runs N  --seconds S  --connections 1,8,32  --engines node  --modes full-group
//            --parts http,store,relay,pg  --no-paced   (pg: the relay on PostgreSQL against the relay on SQLite)
//            --node-options "--max-semi-space-size=8" (the relay's V8 flags instead of relay/node-flags.json's; "" for none)
//
// Cores: the relay and every server-side ceiling run pinned to core 1, the load
// generator (wrk, one thread) and this script to core 0. The machine is shared:
// only compare numbers measured in the same run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sealPool } from './lib/bodies.mjs';
import { childOutput, readProc, runPinned, spawnPinned, stopChild, waitForListening } from './lib/children.mjs';
import { runAutocannon, runWrk } from './lib/load.mjs';
import { MODES, relayEnv } from './lib/modes.mjs';
import { RELAY_NODE_FLAGS } from './lib/node-flags.mjs';
import { measurePostgres } from './lib/postgres.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { summarize } from './lib/stats.mjs';

const relayDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = join(relayDir, '..');
// PSST_BENCH_DIST points at another build of the relay (default: relay/dist).
const distDir = process.env.PSST_BENCH_DIST ?? join(relayDir, 'dist');
const mainJs = join(distDir, 'main.js');
const storeJs = join(distDir, 'store/sqlite-store.js');

const LOAD_CORE = 0;
/** How long an idle relay is left alone before its memory counts as settled (see measureRelay). */
const FULL_SETTLE_MS = 12_000;
const SERVER_CORE = os.cpus().length > 1 ? 1 : 0;

function parseArgs(argv) {
  const quick = argv.includes('--quick');
  const value = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (name, fallback) => value(name)?.split(',') ?? fallback;
  return {
    quick,
    runs: Number(value('--runs') ?? (quick ? 1 : 3)),
    seconds: Number(value('--seconds') ?? (quick ? 1 : 2)),
    connections: list('--connections', quick ? ['32'] : ['1', '8', '32', '128']).map(Number),
    engines: list('--engines', ['hyper-express', 'node']),
    modes: list('--modes', quick ? ['full-group', 'full-1', 'normal-1'] : Object.keys(MODES)),
    paced: !quick && !argv.includes('--no-paced'),
    parts: list('--parts', ['http', 'store', 'relay', 'pg']),
    nodeOptions: value('--node-options')?.split(' ').filter(Boolean) ?? RELAY_NODE_FLAGS,
  };
}

const opts = parseArgs(process.argv.slice(2));
// --quick keeps under 2 minutes: it waits 2 s, too short for the memory reducer (its numbers are not judged).
const SETTLE_MS = opts.quick ? 2_000 : FULL_SETTLE_MS;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const t0 = Date.now();
const log = (...args) => process.stderr.write(`[${String(Math.round((Date.now() - t0) / 1000)).padStart(4)} s] ${args.join(' ')}\n`);

function requireBuilt() {
  const needed = [
    ...(opts.parts.includes('relay') || opts.parts.includes('pg') ? [mainJs] : []),
    ...(opts.parts.includes('store') ? [storeJs] : []),
  ];
  for (const file of needed) {
    if (!existsSync(file)) {
      throw new Error(`${file} is missing: build the relay first (pnpm --filter @psst/protocol build && pnpm --filter @psst/relay build)`);
    }
  }
}

function machine() {
  const cpus = os.cpus();
  let kernel = '';
  try {
    kernel = execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim();
  } catch {
    // not fatal
  }
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    kernel,
    node: process.version,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

function fileSize(path) {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Appends the ids the create runs wrote to `file` since `offset` lines. */
function readIds(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

// ---------------------------------------------------------------- measurements

const results = { startedAt: new Date().toISOString(), options: opts, machine: machine(), measurements: [], notes: [] };

function record(entry, runs) {
  const m = { ...entry, runs, ...summarize(runs) };
  results.measurements.push(m);
  return m;
}

async function repeat(n, fn) {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await fn(i));
  return runs;
}

async function startServer(command, args, env, logFile) {
  const child = spawnPinned(SERVER_CORE, command, args, { env, logFile, cwd: relayDir });
  const listening = await waitForListening(child, 20_000);
  const port = listening.port ?? listening.address?.port;
  if (!port) throw new Error(`no port in the listening line ${JSON.stringify(listening)}`);
  return { child, origin: `http://127.0.0.1:${port}`, listening };
}

async function measureHttpCeilings(work) {
  for (const engine of opts.engines) {
    log(`http ceiling: ${engine}`);
    const server = await startServer(
      process.execPath,
      [join(relayDir, 'bench/http-ceiling.mjs'), engine],
      {},
      join(work.dir, `ceiling-${engine}.log`),
    );
    try {
      for (const connections of opts.connections) {
        for (const [scenario, mode] of [
          ['get', 'ceiling-get'],
          ['post', 'ceiling-post'],
        ]) {
          const runs = await repeat(opts.runs, () =>
            runWrk({
              core: LOAD_CORE,
              origin: server.origin,
              mode,
              connections,
              seconds: opts.seconds,
              args: { bodies: work.bodiesFile, auth: work.auth },
            }),
          );
          record({ group: 'http-ceiling', engine, scenario, connections }, runs);
        }
      }
      // Which generator is faster here: the same GET at 32 connections, wrk then autocannon.
      if (engine === opts.engines[0]) {
        const connections = 32;
        const seconds = opts.quick ? opts.seconds : Math.max(2, opts.seconds);
        const wrk = await repeat(opts.quick ? 1 : 2, () =>
          runWrk({ core: LOAD_CORE, origin: server.origin, mode: 'ceiling-get', connections, seconds, args: { auth: work.auth } }),
        );
        record({ group: 'generator', engine, scenario: 'wrk', connections }, wrk);
        const ac = await repeat(opts.quick ? 1 : 2, () =>
          runAutocannon({ core: LOAD_CORE, origin: server.origin, path: '/', connections, seconds }),
        );
        record({ group: 'generator', engine, scenario: 'autocannon', connections }, ac);
      }
    } finally {
      await stopChild(server.child);
    }
  }
}

async function storeCeiling(params) {
  const out = await runPinned(SERVER_CORE, process.execPath, [join(relayDir, 'bench/store-ceiling.mjs'), JSON.stringify(params)], {
    timeoutMs: (params.seconds + 60) * 1000,
    cwd: relayDir,
  });
  const r = JSON.parse(out.trim().split('\n').pop());
  return {
    rps: r.opsPerSec,
    requests: r.ops,
    seconds: r.seconds,
    errors: r.failures,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    fileBytes: r.fileBytes,
  };
}

async function measureStorageCeilings(work) {
  const pool = opts.quick ? 10_000 : 60_000;
  for (const mode of opts.modes) {
    const m = MODES[mode];
    for (const scenario of ['create', 'reveal', 'mixed', ...(mode === opts.modes[0] ? ['look'] : [])]) {
      for (const connections of opts.connections) {
        log(`store ceiling: ${mode} ${scenario} c=${connections}`);
        const runs = await repeat(opts.runs, () =>
          storeCeiling({
            kind: 'store',
            scenario,
            connections,
            seconds: opts.seconds,
            synchronous: m.synchronous,
            maxBatch: m.maxBatch,
            maxWaitMs: m.maxWaitMs,
            envelopeBytes: work.envelopeBytes,
            pool,
            dist: distDir,
          }),
        );
        record({ group: 'store-ceiling', mode, scenario: scenario === 'look' ? 'look' : scenario, connections }, runs);
      }
    }
  }
  // Plain better-sqlite3, as in issue 8's reference table.
  const raw = [
    ['NORMAL', 1],
    ['FULL', 1],
    ['FULL', 8],
    ['FULL', 32],
  ];
  for (const op of ['insert', 'reveal']) {
    for (const [synchronous, batch] of raw) {
      log(`raw sqlite: ${op} ${synchronous} batch ${batch}`);
      const runs = await repeat(opts.runs, () =>
        storeCeiling({
          kind: 'raw',
          op,
          synchronous,
          batch,
          seconds: opts.quick ? 0.5 : Math.min(opts.seconds, 1.5),
          envelopeBytes: work.envelopeBytes,
          pool,
        }),
      );
      record({ group: 'raw-sqlite', scenario: op, mode: `${synchronous} x${batch}`, batch, synchronous }, runs);
    }
  }
}

/** One relay scenario run with wrk, with the relay's CPU time over the run. */
async function relayRun(relay, params) {
  const before = readProc(relay.child.pid);
  const r = await runWrk({ core: LOAD_CORE, origin: relay.origin, ...params });
  const after = readProc(relay.child.pid);
  const cpuSeconds = after.cpuSeconds - before.cpuSeconds;
  return { ...r, cpuSecondsPer1k: r.requests > 0 ? (cpuSeconds * 1000) / r.requests : Number.NaN, rssBytes: after.rssBytes };
}

async function measureRelay(work, engine, mode) {
  const dir = mkdtempSync(join(work.dir, `relay-${engine}-${mode}-`));
  const dbPath = join(dir, 'psst.db');
  const idsFile = join(dir, 'created.txt');
  const revealIdsFile = join(dir, 'reveal.txt');
  const env = relayEnv(engine, mode, dbPath);
  log(`relay: ${engine} ${mode}`);
  const relay = await startServer(process.execPath, [...opts.nodeOptions, mainJs], env, join(dir, 'relay.log'));
  const common = { group: 'relay', engine, mode };
  const memory = { ...common, churned: 0 };
  try {
    await sleep(1000);
    const start = readProc(relay.child.pid);
    memory.startRssBytes = start.rssBytes;
    memory.startAnonRssBytes = start.anonRssBytes;
    // Idle means settled: about 8 s after start, V8's memory reducer collects the start-up garbage and gives
    // its pages back (measured: 65 -> 61 MB). The default mode waits for it; the others report the 1 s figure.
    if (mode === 'full-group') await sleep(SETTLE_MS - 1000);
    const idle = mode === 'full-group' ? readProc(relay.child.pid) : start;
    memory.idleRssBytes = idle.rssBytes;
    memory.idleAnonRssBytes = idle.anonRssBytes;
    memory.idleAfterMs = mode === 'full-group' ? SETTLE_MS : 1000;
    // Warm-up (not measured): the JIT compiles the request paths before the first measured run.
    await runWrk({
      core: LOAD_CORE,
      origin: relay.origin,
      mode: 'mixed',
      connections: 8,
      seconds: opts.quick ? 1 : 3,
      args: { bodies: work.bodiesFile, auth: work.auth },
    });
    let pool = [];
    let consumedFromFile = 0;
    const takeCreated = () => {
      const all = readIds(idsFile);
      pool.push(...all.slice(consumedFromFile));
      memory.churned += all.length - consumedFromFile;
      consumedFromFile = all.length;
    };
    const createArgs = { bodies: work.bodiesFile, out: idsFile, auth: work.auth };
    let revealRate = 0;
    let createRate = 0;
    for (const connections of opts.connections) {
      // create
      const creates = await repeat(opts.runs, () =>
        relayRun(relay, { mode: 'create', connections, seconds: opts.seconds, args: createArgs }),
      );
      const created = record({ ...common, scenario: 'create', connections }, creates);
      createRate = Math.max(createRate, created.rps);
      takeCreated();
      // look (rotating over live secrets; consumes nothing)
      if (mode === opts.modes[0]) {
        writeFileSync(revealIdsFile, `${pool.slice(-50_000).join('\n')}\n`);
        const looks = await repeat(opts.runs, () =>
          relayRun(relay, {
            mode: 'look',
            connections,
            seconds: Math.max(1, opts.seconds - 1),
            args: { ids: revealIdsFile, auth: work.auth },
          }),
        );
        record({ ...common, scenario: 'look', connections }, looks);
      }
      // reveal: each pooled secret once; refill the pool with unmeasured creates when it would run dry
      const revealSeconds = opts.seconds;
      const reveals = await repeat(opts.runs, async () => {
        for (let attempt = 0; ; attempt++) {
          // Reveals usually run faster than creates; the first guess is generous in a full run, lean in --quick.
          const guess = Math.max(revealRate, createRate * (opts.quick ? 1.5 : 3));
          const needed = Math.ceil(guess * revealSeconds * 1.3 * (attempt + 1)) + connections;
          if (pool.length < needed) {
            const seconds = Math.min(20, Math.ceil((needed - pool.length) / Math.max(createRate, 500)) + (opts.quick ? 0 : 1));
            log(`  refilling the reveal pool: ${pool.length} -> ${needed} (${seconds} s of creates)`);
            await runWrk({ core: LOAD_CORE, origin: relay.origin, mode: 'create', connections: 32, seconds, args: createArgs });
            takeCreated();
          }
          writeFileSync(revealIdsFile, `${pool.join('\n')}\n`);
          const r = await relayRun(relay, {
            mode: 'reveal',
            connections,
            seconds: revealSeconds,
            args: { ids: revealIdsFile, auth: work.auth },
          });
          const sent = Math.min(pool.length, r.requests + connections);
          pool = pool.slice(sent);
          const exhausted = r.requests + connections > writtenLength(revealIdsFile);
          if (!exhausted || attempt >= 2) {
            if (exhausted) results.notes.push(`reveal pool ran dry for ${engine} ${mode} c=${connections}`);
            revealRate = Math.max(revealRate, r.rps);
            return r;
          }
          log('  reveal pool ran dry: repeating with a bigger pool');
        }
      });
      record({ ...common, scenario: 'reveal', connections }, reveals);
      // mixed: create -> look -> reveal of the same secret
      const mixed = await repeat(opts.runs, () =>
        relayRun(relay, { mode: 'mixed', connections, seconds: opts.seconds, args: { bodies: work.bodiesFile, auth: work.auth } }),
      );
      record({ ...common, scenario: 'mixed', connections }, mixed);
      memory.churned += mixed.reduce((n, r) => n + Math.floor(r.requests / 3), 0);
    }
    // p99 at half the maximum throughput (default mode only), paced by wrk's delay().
    if (opts.paced && mode === 'full-group') {
      for (const scenario of ['create', 'reveal']) {
        const max = Math.max(
          ...results.measurements
            .filter((x) => x.group === 'relay' && x.engine === engine && x.mode === mode && x.scenario === scenario)
            .map((x) => x.rps),
        );
        const connections = 32;
        const target = max / 2;
        // Each connection waits `interval` after an answer, so it offers 1000 / (interval + latency) req/s:
        // one unmeasured calibration run learns the latency at this load.
        let interval = (connections * 1000) / target;
        if (scenario === 'reveal') {
          const needed = Math.ceil(target * (opts.seconds * opts.runs + 1) * 1.3) + connections * (opts.runs + 1);
          if (pool.length < needed) {
            await runWrk({
              core: LOAD_CORE,
              origin: relay.origin,
              mode: 'create',
              connections: 32,
              seconds: Math.min(20, Math.ceil((needed - pool.length) / Math.max(createRate, 500)) + 1),
              args: createArgs,
            });
            takeCreated();
          }
          writeFileSync(revealIdsFile, `${pool.join('\n')}\n`);
        }
        const pacedArgs = () => (scenario === 'create' ? { ...createArgs, interval } : { ids: revealIdsFile, auth: work.auth, interval });
        const calibration = await runWrk({
          core: LOAD_CORE,
          origin: relay.origin,
          mode: scenario,
          connections,
          seconds: 1,
          paced: true,
          args: pacedArgs(),
        });
        if (scenario === 'reveal') {
          pool = pool.slice(Math.min(pool.length, calibration.requests + connections));
          writeFileSync(revealIdsFile, `${pool.join('\n')}\n`);
        }
        const latencyMs = (connections * 1000) / calibration.rps - interval;
        interval = Math.max(0, (connections * 1000) / target - latencyMs);
        const runs = await repeat(opts.runs, async () => {
          const r = await relayRun(relay, {
            mode: scenario,
            connections,
            seconds: opts.seconds,
            paced: true,
            args: pacedArgs(),
          });
          if (scenario === 'reveal') {
            pool = pool.slice(Math.min(pool.length, r.requests + connections));
            writeFileSync(revealIdsFile, `${pool.join('\n')}\n`);
          }
          return r;
        });
        record({ ...common, scenario: `${scenario}@half`, connections, targetRps: target }, runs);
      }
    }
    const proc = readProc(relay.child.pid);
    memory.peakRssBytes = proc.peakRssBytes;
    memory.afterLoadMs = mode === 'full-group' ? SETTLE_MS : 1500;
    await sleep(memory.afterLoadMs);
    const after = readProc(relay.child.pid);
    memory.afterLoadRssBytes = after.rssBytes;
    memory.afterLoadAnonRssBytes = after.anonRssBytes;
    memory.dbBytesLive = fileSize(dbPath) + fileSize(`${dbPath}-wal`);
    memory.unrevealedLeft = pool.length;
  } catch (error) {
    log(childOutput(relay.child).slice(-3000));
    throw error;
  } finally {
    memory.exitCode = await stopChild(relay.child, 15_000);
  }
  memory.dbBytesAfterStop = fileSize(dbPath) + fileSize(`${dbPath}-wal`);
  results.measurements.push({ ...memory, scenario: 'memory' });
  rmSync(dir, { recursive: true, force: true });
}

function writtenLength(file) {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
}

function revealPageWeight() {
  const script = join(repoDir, 'reveal-page/scripts/size.mjs');
  if (!existsSync(script)) return { missing: 'reveal-page/scripts/size.mjs does not exist' };
  try {
    const out = execFileSync(process.execPath, [script], { cwd: join(repoDir, 'reveal-page'), encoding: 'utf8', timeout: 60_000 });
    return JSON.parse(out);
  } catch (error) {
    return { error: String(error.message ?? error).slice(0, 500) };
  }
}

async function main() {
  requireBuilt();
  // This process stays off the server's core.
  execFileSync('taskset', ['-a', '-p', '-c', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
  const started = Date.now();
  const dir = mkdtempSync(join(os.tmpdir(), 'psst-bench-'));
  try {
    log(`sealing the request bodies (${opts.quick ? 'quick' : 'full'} mode)`);
    const sealed = await sealPool({ count: 64 });
    const bodiesFile = join(dir, 'bodies.jsonl');
    writeFileSync(bodiesFile, `${sealed.bodies.join('\n')}\n`);
    const work = { dir, bodiesFile, auth: sealed.accessToken, envelopeBytes: sealed.envelopeBytes };
    results.request = { textBytes: 1024, envelopeBytes: sealed.envelopeBytes, createBodyBytes: sealed.bodyBytes };
    if (opts.parts.includes('http')) await measureHttpCeilings(work);
    if (opts.parts.includes('store')) await measureStorageCeilings(work);
    if (opts.parts.includes('relay')) {
      for (const mode of opts.modes) {
        for (const engine of opts.engines) await measureRelay(work, engine, mode);
      }
    }
    if (opts.parts.includes('pg')) {
      await measurePostgres({
        opts,
        work,
        log,
        record,
        results,
        repeat,
        serverCore: SERVER_CORE,
        loadCore: LOAD_CORE,
        mainJs,
        relayDir,
        nodeOptions: opts.nodeOptions,
        pin: (pid, core) => execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' }),
      });
    }
    results.revealPage = revealPageWeight();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  results.finishedAt = new Date().toISOString();
  results.elapsedSeconds = Math.round((Date.now() - started) / 1000);
  results.machine.loadAverageAfter = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const outDir = join(repoDir, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const markdown = renderMarkdown(results, { modes: MODES });
  writeFileSync(join(outDir, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, 'latest.md'), markdown);
  process.stdout.write(markdown);
  log(`wrote bench-results/${stamp}.json and bench-results/latest.md in ${results.elapsedSeconds} s`);
}

main().then(
  () => process.exit(0),
  (error) => {
    log(`bench failed: ${error.stack ?? error}`);
    process.exit(1);
  },
);
