// The storage ceiling: the same SQLite work the relay does per request, with the
// same durability settings, but without HTTP. Runs as a child pinned to the
// relay's core; prints one JSON line.
//
//   node bench/store-ceiling.mjs '{"kind":"store","scenario":"create","connections":32,"seconds":2,
//                                 "synchronous":"FULL","maxBatch":64,"maxWaitMs":0,"envelopeBytes":2090,"pool":40000}'
//   node bench/store-ceiling.mjs '{"kind":"raw","op":"insert"|"reveal","synchronous":"FULL","batch":32,"seconds":2,"envelopeBytes":2090}'
//
// kind=store drives the relay's own store (dist/store/sqlite-store.js) with
// `connections` concurrent callers, each awaiting its operation like a request
// handler would, so group commit batches exactly as in the relay.
// kind=raw is plain better-sqlite3 on a similar table, `batch` operations per
// transaction, to reproduce the reference table of issue 8.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importOpenStore, secretMaker, storeOptions } from './lib/store.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');
const dir = mkdtempSync(join(tmpdir(), 'psst-store-ceiling-'));
const dbPath = join(dir, 'psst.db');
const HOUR = 3_600_000;

function newId() {
  return randomBytes(16).toString('base64url');
}

function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function fileBytes() {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(dbPath + suffix).size;
    } catch {
      // no WAL
    }
  }
  return total;
}

async function runStore() {
  const openStore = await importOpenStore(options.dist);
  const newSecret = secretMaker(options.envelopeBytes);

  // The pool of secrets that look and reveal read, written fast (big NORMAL batches), then reopened as measured.
  const pool = [];
  if (options.scenario === 'look' || options.scenario === 'reveal') {
    const filler = openStore(storeOptions(dbPath, { synchronous: 'NORMAL', maxBatch: 1024, maxWaitMs: 0 }));
    const now = Date.now();
    for (let done = 0; done < options.pool; done += 1024) {
      const batch = [];
      for (let i = done; i < Math.min(options.pool, done + 1024); i++) {
        const secret = newSecret(now);
        pool.push(secret.id);
        batch.push(filler.create(secret));
      }
      await Promise.all(batch);
    }
    await filler.close();
  }

  const store = openStore(storeOptions(dbPath, options));
  const latencies = new Float64Array(4_000_000);
  let ops = 0;
  let failures = 0;
  let next = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const timed = async (op) => {
    const t0 = performance.now();
    const result = await op();
    if (ops < latencies.length) latencies[ops] = performance.now() - t0;
    ops++;
    return result;
  };
  // A reveal request reads the record first (the relay checks the access token against it), then reveals it.
  const readThenReveal = async (id) => {
    if ((await store.get(id, Date.now())) === undefined) failures++;
    return store.reveal(id, Date.now());
  };
  const scenarios = {
    create: async () => {
      const r = await timed(() => store.create(newSecret(Date.now())));
      if (r.kind !== 'created') failures++;
      return true;
    },
    look: async () => {
      const id = pool[next++ % pool.length];
      const r = await timed(async () => store.get(id, Date.now()));
      if (r === undefined) failures++;
      return true;
    },
    reveal: async () => {
      if (next >= pool.length) return false;
      const id = pool[next++];
      const r = await timed(() => readThenReveal(id));
      if (r.kind !== 'revealed') failures++;
      return true;
    },
    mixed: async () => {
      const secret = newSecret(Date.now());
      await timed(() => store.create(secret));
      await timed(async () => store.get(secret.id, Date.now()));
      const r = await timed(() => readThenReveal(secret.id));
      if (r.kind !== 'revealed') failures++;
      return true;
    },
  };
  const step = scenarios[options.scenario];
  if (!step) throw new Error(`unknown scenario ${options.scenario}`);
  const started = performance.now();
  // Look is synchronous: concurrency means nothing for it, but the loop still yields now and then.
  const worker = async () => {
    while (performance.now() < deadline && (await step())) {
      // next
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  const sorted = latencies.subarray(0, Math.min(ops, latencies.length)).sort();
  return {
    ops,
    seconds,
    opsPerSec: ops / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    failures,
    fileBytes: fileBytes(),
  };
}

function runRaw() {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous}`);
  db.pragma('secure_delete = ON');
  db.exec(`CREATE TABLE secrets (id TEXT PRIMARY KEY NOT NULL, envelope BLOB, access_verifier BLOB NOT NULL,
    views_left INTEGER NOT NULL, state TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
    read_at INTEGER, envelope_bytes INTEGER NOT NULL) STRICT`);
  const envelope = randomBytes(options.envelopeBytes);
  const verifier = randomBytes(32);
  const insert = db.prepare(
    "INSERT INTO secrets (id, envelope, access_verifier, views_left, state, created_at, expires_at, envelope_bytes) VALUES (?, ?, ?, 1, 'active', ?, ?, ?)",
  );
  const reveal = db
    .prepare(
      "UPDATE secrets SET views_left = views_left - 1, read_at = ?, state = 'read', envelope = NULL WHERE id = ? AND state = 'active' RETURNING envelope_bytes",
    )
    .pluck();
  const pool = [];
  if (options.op === 'reveal') {
    db.pragma('synchronous = OFF');
    const fill = db.transaction((n) => {
      for (let i = 0; i < n; i++) {
        const id = newId();
        pool.push(id);
        insert.run(id, envelope, verifier, Date.now(), Date.now() + HOUR, envelope.length);
      }
    });
    fill(options.pool);
    db.pragma(`synchronous = ${options.synchronous}`);
  }
  let next = 0;
  const one =
    options.op === 'insert'
      ? () => insert.run(newId(), envelope, verifier, Date.now(), Date.now() + HOUR, envelope.length)
      : () => reveal.get(Date.now(), pool[next++]);
  const batch = db.transaction((n) => {
    for (let i = 0; i < n; i++) one();
  });
  let ops = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  while (performance.now() < deadline) {
    const n = options.op === 'reveal' ? Math.min(options.batch, pool.length - next) : options.batch;
    if (n <= 0) break;
    batch.immediate(n);
    ops += n;
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return { ops, seconds, opsPerSec: ops / seconds, failures: 0, fileBytes: fileBytes() };
}

try {
  const result = options.kind === 'raw' ? runRaw() : await runStore();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
