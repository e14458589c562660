// Micro-benchmark of the store's write path, for the group-commit design note
// in group-commit.ts. Not part of the test suite; run it with
//   cd /work/main && npx vitest run --config relay/src/store/vitest.bench.config.ts commit-rate
// It prints one line per scenario: design, operation, concurrency, ops/s, p50/p99 latency.
//
// Designs: the store as shipped (main thread) with maxBatch 1 (one fsync per
// write), with group commit, with synchronous=NORMAL (the ceiling), and the
// same store run inside a worker thread, which keeps the event loop free while
// the worker commits (needs the compiled store: pnpm --filter @psst/relay build). Each client simulates the per-request CPU of an HTTP handler
// (a busy loop of CPU_MICROS) before each write, so the worker's advantage
// (parsing while a commit is in flight) can show.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { it } from 'vitest';
import { HOUR, makeTempDir, newSecret, openTestStore, storeOptions, T0 } from './test-fixtures.js';
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

/**
 * The worker_threads design, with the real store: the worker owns the store (its
 * connection and its group committer); the main thread sends it everything that
 * queued while it was busy, as one message, and the worker commits it as one batch.
 * Runs the compiled store (BENCH_STORE_DIST, default relay/dist/store), so build first.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.storeUrl).then(({ openStore }) => {
  const store = openStore(workerData.options);
  parentPort.on('message', async (message) => {
    if (message === 'close') {
      await store.close();
      parentPort.postMessage('closed');
      return;
    }
    const results = await Promise.all(message.map((op) => (op.kind === 'create' ? store.create(op.secret) : store.reveal(op.id, op.now))));
    parentPort.postMessage(results);
  });
  parentPort.postMessage('ready');
});
`;

function storeDist(): string {
  const dir = process.env.BENCH_STORE_DIST ?? new URL('../../dist/store', import.meta.url).pathname;
  const file = join(dir, 'sqlite-store.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run pnpm --filter @psst/relay build (or set BENCH_STORE_DIST)`);
  return pathToFileURL(file).href;
}

async function workerDriver(path: string, maxBatch: number): Promise<Driver> {
  const options = storeOptions(path, { groupCommit: { maxBatch, maxWaitMs: 0 } });
  // execArgv: [] drops the test runner's 'source' export condition: the compiled store imports compiled protocol.
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { storeUrl: storeDist(), options } });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  worker.on('error', (error) => {
    throw error;
  });
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
  worker.on('message', (results: unknown) => {
    if (!Array.isArray(results)) return;
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
      const closed = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}

const designs: Record<string, (path: string) => Driver | Promise<Driver>> = {
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
/** Substrings of design names to run (comma-separated); all by default. */
const DESIGNS = process.env.BENCH_DESIGNS?.split(',');

interface Measured {
  rate: number;
  p50: number;
  p99: number;
}

/** One create run and one reveal run of a design on a fresh file. */
async function measureDesign(
  open: (path: string) => Driver | Promise<Driver>,
  concurrency: number,
  cpu: number,
): Promise<Record<'create' | 'reveal', Measured>> {
  const temp = makeTempDir();
  const path = join(temp.dir, 'bench.db');
  const driver = await open(path);
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
        for (const [name, open] of Object.entries(designs).filter(
          ([name]) => DESIGNS === undefined || DESIGNS.some((d) => name.includes(d)),
        )) {
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
