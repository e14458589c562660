// Refuse before reading (issue 14, attack 3): 200 connections of a client
// that is already rate-limited push large create bodies slowly. The relay
// must refuse each one when its headers arrive, never buffer the body, so its
// RSS stays near the baseline during the attack and after it, and other
// clients keep being served. On the code before the refusal moved to the
// headers the relay read every body whole before its 429 (+280 MB here). To
// see that, build the old relay elsewhere (git worktree) and point
// PSST_RELAY_MAIN at its relay/dist/main.js.
import { CreateSecretResponse } from '@psst/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestHead, startSlowSenders } from './gate-wire.js';
import { ENGINES, type Engine, type RunningRelay, request, rssBytes, sealBody, sleep, startRelay, useTempDir } from './support.js';

const ATTACKER = '203.0.113.66';
/** The normal clients: each request pair comes from the next of these addresses, each within its own budget. */
const NORMAL_CLIENTS = 64;
let normalClient = 0;
const nextNormal = () => `198.51.100.${(normalClient++ % NORMAL_CLIENTS) + 1}`;
/** The default create budget per minute; the attacker spends it before the attack (and gets one create back every 2 s). */
const CREATE_PER_MINUTE = 30;
const CONNECTIONS = 200;
/** Just under the default create body limit (1 MiB envelope → ~1.40 MB of JSON): each body would be accepted. */
const BODY_BYTES = 1_390_000;
/** Each attacker writes this much every SEND_INTERVAL_MS: a whole body takes ~4.3 s. */
const SEND_BYTES = 16_384;
const SEND_INTERVAL_MS = 50;
const ATTACK_MS = 10_000;
/** After the attack: time for the relay to settle before the last reading. */
const SETTLE_MS = 4_000;
const SAMPLE_MS = 200;
/**
 * What the attack may add to the relay's RSS, during it and after it. Reading the bodies would take
 * 200 × 1.39 MB = 278 MB (the code before: +310-330 MB during, +270 MB after). What the relay does instead
 * is answer at once and drop what arrives on a refused connection for the linger (2 s). uWebSockets.js
 * drops it in native memory (measured +12-13 MB). node:http's parser copies each chunk of the body into a
 * fresh Buffer, garbage at once; the V8 heap stays at ~22 MB, but glibc keeps much of the freed memory
 * (measured +40-45 MB after a 10 s attack, +50 MB after 25 s: a plateau, not a leak).
 */
const MARGIN: Record<Engine, number> = { 'hyper-express': 32 * 1_048_576, node: 64 * 1_048_576 };

const MiB = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

/** A create and a reveal by the normal client; true when both answered as they should. */
async function servePair(origin: string): Promise<boolean> {
  try {
    const sealed = await sealBody(1);
    const json = { 'content-type': 'application/json', 'x-forwarded-for': nextNormal() };
    const created = await request(origin, '/api/secrets', { method: 'POST', headers: json, body: sealed.body, timeoutMs: 10_000 });
    if (created.status !== 201) return false;
    const { id } = CreateSecretResponse.parse(created.json);
    const revealed = await request(origin, `/api/secrets/${id}/reveal`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${sealed.accessToken}` },
      body: '{}',
      timeoutMs: 10_000,
    });
    return revealed.status === 200;
  } catch {
    return false;
  }
}

describe.each(ENGINES)(`${CONNECTIONS} slow uploads of a rate-limited client (%s)`, (engine) => {
  useTempDir();
  let relay: RunningRelay;
  beforeAll(async () => {
    relay = await startRelay({
      engine,
      env: { PSST_RATE_LIMIT_CREATE: String(CREATE_PER_MINUTE), PSST_RATE_LIMIT_READ: '120', PSST_LOG_LEVEL: 'warn' },
    });
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it(`keep the relay's RSS within ${MiB(MARGIN[engine])} MiB of its baseline during and after, and other clients are served`, async () => {
    const port = Number(new URL(relay.origin).port);
    // The attacker spends its create budget (small bodies, 400 each), then is rate-limited.
    for (let i = 0; i < CREATE_PER_MINUTE; i++) {
      await request(relay.origin, '/api/secrets', { method: 'POST', headers: { 'x-forwarded-for': ATTACKER }, body: '{}' });
    }
    const limited = await request(relay.origin, '/api/secrets', { method: 'POST', headers: { 'x-forwarded-for': ATTACKER }, body: '{}' });
    expect(limited.status).toBe(429);
    // The normal client's paths are warm before the baseline.
    for (let i = 0; i < 10; i++) expect(await servePair(relay.origin)).toBe(true);
    await sleep(1_000);
    const baseline = rssBytes(relay.pid);

    const head = requestHead('POST', '/api/secrets', {
      'content-type': 'application/json',
      'content-length': BODY_BYTES,
      'x-forwarded-for': ATTACKER,
    });
    const chunk = Buffer.alloc(SEND_BYTES, 'A');
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssBytes(relay.pid));
    }, SAMPLE_MS);
    const attack = startSlowSenders(port, head, BODY_BYTES, chunk, SEND_INTERVAL_MS, CONNECTIONS);
    const served = { ok: 0, failed: 0 };
    const attackEnds = Date.now() + ATTACK_MS;
    try {
      while (Date.now() < attackEnds) {
        if (await servePair(relay.origin)) served.ok++;
        else served.failed++;
        await sleep(250);
      }
    } finally {
      attack.stop();
    }
    const during = peak;
    await sleep(SETTLE_MS);
    clearInterval(sampler);
    const after = rssBytes(relay.pid);
    const servedAfter = { ok: 0, failed: 0 };
    for (let i = 0; i < 5; i++) {
      if (await servePair(relay.origin)) servedAfter.ok++;
      else servedAfter.failed++;
    }
    console.log(
      `[gate-memory] ${engine}: RSS baseline ${MiB(baseline)} MiB, peak during ${MiB(during)} MiB (+${MiB(during - baseline)}),` +
        ` ${SETTLE_MS / 1000} s after ${MiB(after)} MiB (+${MiB(after - baseline)});` +
        ` attack: ${JSON.stringify(attack.stats)}; normal client during ${JSON.stringify(served)}, after ${JSON.stringify(servedAfter)}`,
    );
    expect(attack.stats.connections).toBeGreaterThanOrEqual(CONNECTIONS);
    expect(served.failed).toBe(0);
    expect(served.ok).toBeGreaterThanOrEqual(5);
    expect(servedAfter).toEqual({ ok: 5, failed: 0 });
    expect(during - baseline).toBeLessThan(MARGIN[engine]);
    expect(after - baseline).toBeLessThan(MARGIN[engine]);
  }, 60_000);
});
