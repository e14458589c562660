#!/usr/bin/env node
// What proof of work costs, at the relay's default difficulty (or PSST_PROOF_OF_WORK_COST /
// PSST_PROOF_OF_WORK_MAX_COUNTER from the environment): the built relay hands out N challenges, then
//   - attacker: each solved in Node with node:crypto's pbkdf2Sync (OpenSSL, the fastest CPU path at hand),
//     reported as CPU-seconds per create (process.cpuUsage);
//   - honest client in Node: @psst/client's solver (WebCrypto), wall and CPU time per solve;
//   - honest client in Chromium: the same solver in a page of Debian's Chromium, wall time per solve, with
//     and without DevTools' 4× CPU throttling (the usual stand-in for a mid-range phone).
// Every solution is sent back as a create and must be accepted. Prints one JSON object.
// Usage: node relay/bench/pow.mjs [challenges=20]   (needs `pnpm build`; progress on stderr)
import { pbkdf2Sync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeB64u } from '@psst/protocol/b64u';
import { sealSecret } from '@psst/protocol/secret';
import { chromium } from 'playwright-core';
import { startBenchRelay } from './lib/relay.mjs';

const N = Number(process.argv[2] ?? 20);
const solverPath = fileURLToPath(new URL('../../client/dist/proof-of-work.js', import.meta.url));
if (!existsSync(solverPath)) throw new Error(`${solverPath} is missing: run pnpm build first`);
const { solveProofOfWork } = await import(solverPath);

const relay = await startBenchRelay({ PSST_PROOF_OF_WORK: 'always' });
const { origin } = relay;
/** A kept-alive socket the relay closed while the solver was busy fails once; a fresh one is used then. */
const fetchRelay = (path, init) => fetch(origin + path, init).catch(() => fetch(origin + path, init));

/** One after the other: the relay caps one client's requests in progress. */
async function challenges(count) {
  const list = [];
  for (let i = 0; i < count; i++) {
    const answer = await fetchRelay('/api/challenge');
    if (answer.status !== 200) throw new Error(`challenge answered ${answer.status}: ${await answer.text()}`);
    list.push(await answer.json());
  }
  return list;
}
const sealed = await sealSecret({ meta: { type: 'text' }, body: new TextEncoder().encode('bench') });
async function expectAccepted(proofOfWork) {
  const body = JSON.stringify({ envelope: encodeB64u(sealed.envelope), accessVerifier: sealed.accessVerifier, ttl: 3600, proofOfWork });
  const answer = await fetchRelay('/api/secrets', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (answer.status !== 201) throw new Error(`create answered ${answer.status}: ${await answer.text()}`);
}
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { mean: round(mean), median: round(s[Math.floor(s.length / 2)]), p90: round(s[Math.floor(s.length * 0.9)]), max: round(s.at(-1)) };
};
const round = (x) => Math.round(x * 1000) / 1000;

// Attacker: the same search, synchronous OpenSSL PBKDF2, one thread (more threads spend the same CPU-seconds).
function solveNative(challenge) {
  const { nonce, salt, cost, keyLength, keyPrefix } = challenge.parameters;
  const password = Buffer.alloc(nonce.length / 2 + 4);
  Buffer.from(nonce, 'hex').copy(password);
  const saltBytes = Buffer.from(salt, 'hex');
  const prefix = Buffer.from(keyPrefix, 'hex');
  for (let counter = 0; ; counter++) {
    password.writeUInt32BE(counter, nonce.length / 2);
    const key = pbkdf2Sync(password, saltBytes, cost, keyLength, 'sha256');
    if (key.subarray(0, prefix.length).equals(prefix)) return { challenge, solution: { counter, derivedKey: hex(key) } };
  }
}

const result = { challenges: N, node: process.version };
{
  const list = await challenges(N);
  result.parameters = { cost: list[0].parameters.cost, maxCounter: list[0].parameters.data.maxCounter };
  const cpuSeconds = [];
  const counters = [];
  const proofs = [];
  const total = process.cpuUsage();
  for (const challenge of list) {
    const before = process.cpuUsage();
    const proof = solveNative(challenge);
    const used = process.cpuUsage(before);
    cpuSeconds.push((used.user + used.system) / 1e6);
    counters.push(proof.solution.counter);
    proofs.push(proof);
  }
  const all = process.cpuUsage(total);
  for (const proof of proofs) await expectAccepted(proof);
  process.stderr.write('attacker (node pbkdf2Sync) done\n');
  result.attackerNodePbkdf2Sync = {
    cpuSecondsPerCreate: stats(cpuSeconds),
    totalCpuSeconds: round((all.user + all.system) / 1e6),
    attempts: stats(counters.map((c) => c + 1)),
  };
}
{
  const list = await challenges(N);
  const wall = [];
  const cpu = [];
  for (const challenge of list) {
    const before = process.cpuUsage();
    const started = performance.now();
    const proof = await solveProofOfWork(challenge);
    wall.push((performance.now() - started) / 1000);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1e6);
    await expectAccepted(proof);
  }
  result.honestNodeWebCrypto = { wallSeconds: stats(wall), cpuSeconds: stats(cpu) };
  process.stderr.write('honest node (WebCrypto) done\n');
}
{
  const browser = await chromium.launch({
    executablePath: process.env.PSST_CHROMIUM ?? '/usr/bin/chromium',
    headless: false,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    // A blank page of the relay's own (secure, loopback) origin, without the API's CSP, holding the solver.
    await page.route(`${origin}/bench`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>pow</title>' }));
    await page.goto(`${origin}/bench`);
    const source = readFileSync(solverPath, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
    await page.addScriptTag({ type: 'module', content: `${source}\nwindow.solveProofOfWork = solveProofOfWork;` });
    await page.waitForFunction(() => typeof window.solveProofOfWork === 'function');
    const cdp = await page.context().newCDPSession(page);
    for (const [name, rate] of [
      ['honestChromium', 1],
      ['honestChromiumCpuThrottled4x', 4],
    ]) {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      const list = await challenges(N);
      const wall = [];
      for (const challenge of list) {
        const { proof, ms } = await page.evaluate(async (c) => {
          const started = performance.now();
          const proof = await window.solveProofOfWork(c);
          return { proof, ms: performance.now() - started };
        }, challenge);
        wall.push(ms / 1000);
        await expectAccepted(proof);
      }
      result[name] = { chromium: browser.version(), wallSeconds: stats(wall) };
      process.stderr.write(`${name} done\n`);
    }
  } finally {
    await browser.close();
  }
}
await relay.stop();
console.log(JSON.stringify(result, null, 2));
