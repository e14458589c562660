#!/usr/bin/env node
// Memory of the built relay, per engine: RSS when idle, then after N
// create+reveal pairs (default 10 000; rate limits off), and the peak (VmHWM).
// Usage: node relay/scripts/rss.mjs [pairs] [concurrency]
// Prints one JSON line per engine. Needs `pnpm build` first.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { encodeB64u } from '@psst/protocol/b64u';
import { sealSecret } from '@psst/protocol/secret';
import { startBenchRelay } from '../bench/lib/relay.mjs';

const PAIRS = Number(process.argv[2] ?? 10_000);
const CONCURRENCY = Number(process.argv[3] ?? 16);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const status = (pid, field) =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

function send(agent, port, method, path, body, token) {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function measure(engine, sealed) {
  const relay = await startBenchRelay({ PSST_HTTP_ENGINE: engine, PSST_MAX_CLIENT_REQUESTS: '0' });
  const { child, port } = relay;
  await sleep(2000);
  const idleMb = status(child.pid, 'VmRSS');
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  const started = Date.now();
  async function worker() {
    while (next < PAIRS) {
      const s = sealed[next++ % sealed.length];
      const created = await send(agent, port, 'POST', '/api/secrets', s.body);
      if (created.status !== 201) throw new Error(`create ${created.status} ${created.text}`);
      const { id } = JSON.parse(created.text);
      const revealed = await send(agent, port, 'POST', `/api/secrets/${id}/reveal`, '{}', s.token);
      if (revealed.status !== 200) throw new Error(`reveal ${revealed.status} ${revealed.text}`);
      if (process.env.RSS_DEBUG) process.stderr.write('.');
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (Date.now() - started) / 1000;
  const afterMb = status(child.pid, 'VmRSS');
  const peakMb = status(child.pid, 'VmHWM');
  agent.destroy();
  await sleep(5000);
  const settledMb = status(child.pid, 'VmRSS');
  const code = await relay.stop();
  const round = (n) => Math.round(n * 10) / 10;
  return {
    engine,
    pairs: PAIRS,
    concurrency: CONCURRENCY,
    idleRssMb: round(idleMb),
    afterRssMb: round(afterMb),
    settledRssMb: round(settledMb),
    peakRssMb: round(peakMb),
    pairsPerSecond: Math.round(PAIRS / seconds),
    exitCode: code,
  };
}

// 1 KiB text secrets, sealed for real; a pool reused (the relay sees each create as new).
const sealed = [];
for (let i = 0; i < 200; i++) {
  const s = await sealSecret({ meta: { type: 'text' }, body: 'x'.repeat(1024) });
  sealed.push({
    body: JSON.stringify({ envelope: encodeB64u(s.envelope), accessVerifier: s.accessVerifier, ttl: 3600 }),
    token: encodeB64u(s.keys.at),
  });
}
for (const engine of ['hyper-express', 'node']) console.log(JSON.stringify(await measure(engine, sealed)));
