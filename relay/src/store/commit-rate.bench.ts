// Micro-benchmark of the store's write path, for the group-commit design note
// in group-commit.ts. Not part of the test suite; run it with
//   cd /work/main && npx vitest run --config relay/src/store/vitest.bench.config.ts commit-rate
// It prints one line per scenario: design, operation, concurrency, ops/s, p50/p99 latency.
//
// Designs: the store as shipped (main thread) with maxBatch 1 (one fsync per
// write), with group commit, with synchronous=NORMAL (the ceiling), and a
// worker_threads prototype that keeps the event loop free while the worker
// commits. Each client simulates the per-request CPU of an HTTP handler
// (a busy loop of CPU_MICROS) before each write, so the worker's advantage
// (parsing while a commit is in flight) can show.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { it } from 'vitest';
import { MIGRATIONS } from './schema.js';
import { HOUR, makeTempDir, newSecret, openTestStore, T0 } from './test-fixtures.js';
import type { NewSecret } from './types.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 2_000);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,8,32,128').split(',').map(Number);
const CPU_MICROS = (process.env.BENCH_CPU_MICROS ?? '0,50').split(',').map(Number);

interface Driver {
  create(secret: NewSecret): Promise<unknown>;
  reveal(id: string): Promise<unknown>;
  close(): Promise<void>;
}

function spin(micros: number): void {
  if (micros <= 0) return;
  const until = process.hrtime.bigint() + BigInt(micros * 1_000);
  while (process.hrtime.bigint() < until);
}

