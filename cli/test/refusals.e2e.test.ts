// Every refusal of a real relay on loopback gives its words and its exit
// code (404, 410 with each reason, 403 wrong passphrase with attempts left,
// 429 with its retry, 503, a relay that cannot be reached), with --json as one
// machine-readable line, and nothing secret in any error output.

import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { encodeB64u } from '@psst/protocol/b64u';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres } from '../../test-support/postgres.js';
import { createTestSecret, killAllRelays, type RunningRelay, startRelay, TEST_KDF } from '../../test-support/relay.js';
import { makeHome, type PsstHome, runPsst } from './run-psst.js';

let relay: RunningRelay;
let home: PsstHome;

beforeAll(async () => {
  relay = await startRelay();
  home = makeHome(relay.origin);
});

afterAll(async () => {
  await killAllRelays();
  home?.remove();
});

const keyOf = (link: string) => link.split('#')[1] as string;

function jsonError(stderr: string): Record<string, unknown> {
  const lines = stderr.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] as string);
}

function expectNothingSecret(output: string, ...secrets: string[]) {
  for (const secret of secrets) expect(output).not.toContain(secret);
}

describe('open: what the relay answers', () => {
  it('404: an unknown secret or a wrong key, exit 2', async () => {
    const secret = await createTestSecret(relay.origin);
    const wrongKey = `${secret.link.split('#')[0]}#${encodeB64u(new Uint8Array(32).fill(9))}`;
    const result = await runPsst(['open', '--yes', wrongKey], { home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No secret here: the link is wrong or incomplete');
    expectNothingSecret(result.stderr + result.out, keyOf(wrongKey), keyOf(secret.link));
    const json = await runPsst(['open', '--yes', '--json', wrongKey], { home });
    expect(jsonError(json.stderr)).toMatchObject({ error: 'not_found', exitCode: 2 });
  });

  it('410 read, with when, exit 2', async () => {
    const secret = await createTestSecret(relay.origin, { text: 'read once' });
    expect((await runPsst(['open', '--yes', secret.link], { home })).code).toBe(0);
    const result = await runPsst(['open', '--yes', '--json', secret.link], { home });
    expect(result.code).toBe(2);
    const error = jsonError(result.stderr);
    expect(error).toMatchObject({ error: 'gone', reason: 'read', exitCode: 2 });
    expect(error.message).toMatch(/^This secret was already viewed \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)\. If it was not you/);
    expectNothingSecret(result.stderr, 'read once', keyOf(secret.link));
  });

  it('410 deleted, exit 2', async () => {
    const secret = await createTestSecret(relay.origin);
    await fetch(`${relay.origin}/api/secrets/${secret.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${secret.manageToken}` },
    });
    const result = await runPsst(['open', '--yes', secret.link], { home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('The sender deleted this secret');
  });

  it('403 wrong passphrase with the attempts left (exit 3), then 410 burned after the last one (exit 2)', async () => {
    const secret = await createTestSecret(relay.origin, { text: 'guarded', passphrase: 'right one', kdf: TEST_KDF });
    const wrong = join(home.dir, 'wrong.txt');
    writeFileSync(wrong, 'wrong one');
    for (const left of [4, 3, 2, 1]) {
      const result = await runPsst(['open', '--yes', '--json', '--passphrase-file', wrong, secret.link], { home });
      expect(result.code).toBe(3);
      expect(jsonError(result.stderr)).toMatchObject({ error: 'wrong_passphrase', attemptsLeft: left, exitCode: 3 });
      expectNothingSecret(result.stderr, 'wrong one', 'right one', 'guarded', keyOf(secret.link));
    }
    const words = await runPsst(['open', '--yes', '--passphrase-file', wrong, secret.link], { home });
    expect(words.code).toBe(2);
    expect(words.stderr).toContain('This secret was destroyed after too many wrong passphrases');
    const after = await runPsst(['open', '--yes', secret.link], { home });
    expect(after.code).toBe(2);
    expect(after.stderr).toContain('destroyed after too many wrong passphrases');
  });

  it('429 on open, with the relay’s retry time, exit 3', async () => {
    const limited = await startRelay({ env: { PSST_RATE_LIMIT_READ: '1' } });
    const secret = await createTestSecret(limited.origin, { text: 'rate limited' });
    const result = await runPsst(['open', '--yes', '--json', secret.link], { home });
    expect(result.code).toBe(3);
    const error = jsonError(result.stderr);
    expect(error).toMatchObject({ error: 'rate_limited', exitCode: 3 });
    expect(error.retryAfter).toBeGreaterThan(0);
    expect(error.message).toMatch(/^The relay is limiting requests from this address: try again in \d+ (seconds?|minutes?)\.$/);
    await limited.stop();
  });

  it('503 when the relay cannot reach its database (PostgreSQL stopped), exit 3, and nothing consumed', async () => {
    const cluster = await startPostgres();
    try {
      const pgRelay = await startRelay({ env: { PSST_DATABASE_URL: cluster.createDatabase() } });
      const secret = await createTestSecret(pgRelay.origin, { text: 'survives the outage' });
      cluster.stop();
      const result = await runPsst(['open', '--yes', '--json', secret.link], { home });
      expect(result.code).toBe(3);
      expect(jsonError(result.stderr)).toMatchObject({ error: 'unavailable', status: 503, exitCode: 3 });
      expect(jsonError(result.stderr).message).toContain('nothing was opened');
      cluster.start();
      const later = await runPsst(['open', '--yes', secret.link], { home });
      expect(later.code).toBe(0);
      expect(later.out).toBe('survives the outage');
      await pgRelay.stop();
    } finally {
      cluster.remove();
    }
  });

  it('a relay that cannot be reached, exit 4', async () => {
    const down = await startRelay();
    const secret = await createTestSecret(down.origin);
    await down.stop();
    const result = await runPsst(['open', '--yes', secret.link], { home });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('The relay of this link could not be reached');
    expectNothingSecret(result.stderr, keyOf(secret.link));
  });

  it('a link that is not a psst link, exit 1, without repeating it', async () => {
    const result = await runPsst(['open', '--yes', 'https://example.org/s/short#abc'], { home });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('This is not a usable psst link');
    expectNothingSecret(result.stderr, '#abc');
    const noKey = await runPsst(['open', '--yes', `${relay.origin}/s/AAAAAAAAAAAAAAAAAAAAAA`], { home });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('the part after # is missing');
  });

  it('asks before consuming; with no terminal and no --yes it opens nothing (exit 1)', async () => {
    const secret = await createTestSecret(relay.origin, { text: 'not yet' });
    const result = await runPsst(['open', secret.link], { home });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('pass --yes to reveal without asking');
    expect(result.out).toBe('');
    const receipt = await fetch(`${relay.origin}/api/secrets/${secret.id}/receipt`, {
      headers: { Authorization: `Bearer ${secret.manageToken}` },
    });
    expect(await receipt.json()).toMatchObject({ state: 'active', viewsLeft: 1 });
  });
});

describe('create: what the relay allows and answers', () => {
  it('429 with the retry time, exit 3', async () => {
    const limited = await startRelay({ env: { PSST_RATE_LIMIT_CREATE: '1' } });
    const limitedHome = makeHome(limited.origin);
    expect((await runPsst([], { home: limitedHome, input: 'first' })).code).toBe(0);
    const result = await runPsst(['--json'], { home: limitedHome, input: 'second secret text' });
    expect(result.code).toBe(3);
    expect(result.out).toBe('');
    const error = jsonError(result.stderr);
    expect(error).toMatchObject({ error: 'rate_limited', exitCode: 3 });
    expect(error.retryAfter).toBeGreaterThan(0);
    expectNothingSecret(result.stderr, 'second secret text');
    limitedHome.remove();
    await limited.stop();
  });

  it('503 storage_full with the relay’s words, exit 3', async () => {
    const full = await startRelay({ env: { PSST_MAX_ACTIVE_SECRETS: '1' } });
    const fullHome = makeHome(full.origin);
    expect((await runPsst([], { home: fullHome, input: 'fills it' })).code).toBe(0);
    const result = await runPsst([], { home: fullHome, input: 'no room' });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      'The relay refused: This relay holds as many secrets as it can right now (its limit of active secrets for everyone); try again later.',
    );
    const json = await runPsst(['--json'], { home: fullHome, input: 'no room' });
    expect(jsonError(json.stderr)).toMatchObject({ error: 'storage_full', status: 503, exitCode: 3 });
    fullHome.remove();
    await full.stop();
  });

  it('creation switched off: known from /api/config before encrypting, exit 3', async () => {
    const off = await startRelay({ env: { PSST_CREATE_ENABLED: 'false' } });
    const offHome = makeHome(off.origin);
    const result = await runPsst(['--json'], { home: offHome, input: 'anything' });
    expect(result.code).toBe(3);
    expect(jsonError(result.stderr)).toEqual({
      error: 'creation_disabled',
      exitCode: 3,
      message: 'This relay does not accept new secrets right now; existing links keep working.',
    });
    expect(off.logs()).not.toContain('"POST"');
    offHome.remove();
    await off.stop();
  });

  it('the relay’s smaller envelope limit and longest expiry are known before encrypting, exit 3', async () => {
    const small = await startRelay({ env: { PSST_MAX_ENVELOPE_BYTES: '4096', PSST_MAX_TTL_SECONDS: '3600' } });
    const smallHome = makeHome(small.origin);
    const big = await runPsst([], { home: smallHome, input: 'x'.repeat(5000) });
    expect(big.code).toBe(3);
    expect(big.stderr).toContain('4096');
    const long = await runPsst(['--ttl', '2h'], { home: smallHome, input: 'x' });
    expect(long.code).toBe(3);
    expect(long.stderr).toContain('between 60 and 3600 seconds');
    expect(small.logs()).not.toContain('"POST"');
    smallHome.remove();
    await small.stop();
  });

  it('a relay that cannot be reached, exit 4, and the secret is not lost in the output', async () => {
    const unreachableHome = makeHome('http://127.0.0.1:9');
    const result = await runPsst([], { home: unreachableHome, input: 'never sent' });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('The relay could not be reached');
    expectNothingSecret(result.stderr, 'never sent');
    unreachableHome.remove();
  });

  it('bad arguments: exit 1 with words, as JSON with --json', async () => {
    const ttl = await runPsst(['--ttl', '10s'], { home, input: 'x' });
    expect(ttl.code).toBe(1);
    expect(ttl.stderr).toContain('--ttl must be at least 60 seconds');
    const unknown = await runPsst(['--json', '--bogus'], { home, input: 'x' });
    expect(unknown.code).toBe(1);
    expect(jsonError(unknown.stderr)).toMatchObject({ error: 'usage', exitCode: 1 });
    const empty = await runPsst([], { home, input: '' });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('There is nothing to share');
    const noRelay = await runPsst([], { home: { ...home, env: { ...home.env, PSST_RELAY: '' } }, input: 'x' });
    expect(noRelay.code).toBe(1);
    expect(noRelay.stderr).toContain('No relay chosen');
    // open reads a link from stdin, not a whole file: past 16 KiB it stops reading.
    const notLink = await runPsst(['open', '--yes', '--json'], { home, input: Buffer.alloc(4 * 1_048_576, 'A') });
    expect(notLink.code).toBe(1);
    expect(jsonError(notLink.stderr)).toMatchObject({ error: 'invalid_link', exitCode: 1 });
    expect(jsonError(notLink.stderr).message).toContain('standard input holds more than 16384 bytes');
    const plain = await runPsst(['--relay', 'http://psst.example.org'], { home, input: 'x' });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('Use https:// for this relay');
  });

  it('never takes a passphrase from the command line, and does not repeat it', async () => {
    for (const args of [['--passphrase=hunter2'], ['--passphrase', 'hunter2'], ['-p', 'hunter2']]) {
      const result = await runPsst(args, { home, input: 'x' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('A passphrase is never taken from the command line');
      expectNothingSecret(result.stderr + result.out, 'hunter2');
    }
    // A secret or passphrase typed where a file name goes is not repeated either.
    // (The link is well formed; its passphrase file is read before the relay is asked.)
    const link = `${relay.origin}/s/AbCdEfGhIjKlMnOpQrStUw#${'A'.repeat(43)}`;
    for (const args of [['hunter2'], ['--passphrase-file', 'hunter2'], ['open', '--yes', '--passphrase-file', 'hunter2', link]]) {
      const result = await runPsst(args, { home, input: 'x' });
      expect(result.code, args.join(' ')).toBe(5);
      expect(result.stderr).toContain('There is no such');
      expectNothingSecret(result.stderr + result.out, 'hunter2');
    }
    const missing = await runPsst(['--json', 'hunter2'], { home, input: '' });
    expect(jsonError(missing.stderr)).toMatchObject({ error: 'file_unreadable', exitCode: 5 });
    expect(jsonError(missing.stderr).message).toContain('text is never taken from the command line');
    // With a passphrase wanted and no terminal to ask on, nothing is created.
    const result = await runPsst(['--passphrase'], { home, input: 'needs a terminal' });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('use --passphrase-file FILE');
  });
});

describe('proof of work', () => {
  // A relay that asks for every create, at a tiny difficulty (the test needs the flow, not the cost).
  let asking: RunningRelay;
  // A stand-in on loopback that hands out the real relay's challenges but refuses every create with
  // proof_of_work_required, as PROTOCOL.md says a relay would for a bad proof; and, with mode 'off', a 403
  // that is no psst answer at all (a proxy's). Its requests are recorded.
  let standIn: Server;
  let origin: string;
  let mode: 'always' | 'auto' | 'off' = 'auto';
  const seen: string[] = [];
  beforeAll(async () => {
    asking = await startRelay({
      env: { PSST_PROOF_OF_WORK: 'always', PSST_PROOF_OF_WORK_COST: '20', PSST_PROOF_OF_WORK_MAX_COUNTER: '200' },
    });
    standIn = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/api/config') {
        res.end(
          JSON.stringify({
            version: 1,
            maxTtlSeconds: 604800,
            maxViews: 10,
            maxEnvelopeBytes: 1048576,
            createEnabled: true,
            proofOfWork: mode,
          }),
        );
      } else if (req.url === '/api/challenge') {
        fetch(`${asking.origin}/api/challenge`)
          .then((answer) => answer.text())
          .then((text) => res.end(text));
      } else if (req.method === 'POST' && req.url === '/api/secrets') {
        req.resume();
        res.statusCode = 403;
        if (mode === 'off') {
          // What a proxy or firewall in front of a relay answers: a 403 that is no psst answer at all.
          res.setHeader('Content-Type', 'text/html');
          res.end('<h1>403 Forbidden</h1>');
          return;
        }
        res.end(JSON.stringify({ error: 'proof_of_work_required', message: 'The proof of work was already used.' }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: 'not_found', message: 'Not found.' }));
      }
    });
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => standIn.close(() => resolve())));

  it('solves the challenge of a relay that always asks, and the link opens', async () => {
    const powHome = makeHome(asking.origin);
    try {
      const created = await runPsst([], { home: powHome, input: 'proved secret' });
      expect(created.code, created.stderr).toBe(0);
      const link = created.out.trim();
      expect(link.startsWith(`${asking.origin}/s/`)).toBe(true);
      const opened = await runPsst(['open', '--yes', link], { home: powHome });
      expect(opened.out).toBe('proved secret');
    } finally {
      powHome.remove();
    }
  });

  it('solves and retries once after 403 proof_of_work_required, then says the relay refused it again, exit 3', async () => {
    mode = 'auto';
    seen.length = 0;
    const powHome = makeHome(origin);
    const result = await runPsst(['--json'], { home: powHome, input: 'x' });
    powHome.remove();
    expect(result.code).toBe(3);
    const error = jsonError(result.stderr);
    expect(error).toMatchObject({ error: 'proof_of_work_required', exitCode: 3 });
    expect(error.message).toContain('psst solved it, but the relay refused it again (The proof of work was already used.)');
    expect(seen).toEqual(['GET /api/config', 'POST /api/secrets', 'GET /api/challenge', 'POST /api/secrets']);
    expect(result.out).toBe('');
  });

  it('reads the code, not the status: a 403 without proof_of_work_required is a plain refusal, exit 3', async () => {
    mode = 'off';
    const otherHome = makeHome(origin);
    const result = await runPsst(['--json'], { home: otherHome, input: 'x' });
    otherHome.remove();
    expect(result.code).toBe(3);
    const error = jsonError(result.stderr);
    expect(error).toEqual({
      error: 'http_403',
      exitCode: 3,
      status: 403,
      message: 'The relay refused the request (HTTP 403) without a psst answer: a proxy in front of it may have stopped it.',
    });
    expect(result.out).toBe('');
  });
});
