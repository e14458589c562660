// Every early refusal reaches the client (issue 18). A body that is too large
// is refused before it is read; closing a socket with unread data makes the
// kernel send a reset, which can destroy the answer before the client reads
// it. The relay closes such connections lingeringly (relay/README.md
// "Lingering close"): these tests upload oversized bodies as fast as a client
// can, with the CPU kept busy, and count what the client saw. To see the
// upload test fail on an older relay, build it elsewhere (git worktree) and
// point PSST_RELAY_MAIN at its relay/dist/main.js.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { b64uLength } from '@psst/protocol/b64u';
import { DEFAULT_MAX_ENVELOPE_BYTES } from '@psst/protocol/limits';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchChromium } from '../../test-support/browser.js';
import { BUILDS, requireBuilds } from '../../test-support/builds.js';
import { REVEAL_DIST } from '../../test-support/relay.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { parseAnswer, requestHead } from './gate-wire.js';
import { ENGINES, openFds, type RunningRelay, rssBytes, sleep, startRelay, useTempDir, waitUntil } from './support.js';

/** The size the issue measured: just over the default create body limit (1 MiB envelope → ~1.40 MB of JSON). */
const OVERSIZED_BYTES = 1_500_000;
const UPLOADS = 100;
/**
 * Uploads in flight at once: one after the other, as the issue measured. (Eight at once, the reset hits fewer
 * of them: on the code before the lingering close, 87-92 of 100 were clean on hyper-express and 98-99 on
 * node:http, against 52-72 and 76-97 one at a time.)
 */
const PARALLEL = 1;
/** Busy loops on the CPU while the uploads run (the measurement used three). */
const BUSY_LOOPS = 3;
/** No busy loop outlives this, even if afterAll never runs. */
const BUSY_MAX_MS = 120_000;
/** Time for the busy loops to start spinning before the first upload. */
const BUSY_WARMUP_MS = 500;
const UPLOAD_TIMEOUT_MS = 15_000;

const PAYLOAD_TOO_LARGE = { error: 'payload_too_large', message: 'The request body is larger than this relay accepts.' };

/** What one upload saw. */
interface UploadOutcome {
  /** The status line's code, when a whole response (head and Content-Length body) arrived; else null. */
  status: number | null;
  body: string;
  /** The first socket error (EPIPE, ECONNRESET, …), whether or not the response arrived before it. */
  error: string | null;
}

/** curl's upload buffer: a client writes this much each time the socket can take more. */
const WRITE_BYTES = 65_536;

/**
 * Sends `head`, then `body` in WRITE_BYTES writes, each as soon as the previous one was taken (as fast as
 * the client can), reads the response meanwhile, and ends its side once the response is complete and the
 * whole body was written. A write that fails (EPIPE, ECONNRESET) is what a client reports as the error.
 */
function upload(port: number, head: string, body: Buffer, timeoutMs = UPLOAD_TIMEOUT_MS): Promise<UploadOutcome> {
  return new Promise((resolve) => {
    const outcome: UploadOutcome = { status: null, body: '', error: null };
    let received = Buffer.alloc(0);
    let written = false;
    let settled = false;
    // Half-open allowed: like curl or a browser, the client goes on writing its body after the relay's FIN.
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      outcome.error ??= `no answer within ${timeoutMs} ms`;
      finish();
    }, timeoutMs);
    const maybeEnd = () => {
      if (outcome.status !== null && written) socket.end();
    };
    socket.on('connect', () => {
      socket.write(head);
      let at = 0;
      const writeMore = () => {
        if (settled) return;
        if (at >= body.length) {
          written = true;
          maybeEnd();
          return;
        }
        const chunk = body.subarray(at, at + WRITE_BYTES);
        at += chunk.length;
        socket.write(chunk, (error) => {
          if (!error) writeMore();
        });
      };
      writeMore();
    });
    socket.on('data', (chunk: Buffer) => {
      if (outcome.status !== null) return;
      received = Buffer.concat([received, chunk]);
      const parsed = parseAnswer(received);
      if (!parsed) return;
      outcome.status = parsed.answer.status;
      outcome.body = parsed.answer.body;
      maybeEnd();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      outcome.error ??= error.code ?? error.message;
      finish();
    });
    socket.on('close', finish);
  });
}

interface Tally {
  /** Whole 413 answers with the JSON body, and no socket error at all. */
  clean413: number;
  /** Every other outcome, by what the client saw ("413+EPIPE": the answer arrived, then a write failed). */
  other: Record<string, number>;
}

