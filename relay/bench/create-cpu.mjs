// CPU time of one create in the SQLite store, the way the relay makes it (group commit of 64, creates from 1 024
// clients in 256 networks with the per-client quotas counting, never refusing), without the fsync wait
// (synchronous NORMAL), so that a loaded machine changes the number little. Compare two builds:
//
//   node relay/bench/create-cpu.mjs relay/dist            # microseconds of CPU per create
//   node relay/bench/create-cpu.mjs /elsewhere/relay/dist # e.g. a build from before a change
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GROUP_COMMIT } from './lib/modes.mjs';
import { importOpenStore, secretMaker, storeOptions } from './lib/store.mjs';

const openStore = await importOpenStore(process.argv[2]);
const synchronous = process.argv[3] ?? 'NORMAL';
const dir = mkdtempSync(join(tmpdir(), 'psst-cpu-'));
const store = openStore(storeOptions(join(dir, 'psst.db'), { synchronous, ...GROUP_COMMIT }));
const secret = secretMaker(2090);
const N = 30_000;
for (let i = 0; i < 2_000; i += 64) await Promise.all(Array.from({ length: 64 }, () => store.create(secret(Date.now()))));
const before = process.cpuUsage();
for (let i = 0; i < N; i += 64) await Promise.all(Array.from({ length: 64 }, () => store.create(secret(Date.now()))));
const used = process.cpuUsage(before);
await store.close();
rmSync(dir, { recursive: true, force: true });
console.log(((used.user + used.system) / N).toFixed(2));
