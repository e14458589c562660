// Profiles the relay under one load: starts dist/main.js with --cpu-prof (and
// optionally --heapsnapshot-signal), drives one scenario with wrk, stops the
// relay and prints where its CPU time went (self time by function and by package).
//
//   node bench/profile.mjs --engine hyper-express --scenario create --connections 32 --seconds 5 [--mode full-group] [--heap]
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sealPool } from './lib/bodies.mjs';
import { spawnPinned, stopChild, waitForListening } from './lib/children.mjs';
import { runWrk } from './lib/load.mjs';
import { relayEnv } from './lib/modes.mjs';
import { RELAY_NODE_FLAGS } from './lib/node-flags.mjs';

const relayDir = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const engine = arg('engine', 'hyper-express');
const scenario = arg('scenario', 'create');
const connections = Number(arg('connections', '32'));
const seconds = Number(arg('seconds', '5'));
const mode = arg('mode', 'full-group');
const heap = argv.includes('--heap');

function category(url) {
  if (!url) return '(native/v8)';
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.includes('/protocol/')) return '@psst/protocol';
  if (url.includes('/relay/dist/')) return `relay: ${url.slice(url.indexOf('/relay/dist/') + 12)}`;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

// dist/main.js is one bundle (scripts/bundle.mjs): its source map gives each sample back the module it came from.
let bundleMap;
function originalFrame(f) {
  if (!f.url?.endsWith('/dist/main.js')) return { url: f.url, line: f.lineNumber };
  bundleMap ??= new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(f.url)}.map`, 'utf8')));
  const entry = bundleMap.findEntry(f.lineNumber, f.columnNumber);
  if (!entry?.originalSource) return { url: f.url, line: f.lineNumber };
  return { url: new URL(entry.originalSource, f.url).href, line: entry.originalLine };
}

function summarize(profile) {
  const total = profile.samples.length;
  const byFunction = new Map();
  const byCategory = new Map();
  const hits = new Map();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  for (const node of profile.nodes) {
    const n = hits.get(node.id) ?? 0;
    if (!n) continue;
    const f = node.callFrame;
    const { url, line } = originalFrame(f);
    const key = `${f.functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '')}:${line + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + n);
    const c = f.functionName.startsWith('(') ? f.functionName : category(url);
    byCategory.set(c, (byCategory.get(c) ?? 0) + n);
  }
  const top = (map, k) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, n]) => `${((100 * n) / total).toFixed(1).padStart(5)}%  ${name}`);
  return { total, functions: top(byFunction, 30), categories: top(byCategory, 20) };
}

const dir = mkdtempSync(join(os.tmpdir(), 'psst-profile-'));
const sealed = await sealPool({ count: 64 });
const bodies = join(dir, 'bodies.jsonl');
writeFileSync(bodies, `${sealed.bodies.join('\n')}\n`);
const profDir = join(dir, 'prof');
const mainJs = join(process.env.PSST_BENCH_DIST ?? join(relayDir, 'dist'), 'main.js');
const nodeArgs = [
  ...RELAY_NODE_FLAGS,
  '--cpu-prof',
  `--cpu-prof-dir=${profDir}`,
  ...(heap ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`] : []),
  mainJs,
];
// PSST_DATABASE_URL (and PSST_DATABASE_*) from the environment profile the relay on PostgreSQL.
const env = {
  ...relayEnv(engine, mode, join(dir, 'psst.db')),
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('PSST_DATABASE_'))),
};
const ids = join(dir, 'ids.txt');
if (scenario === 'reveal' || scenario === 'look') {
  // The secrets to read are created by an unprofiled relay on the same database.
  const filler = spawnPinned(1, process.execPath, [...RELAY_NODE_FLAGS, mainJs], { cwd: relayDir, logFile: join(dir, 'filler.log'), env });
  const at = await waitForListening(filler);
  await runWrk({
    core: 0,
    origin: `http://127.0.0.1:${at.port}`,
    connections: 32,
    mode: 'create',
    seconds: Math.max(3, seconds),
    args: { bodies, out: ids, auth: sealed.accessToken },
  });
  await stopChild(filler, 20_000);
}
const relay = spawnPinned(1, process.execPath, nodeArgs, { cwd: relayDir, logFile: join(dir, 'relay.log'), env });
const listening = await waitForListening(relay);
const origin = `http://127.0.0.1:${listening.port ?? listening.address?.port}`;
const common = { core: 0, origin, connections, seconds };
const result = await runWrk({
  ...common,
  mode: scenario,
  args: scenario === 'create' || scenario === 'mixed' ? { bodies, auth: sealed.accessToken } : { ids, auth: sealed.accessToken },
});
if (heap) {
  process.kill(relay.pid, 'SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, 3000));
}
await stopChild(relay, 20_000);
const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error(`no .cpuprofile in ${profDir}`);
const summary = summarize(JSON.parse(readFileSync(join(profDir, file), 'utf8')));
console.log(
  `${engine} ${mode} ${scenario} c=${connections}: ${Math.round(result.rps)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`,
);
console.log(`profile: ${join(profDir, file)} (${summary.total} samples)${heap ? `; heap snapshots in ${dir}` : ''}`);
console.log('\nself time by package:');
for (const line of summary.categories) console.log(line);
console.log('\nself time by function:');
for (const line of summary.functions) console.log(line);