function tally(outcomes: readonly UploadOutcome[]): Tally {
  const result: Tally = { clean413: 0, other: {} };
  for (const o of outcomes) {
    const good = o.status === 413 && isPayloadTooLarge(o.body);
    if (good && o.error === null) {
      result.clean413++;
      continue;
    }
    const key = [o.status === null ? null : good ? '413' : String(o.status), o.error].filter(Boolean).join('+') || 'nothing';
    result.other[key] = (result.other[key] ?? 0) + 1;
  }
  return result;
}

function isPayloadTooLarge(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return parsed.error === PAYLOAD_TOO_LARGE.error && parsed.message === PAYLOAD_TOO_LARGE.message;
  } catch {
    return false;
  }
}

/** `count` uploads, `parallel` at a time. */
async function uploadMany(port: number, head: string, body: Buffer, count: number, parallel: number): Promise<UploadOutcome[]> {
  const outcomes: UploadOutcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        next++;
        outcomes.push(await upload(port, head, body));
      }
    }),
  );
  return outcomes;
}

/** Child processes that spin on the CPU until killed, or for `maxMs` at most. */
function startBusyLoops(count: number, maxMs: number): { stop(): Promise<void> } {
  const children: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    children.push(spawn(process.execPath, ['-e', `const end = Date.now() + ${maxMs}; while (Date.now() < end) {}`], { stdio: 'ignore' }));
  }
  return {
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}

function oversizedHead(length: number, path = '/api/secrets'): string {
  return requestHead('POST', path, { 'content-type': 'application/json', 'content-length': length });
}

function oversizedBody(length: number): Buffer {
  const body = Buffer.alloc(length, 'A');
  body.write('{"envelope":"');
  return body;
}

describe.each(ENGINES)('lingering close after an early refusal (%s)', (engine) => {
  useTempDir();
  let relay: RunningRelay;
  let port: number;
  let busy: { stop(): Promise<void> } | undefined;
  beforeAll(async () => {
    // Defaults, as an operator starts it (the harness only turns the rate limits off).
    relay = await startRelay({ engine });
    port = Number(new URL(relay.origin).port);
  });
  afterAll(async () => {
    await busy?.stop();
    await relay?.stop();
  });

  it(`delivers the JSON 413 to ${UPLOADS} oversized uploads sent as fast as possible, with the CPU busy`, async () => {
    const body = oversizedBody(OVERSIZED_BYTES);
    busy = startBusyLoops(BUSY_LOOPS, BUSY_MAX_MS);
    await sleep(BUSY_WARMUP_MS);
    let outcomes: UploadOutcome[];
    try {
      outcomes = await uploadMany(port, oversizedHead(body.length), body, UPLOADS, PARALLEL);
    } finally {
      await busy.stop();
    }
    const counts = tally(outcomes);
    console.log(`[linger] ${engine}: ${UPLOADS} uploads of ${OVERSIZED_BYTES} bytes →`, JSON.stringify(counts));
    expect(counts).toEqual({ clean413: UPLOADS, other: {} });
    // The relay is still serving.
    expect((await fetch(`${relay.origin}/healthz`)).status).toBe(200);
  });
});

/** What a client that sends `Expect: 100-continue` saw: the interim and final answers, and the body bytes it sent. */
interface ContinueOutcome {
  interim: number[];
  status: number | null;
  body: string;
  bodyBytesSent: number;
}

/**
 * Like curl with a body over 1 MiB: sends the head with `Expect: 100-continue` and waits; on `100 Continue`
 * it sends the body, on a final answer it sends nothing and closes once the answer is complete.
 */
