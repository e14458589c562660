// CPU time of one create in the SQLite store, the way the relay makes it (group commit of 64, creates from 1 024
// clients in 256 networks with the per-client quotas counting, never refusing), without the fsync wait
// (synchronous NORMAL), so that a loaded machine changes the number little. Compare two builds:
//
//   node relay/bench/create-cpu.mjs relay/dist            # microseconds of CPU per create
//   node relay/bench/create-cpu.mjs /elsewhere/relay/dist # e.g. a build from before a change
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const dist = resolve(process.argv[2] ?? 'relay/dist');
const sync = process.argv[3] ?? 'NORMAL';
const { openStore } = await import(`${dist}/store/sqlite-store.js`);
const dir = mkdtempSync(join(tmpdir(), 'psst-cpu-'));
const HOUR = 3_600_000;
const store = openStore({
  path: join(dir, 'psst.db'),
  maxActiveSecrets: 1e8,
  maxStoreBytes: 1e13,
  tombstoneRetentionMs: 24 * HOUR,
  clientQuotas: {
    clientMaxSecrets: 1e12,
    clientMaxBytes: 1e15,
    networkMaxSecrets: 1e12,
    networkMaxBytes: 1e15,
    keyRotationMs: 8 * 24 * HOUR,
  },
  groupCommit: { maxBatch: 64, maxWaitMs: 0 },
  synchronous: sync,
});
const envelope = randomBytes(2090);
const verifier = randomBytes(32);
let sender = 0;
const secret = (now) => ({
  client: { client: `10.0.${(sender >> 8) & 3}.${sender & 255}`, network: `net:0a00${((sender++ >> 2) & 255).toString(16)}/24` },
  id: randomBytes(16).toString('base64url'),
  envelope,
  accessVerifier: verifier,
  passphraseVerifier: null,
  manageVerifier: verifier,
  kdf: null,
  views: 1,
  createdAt: now,
  expiresAt: now + HOUR,
});
const N = 30_000;
for (let i = 0; i < 2_000; i += 64) await Promise.all(Array.from({ length: 64 }, () => store.create(secret(Date.now()))));
const before = process.cpuUsage();
for (let i = 0; i < N; i += 64) await Promise.all(Array.from({ length: 64 }, () => store.create(secret(Date.now()))));
const used = process.cpuUsage(before);
await store.close();
rmSync(dir, { recursive: true, force: true });
console.log(((used.user + used.system) / N).toFixed(2));