async function drive(concurrency: number, cpuMicros: number, next: () => Promise<unknown> | undefined) {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + DURATION_MS;
  let done = 0;
  async function client(): Promise<void> {
    while (performance.now() < deadline) {
      spin(cpuMicros);
      const t = performance.now();
      const op = next();
      if (op === undefined) return;
      await op;
      latencies.push(performance.now() - t);
      done++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1_000;
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rate: done / seconds, p50: pct(0.5), p99: pct(0.99) };
}

function mainThreadDriver(path: string, maxBatch: number, synchronous: 'FULL' | 'NORMAL'): Driver {
  const store = openTestStore(path, { groupCommit: { maxBatch, maxWaitMs: 0 }, synchronous });
  return {
    create: (secret) => store.create(secret),
    reveal: (id) => store.reveal(id, T0 + 1),
    close: () => store.close(),
  };
}

/** A prototype, not the store: the write connection lives in a worker; the main thread sends it whatever queued while it was busy. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL'); db.pragma('synchronous = FULL'); db.pragma('secure_delete = ON'); db.pragma('temp_store = MEMORY');
if (db.pragma('user_version', { simple: true }) === 0) { db.exec(workerData.schema); db.pragma('user_version = 1'); }
const insert = db.prepare("INSERT INTO secrets (id, envelope, access_verifier, manage_verifier, views_left, state, created_at, expires_at, envelope_bytes) VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?)");
const select = db.prepare("SELECT state, views_left, envelope FROM secrets WHERE id = ?");
const last = db.prepare("UPDATE secrets SET views_left = 0, read_at = ?, state = 'read', envelope = NULL, ended_at = ? WHERE id = ?");
const view = db.prepare("UPDATE secrets SET views_left = views_left - 1, read_at = ? WHERE id = ?");
const sp = db.prepare('SAVEPOINT op'), rel = db.prepare('RELEASE op');
const begin = db.prepare('BEGIN IMMEDIATE'), commit = db.prepare('COMMIT');
parentPort.on('message', (batch) => {
  const results = [];
  begin.run();
  for (const op of batch) {
    sp.run();
    if (op.kind === 'create') {
      const s = op.secret;
      insert.run(s.id, s.envelope, s.accessVerifier, s.manageVerifier, s.views, s.createdAt, s.expiresAt, s.envelope.byteLength);
      results.push({ kind: 'created' });
    } else {
      const row = select.get(op.id);
      if (!row || row.state !== 'active') results.push({ kind: 'gone' });
      else {
        if (row.views_left <= 1) last.run(op.now, op.now, op.id); else view.run(op.now, op.id);
        results.push({ kind: 'revealed', envelope: row.envelope });
      }
    }
    rel.run();
  }
  commit.run();
  parentPort.postMessage(results);
});
`;

function workerDriver(path: string, maxBatch: number): Driver {
  const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, sqlitePath, schema: MIGRATIONS[0] } });
  type Pending = { op: unknown; resolve: (value: unknown) => void };
  let queue: Pending[] = [];
  let inFlight: Pending[] | undefined;
  let scheduled = false;
  function send(): void {
    scheduled = false;
    if (inFlight !== undefined || queue.length === 0) return;
    inFlight = queue.slice(0, maxBatch);
    queue = queue.slice(inFlight.length);
    worker.postMessage(inFlight.map((p) => p.op));
  }
  worker.on('message', (results: unknown[]) => {
    const batch = inFlight!;
    inFlight = undefined;
    batch.forEach((p, i) => {
      p.resolve(results[i]);
    });
    send();
  });
  function enqueue(op: unknown): Promise<unknown> {
    return new Promise((resolve) => {
      queue.push({ op, resolve });
      if (!scheduled && inFlight === undefined) {
        scheduled = true;
        setImmediate(send);
      }
    });
  }
  return {
    create: (secret) => enqueue({ kind: 'create', secret }),
    reveal: (id) => enqueue({ kind: 'reveal', id, now: T0 + 1 }),
    close: async () => {
      await worker.terminate();
    },
  };
}

const designs: Record<string, (path: string) => Driver> = {
  'main FULL maxBatch=1': (path) => mainThreadDriver(path, 1, 'FULL'),
  'main FULL group(64)': (path) => mainThreadDriver(path, 64, 'FULL'),
  'main FULL group(256)': (path) => mainThreadDriver(path, 256, 'FULL'),
  'main NORMAL maxBatch=1': (path) => mainThreadDriver(path, 1, 'NORMAL'),
  'worker FULL group(64)': (path) => workerDriver(path, 64),
};

function secret(): NewSecret {
  return newSecret({ envelope: randomBytes(1_100), expiresAt: T0 + HOUR });
}

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

interface Measured {
  rate: number;
  p50: number;
  p99: number;
}

/** One create run and one reveal run of a design on a fresh file. */
async function measureDesign(
  open: (path: string) => Driver,
  concurrency: number,
  cpu: number,
): Promise<Record<'create' | 'reveal', Measured>> {
  const temp = makeTempDir();
  const path = join(temp.dir, 'bench.db');
  const driver = open(path);
  try {
    const create = await drive(concurrency, cpu, () => driver.create(secret()));
    // Reveals of views=1 secrets, so every reveal also erases; seeded in large batches on a second connection.
    // A run that uses them all up ends early; its rate (operations / elapsed time) stays valid.
    const seedCount = Number(process.env.BENCH_REVEAL_SEEDS ?? 20_000);
    const seeder = mainThreadDriver(path, 512, 'NORMAL');
    const seeds = Array.from({ length: seedCount }, secret);
    await Promise.all(seeds.map((s) => seeder.create(s)));
    await seeder.close();
    let next = 0;
    const reveal = await drive(concurrency, cpu, () => (next < seeds.length ? driver.reveal(seeds[next++]!.id) : undefined));
    return { create, reveal };
  } finally {
    await driver.close();
    temp.remove();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

it('measures commit rates per design', { timeout: 3_600_000 }, async () => {
  const lines: string[] = [];
  for (const cpu of CPU_MICROS) {
    for (const concurrency of CONCURRENCY) {
      // Designs interleaved and repeated, medians reported: the machine is shared and noisy.
      const runs = new Map<string, Measured[]>();
      for (let repeat = 0; repeat < REPEATS; repeat++) {
        for (const [name, open] of Object.entries(designs)) {
          const measured = await measureDesign(open, concurrency, cpu);
          for (const op of ['create', 'reveal'] as const) {
            const key = `${name}|${op}`;
            runs.set(key, [...(runs.get(key) ?? []), measured[op]]);
          }
        }
      }
      for (const [key, measured] of runs) {
        const [name, op] = key.split('|') as [string, string];
        const rates = measured.map((m) => m.rate);
        const line =
          `${name.padEnd(24)} cpu=${String(cpu).padStart(3)}us ${op.padEnd(6)} c=${String(concurrency).padStart(3)} ` +
          `${Math.round(median(rates)).toString().padStart(6)} ops/s (min ${Math.round(Math.min(...rates))}, max ${Math.round(Math.max(...rates))})  ` +
          `p50 ${median(measured.map((m) => m.p50)).toFixed(2)} ms  p99 ${median(measured.map((m) => m.p99)).toFixed(2)} ms`;
        lines.push(line);
        console.log(line);
      }
    }
  }
  console.log(`\nSUMMARY (median of ${REPEATS}, ${DURATION_MS} ms each)\n${lines.join('\n')}`);
});