function uploadExpectingContinue(port: number, body: Buffer, timeoutMs = UPLOAD_TIMEOUT_MS): Promise<ContinueOutcome> {
  return new Promise((resolve) => {
    const outcome: ContinueOutcome = { interim: [], status: null, body: '', bodyBytesSent: 0 };
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let received: Buffer = Buffer.alloc(0);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('connect', () => socket.write(`${oversizedHead(body.length).slice(0, -2)}Expect: 100-continue\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      for (;;) {
        const parsed = outcome.status === null ? parseAnswer(received) : null;
        if (!parsed) return;
        received = parsed.rest;
        const { answer } = parsed;
        if (answer.status === 100) {
          outcome.interim.push(answer.status);
          // A final answer that came in the same read wins (curl reads both before it uploads).
          if (received.indexOf('\r\n\r\n') === -1) {
            outcome.bodyBytesSent = body.length;
            socket.write(body);
          }
          continue;
        }
        outcome.status = answer.status;
        outcome.body = answer.body;
        finish();
        return;
      }
    });
    socket.on('error', finish);
    socket.on('close', finish);
  });
}

describe.each(ENGINES)('an oversized upload that waits for 100 Continue (%s)', (engine) => {
  useTempDir();
  let relay: RunningRelay;
  beforeAll(async () => {
    relay = await startRelay({ engine });
  });
  afterAll(async () => {
    await relay?.stop();
  });

  // uWS writes the 100 itself before the relay sees the request; node:http lets the relay decide.
  it(`gets the JSON 413 before it sends any of its body${engine === 'node' ? ', without a 100 Continue first' : ''}`, async () => {
    const body = oversizedBody(OVERSIZED_BYTES);
    const outcomes: ContinueOutcome[] = [];
    for (let i = 0; i < 10; i++) outcomes.push(await uploadExpectingContinue(Number(new URL(relay.origin).port), body));
    console.log(`[linger] ${engine} Expect: 100-continue:`, JSON.stringify(outcomes[0]));
    for (const outcome of outcomes) {
      expect(outcome.status).toBe(413);
      expect(JSON.parse(outcome.body)).toEqual(PAYLOAD_TOO_LARGE);
      expect(outcome.bodyBytesSent).toBe(0);
      expect(outcome.interim).toEqual(engine === 'node' ? [] : [100]);
    }
  });
});

const BROWSER_UPLOADS = 20;

describe.each(ENGINES)('an oversized upload from Chromium (%s)', (engine) => {
  useTempDir();
  let relay: RunningRelay;
  let browser: LaunchedBrowser;
  let busy: { stop(): Promise<void> } | undefined;
  beforeAll(async () => {
    requireBuilds(BUILDS.revealPage);
    relay = await startRelay({ engine, staticDir: REVEAL_DIST });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await busy?.stop();
    await browser?.close();
    await relay?.stop();
  });

  it(`gets the JSON 413 for ${BROWSER_UPLOADS} of ${BROWSER_UPLOADS} fetches of a 1.5 MB body from the reveal page's origin`, async () => {
    const page = await browser.context.newPage();
    await page.goto(`${relay.origin}/`);
    busy = startBusyLoops(BUSY_LOOPS, BUSY_MAX_MS);
    await sleep(BUSY_WARMUP_MS);
    let answers: { status: number | string; body: unknown }[];
    try {
      answers = await page.evaluate(
        async ({ count, bytes }) => {
          const body = `{"envelope":"${'A'.repeat(bytes - 13)}`;
          const out: { status: number | string; body: unknown }[] = [];
          for (let i = 0; i < count; i++) {
            try {
              const response = await fetch('/api/secrets', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
              out.push({ status: response.status, body: await response.json().catch(() => null) });
            } catch (error) {
              // A reset shows up here as "TypeError: Failed to fetch": what a person would see as "relay unreachable".
              out.push({ status: String(error), body: null });
            }
          }
          return out;
        },
        { count: BROWSER_UPLOADS, bytes: OVERSIZED_BYTES },
      );
    } finally {
      await busy.stop();
      await page.close();
    }
    const tooLarge = answers.filter((a) => a.status === 413 && JSON.stringify(a.body) === JSON.stringify(PAYLOAD_TOO_LARGE)).length;
    console.log(`[linger] ${engine} Chromium: ${tooLarge} of ${BROWSER_UPLOADS} got the JSON 413`, JSON.stringify(countStatuses(answers)));
    expect(answers.filter((a) => a.status !== 413)).toEqual([]);
    expect(tooLarge).toBe(BROWSER_UPLOADS);
  });
});

function countStatuses(answers: readonly { status: number | string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) out[String(a.status)] = (out[String(a.status)] ?? 0) + 1;
  return out;
}

/** What an endless sender saw. */
interface Flood {
  /** The status of the answer, if one arrived before the relay closed. */
  status: number | null;
  /** Bytes the kernel took from this side after the request head. */
  bytesWritten: number;
  /** Milliseconds from the connection to the relay's close, or null if it had not closed by `maxMs`. */
  closedAfterMs: number | null;
}

/**
 * Sends `head`, then `chunk` again and again without end: as fast as the socket takes it, or one every
 * `intervalMs`. Stops when the relay closes the connection, or after `maxMs` (the test's bound).
 */
function flood(port: number, head: string, chunk: Buffer, intervalMs: number, maxMs: number): Promise<Flood> {
  return new Promise((resolve) => {
    const result: Flood = { status: null, bytesWritten: 0, closedAfterMs: null };
    const started = Date.now();
    let received = '';
    let done = false;
    // Half-open allowed: like curl or a browser, the client goes on writing its body after the relay's FIN.
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      if (closed) result.closedAfterMs = Date.now() - started;
      clearTimeout(deadline);
      clearInterval(ticker);
      socket.destroy();
      resolve(result);
    };
    const deadline = setTimeout(() => finish(false), maxMs);
    let ticker: NodeJS.Timeout | undefined;
    const writeOne = (next?: () => void) => {
      if (done || socket.destroyed) return;
      socket.write(chunk, (error) => {
        if (error) return;
        result.bytesWritten += chunk.length;
        next?.();
      });
    };
    const fast = () => writeOne(fast);
    socket.on('connect', () => {
      socket.write(head);
      if (intervalMs > 0) ticker = setInterval(() => writeOne(), intervalMs);
      else fast();
    });
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      result.status ??= Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? Number.NaN) || null;
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
  });
}

