// Measures `echo x | psst` as a whole process (node start, /api/config,
// encrypt, create, history write, exit) against the relay of PSST_RELAY:
// one warm-up run, then RUNS runs; prints each time and the median.
//   PSST_RELAY=http://127.0.0.1:8787 node cli/scripts/time-create.mjs [RUNS]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 5);
const psst = fileURLToPath(new URL('../dist/psst.mjs', import.meta.url));
if (!process.env.PSST_RELAY) throw new Error('set PSST_RELAY to a running relay');
const state = mkdtempSync(join(tmpdir(), 'psst-time-'));
const env = { ...process.env, XDG_STATE_HOME: state, XDG_CONFIG_HOME: state };
const command = `echo x | ${JSON.stringify(process.execPath)} ${JSON.stringify(psst)} > /dev/null`;

const times = [];
for (let i = 0; i <= runs; i++) {
  const start = process.hrtime.bigint();
  const result = spawnSync('sh', ['-c', command], { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 30_000 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`run ${i} exited with ${result.status}`);
  if (i > 0) times.push(ms);
}
rmSync(state, { recursive: true, force: true });
const sorted = [...times].sort((a, b) => a - b);
console.log(`runs (ms): ${times.map((t) => t.toFixed(1)).join(', ')}`);
console.log(`median of ${runs}: ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms`);
