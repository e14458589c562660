// The load generators: wrk (C, one thread, Lua script ./../wrk/psst.lua) for
// every scenario, and autocannon (Node) only to compare the two on the HTTP
// ceiling. Both run pinned to the load core.
import { fileURLToPath } from 'node:url';
import { runPinned } from './children.mjs';

const script = fileURLToPath(new URL('../wrk/psst.lua', import.meta.url));
const pacedScript = fileURLToPath(new URL('../wrk/psst-paced.lua', import.meta.url));
const autocannonBin = fileURLToPath(new URL('../../node_modules/autocannon/autocannon.js', import.meta.url));

/**
 * One wrk run. Returns { rps, requests, seconds, errors, p50Ms, p90Ms, p99Ms, maxMs }.
 * `args` are the script's key=value arguments (bodies, ids, out, auth; interval with `paced`).
 */
export async function runWrk({ core, origin, mode, connections, seconds, paced = false, args = {} }) {
  const scriptArgs = [mode, ...Object.entries(args).map(([k, v]) => `${k}=${v}`)];
  const out = await runPinned(
    core,
    'wrk',
    ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', paced ? pacedScript : script, origin, '--', ...scriptArgs],
    { timeoutMs: (seconds + 30) * 1000 },
  );
  const line = out.split('\n').find((l) => l.startsWith('PSST_RESULT '));
  if (!line) throw new Error(`wrk printed no result:\n${out}`);
  const r = JSON.parse(line.slice('PSST_RESULT '.length));
  const secs = r.durationUs / 1e6;
  const errors = r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout;
  return {
    rps: r.requests / secs,
    requests: r.requests,
    seconds: secs,
    errors,
    statusErrors: r.errors.status,
    p50Ms: r.latencyUs.p50 / 1000,
    p90Ms: r.latencyUs.p90 / 1000,
    p99Ms: r.latencyUs.p99 / 1000,
    maxMs: r.latencyUs.max / 1000,
  };
}

/** One autocannon run of GET `path` (its CLI, JSON output). */
export async function runAutocannon({ core, origin, path = '/', connections, seconds }) {
  const out = await runPinned(
    core,
    process.execPath,
    [autocannonBin, '-j', '-c', String(connections), '-d', String(seconds), `${origin}${path}`],
    {
      timeoutMs: (seconds + 30) * 1000,
    },
  );
  const r = JSON.parse(out);
  return {
    rps: r.requests.total / r.duration,
    requests: r.requests.total,
    seconds: r.duration,
    errors: r.errors + r.timeouts,
    statusErrors: r.non2xx,
    p50Ms: r.latency.p50,
    p90Ms: r.latency.p90,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
  };
}