const chunkedHead = requestHead('POST', '/api/secrets', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
/** One chunk of a chunked body: 64 KiB of data. */
const bigChunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 'A'), Buffer.from('\r\n')]);
/** 1 KiB every 100 ms: ~10 KB/s, far under the byte bound; only the time bound ends it. */
const smallChunk = Buffer.alloc(0x400, 'A');

const LINGER_TIMEOUT_MS = 2_000;
const LINGER_MAX_BYTES = 4 * 1_048_576;
/** Over the create body limit, under the byte bound: refused at the headers, then heard out on both engines. */
const DECLARED_BYTES = 3_500_000;
/** How long past a bound the relay may take to close, on a loaded 2-core machine. */
const CLOSE_SLACK_MS = 5_000;
/** The default create body limit is the envelope's b64u size plus a few KiB of JSON: under twice it. */
const CREATE_LIMIT_AT_MOST = 2 * b64uLength(DEFAULT_MAX_ENVELOPE_BYTES);

/**
 * Bytes a sender can hand over beyond what the relay dropped: the loopback socket buffers on both sides
 * (Linux autotunes them up to the third field of tcp_wmem and tcp_rmem: 4 MiB and 32 MiB on the build
 * machine) and the create body limit the relay reads before a chunked body is refused, plus 1 MiB. Without
 * the byte bound the relay would read on for the whole time bound: gigabytes on loopback.
 */
const SOCKET_BUFFER_SLACK = socketBufferMax('tcp_wmem') + socketBufferMax('tcp_rmem') + CREATE_LIMIT_AT_MOST + 1_048_576;

function socketBufferMax(name: 'tcp_wmem' | 'tcp_rmem'): number {
  const max = Number(readFileSync(`/proc/sys/net/ipv4/${name}`, 'utf8').trim().split(/\s+/)[2]);
  if (!Number.isFinite(max) || max <= 0) throw new Error(`cannot read the largest ${name} from /proc/sys/net/ipv4/${name}`);
  return max;
}
const FLOODERS = 32;
const FLOOD_ROUNDS = 3;
/**
 * The relay's RSS while FLOODERS senders of DECLARED_BYTES each (and more after it) are heard out and cut,
 * round after round, may exceed its idle baseline by this much at most. No discarded byte is kept. uWS
 * hands each read to JavaScript in its one receive buffer: measured +0.5 to +0.8 MB. node:http allocates a
 * fresh 64 KiB Buffer per read, garbage at once, which V8 reclaims when its external memory grows: measured
 * +25 to +31 MB with 20 senders, whatever the number of bytes (~390 MB dropped per run). Keeping the bytes
 * instead would hold FLOODERS × DECLARED_BYTES = 112 MB at once, well above this margin.
 */
const RSS_MARGIN_BYTES = 48 * 1_048_576;

describe.each(ENGINES)('a client that keeps sending after the answer (%s)', (engine) => {
  useTempDir();
  let relay: RunningRelay;
  let port: number;
  beforeAll(async () => {
    relay = await startRelay({
      engine,
      env: { PSST_LINGER_TIMEOUT_MS: String(LINGER_TIMEOUT_MS), PSST_LINGER_MAX_BYTES: String(LINGER_MAX_BYTES) },
    });
    port = Number(new URL(relay.origin).port);
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('is cut off once it has sent the byte bound, long before the time bound', async () => {
    const result = await flood(port, chunkedHead, bigChunk, 0, LINGER_TIMEOUT_MS + CLOSE_SLACK_MS);
    console.log(`[linger] ${engine} endless fast sender:`, JSON.stringify(result));
    expect(result.closedAfterMs, 'the relay closed the connection').not.toBeNull();
    expect(result.bytesWritten).toBeGreaterThan(LINGER_MAX_BYTES);
    expect(result.bytesWritten).toBeLessThan(LINGER_MAX_BYTES + SOCKET_BUFFER_SLACK);
  });

  it('is cut off after the time bound when it sends slowly', async () => {
    const result = await flood(port, oversizedHead(DECLARED_BYTES), smallChunk, 100, LINGER_TIMEOUT_MS + CLOSE_SLACK_MS);
    console.log(`[linger] ${engine} endless slow sender:`, JSON.stringify(result));
    if (engine === 'node') expect(result.status, 'node answers first, then lingers').toBe(413);
    expect(result.closedAfterMs, 'the relay closed the connection').not.toBeNull();
    // It lingered (timers may round a millisecond or two down), then closed.
    expect(result.closedAfterMs).toBeGreaterThanOrEqual(LINGER_TIMEOUT_MS - 20);
    expect(result.bytesWritten).toBeLessThan(LINGER_MAX_BYTES);
  });

  it('gives a declared body over the byte bound no more than the bound', async () => {
    const head = oversizedHead(1_000_000_000);
    const result = await flood(port, head, Buffer.alloc(0x10000, 'A'), 0, LINGER_TIMEOUT_MS + CLOSE_SLACK_MS);
    console.log(`[linger] ${engine} declared 1 GB:`, JSON.stringify(result));
    expect(result.closedAfterMs, 'the relay closed the connection').not.toBeNull();
    expect(result.bytesWritten).toBeLessThan(LINGER_MAX_BYTES + SOCKET_BUFFER_SLACK);
  });

  it(`keeps its RSS within ${RSS_MARGIN_BYTES / 1_048_576} MB of its baseline while ${FLOODERS} endless senders are cut, ${FLOOD_ROUNDS} rounds`, async () => {
    await sleep(500);
    const baseline = rssBytes(relay.pid);
    const baselineFds = openFds(relay.pid);
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssBytes(relay.pid));
    }, 50);
    const results: Flood[] = [];
    try {
      for (let round = 0; round < FLOOD_ROUNDS; round++) {
        results.push(
          ...(await Promise.all(
            Array.from({ length: FLOODERS }, () =>
              flood(port, oversizedHead(DECLARED_BYTES), Buffer.alloc(0x10000, 'A'), 0, LINGER_TIMEOUT_MS + CLOSE_SLACK_MS),
            ),
          )),
        );
      }
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, rssBytes(relay.pid));
    const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
    console.log(
      `[linger] ${engine} RSS: baseline ${mb(baseline)} MB, peak ${mb(peak)} MB (+${mb(peak - baseline)} MB) over ${results.length} senders of ${mb(results.reduce((sum, r) => sum + r.bytesWritten, 0))} MB`,
    );
    expect(results.filter((r) => r.closedAfterMs === null)).toEqual([]);
    expect(peak - baseline).toBeLessThan(RSS_MARGIN_BYTES);
    // Every lingering connection is gone.
    expect(await waitUntil(() => openFds(relay.pid) <= baselineFds + 2, 5_000), `fds ${openFds(relay.pid)} vs ${baselineFds}`).toBe(true);
    expect((await fetch(`${relay.origin}/healthz`)).status).toBe(200);
  });
});

describe('the linger settings', () => {
  it('default to 2 s and four create bodies, accept 0 (close at once), and name a bad value', () => {
    const { config } = loadConfig({});
    expect(config.lingerTimeoutMs).toBe(2_000);
    expect(config.lingerMaxBytes).toBeNull();
    expect(loadConfig({ PSST_LINGER_TIMEOUT_MS: '0', PSST_LINGER_MAX_BYTES: '0' }).config).toMatchObject({
      lingerTimeoutMs: 0,
      lingerMaxBytes: 0,
    });
    expect(() => loadConfig({ PSST_LINGER_TIMEOUT_MS: '2s' })).toThrow(ConfigError);
    expect(() => loadConfig({ PSST_LINGER_TIMEOUT_MS: '2s' })).toThrow(/^PSST_LINGER_TIMEOUT_MS must be a whole number/);
    expect(() => loadConfig({ PSST_LINGER_MAX_BYTES: '-1' })).toThrow(/^PSST_LINGER_MAX_BYTES /);
  });
});
