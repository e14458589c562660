// Proof of work over real HTTP on both engines (PROTOCOL.md "Proof of work"): the challenge route,
// the modes (off, always, auto under pressure), and every way a proof is refused: missing, tampered,
// wrong, expired, already used (also when two creates race with one challenge).
import { ProofOfWorkChallenge } from '@psst/protocol/api';
import { type Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, call, ENGINES, expectError, sealRequest, startTestRelay, type TestRelay } from './testing/harness.js';

/** Tiny difficulty: the tests need the checks, not the cost. */
const CHEAP = { PSST_PROOF_OF_WORK_COST: '10', PSST_PROOF_OF_WORK_MAX_COUNTER: '50', PSST_PROOF_OF_WORK_EXPIRY_SECONDS: '60' };

async function fetchChallenge(relay: TestRelay): Promise<ProofOfWorkChallenge> {
  const answer = await call(relay.origin, 'GET', '/api/challenge');
  expect(answer.status, answer.text).toBe(200);
  return ProofOfWorkChallenge.parse(answer.json);
}

async function solve(challenge: ProofOfWorkChallenge) {
  const solution = await solveChallenge({ challenge: challenge as Challenge, deriveKey, timeout: 10_000 });
  if (!solution) throw new Error('no solution found');
  return solution;
}

async function proof(relay: TestRelay) {
  const challenge = await fetchChallenge(relay);
  return { challenge, solution: await solve(challenge) };
}

async function createWith(relay: TestRelay, proofOfWork?: unknown): Promise<Answer> {
  const sealed = await sealRequest();
  return call(relay.origin, 'POST', '/api/secrets', { body: { ...sealed.body, ...(proofOfWork ? { proofOfWork } : {}) } });
}

function expectRefused(answer: Answer, words: RegExp): void {
  expect(answer.status, answer.text).toBe(403);
  expect(answer.json.error).toBe('proof_of_work_required');
  expect(answer.json.message).toMatch(words);
}

async function rejectedCount(relay: TestRelay): Promise<number> {
  const text = await (await fetch(`${relay.metricsOrigin}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('psst_requests_rejected_total{reason="proof_of_work"}'));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}

describe.each(ENGINES)('proof of work (%s)', (engine) => {
  describe('PSST_PROOF_OF_WORK=always', () => {
    let relay: TestRelay;
    beforeAll(async () => {
      relay = await startTestRelay(engine, { PSST_PROOF_OF_WORK: 'always', ...CHEAP });
    });
    afterAll(() => relay.close());

    it('says so in /api/config', async () => {
      expect((await call(relay.origin, 'GET', '/api/config')).json.proofOfWork).toBe('always');
    });

    it('hands out signed PBKDF2/SHA-256 challenges that expire, with the configured difficulty', async () => {
      const challenge = await fetchChallenge(relay);
      expect(challenge.parameters).toMatchObject({ algorithm: 'PBKDF2/SHA-256', cost: 10, data: { maxCounter: 50 } });
      expect(challenge.parameters.expiresAt).toBe(Math.floor(relay.clock.now() / 1000) + 60);
      expect(challenge.signature).toMatch(/^[0-9a-f]{64}$/);
    });

    it('refuses a create without proof of work (403, and counted)', async () => {
      const before = await rejectedCount(relay);
      expectRefused(await createWith(relay), /asks for proof of work/);
      expect(await rejectedCount(relay)).toBe(before + 1);
    });

    it('accepts a solved challenge once, and refuses it the second time', async () => {
      const solved = await proof(relay);
      expect((await createWith(relay, solved)).status).toBe(201);
      expectRefused(await createWith(relay, solved), /already used/);
    });

    it('accepts one of two creates racing with the same challenge', async () => {
      const solved = await proof(relay);
      const answers = await Promise.all([createWith(relay, solved), createWith(relay, solved), createWith(relay, solved)]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 403, 403]);
    });

    it('refuses an expired challenge', async () => {
      const solved = await proof(relay);
      relay.clock.advance(61_000);
      try {
        expectRefused(await createWith(relay, solved), /expired/);
      } finally {
        relay.clock.advance(-61_000);
      }
    });

    it('refuses a challenge whose parameters were changed (easier cost, longer expiry, another prefix)', async () => {
      const solved = await proof(relay);
      const p = solved.challenge.parameters;
      for (const parameters of [
        { ...p, cost: 1 },
        { ...p, expiresAt: (p.expiresAt ?? 0) + 3600 },
        { ...p, keyPrefix: '00' },
        { ...p, data: { maxCounter: 2 } },
      ]) {
        expectRefused(await createWith(relay, { ...solved, challenge: { ...solved.challenge, parameters } }), /did not sign/);
      }
      // The untouched proof still works: a refused tamper does not use the challenge up.
      expect((await createWith(relay, solved)).status).toBe(201);
    });

    it('refuses a challenge it did not sign (another relay, or before a restart)', async () => {
      const other = await startTestRelay(engine, { PSST_PROOF_OF_WORK: 'always', ...CHEAP });
      try {
        expectRefused(await createWith(relay, await proof(other)), /did not sign/);
      } finally {
        await other.close();
      }
    });

    it('refuses a wrong solution', async () => {
      const solved = await proof(relay);
      const wrongKey = solved.solution.derivedKey.replace(/^./, (c) => (c === '0' ? '1' : '0'));
      expectRefused(await createWith(relay, { ...solved, solution: { ...solved.solution, derivedKey: wrongKey } }), /does not solve/);
      expectRefused(
        await createWith(relay, { ...solved, solution: { ...solved.solution, derivedKey: solved.solution.derivedKey.slice(0, 31) } }),
        /invalid/,
      );
    });

    it('answers 400 for a proofOfWork that does not match the API', async () => {
      const solved = await proof(relay);
      const answer = await createWith(relay, { ...solved, extra: 1 });
      expect(answer.status).toBe(400);
      expect(answer.json.error).toBe('invalid_request');
    });

    it('answers 405 with Allow for another method on /api/challenge', async () => {
      const answer = await call(relay.origin, 'POST', '/api/challenge', { body: {} });
      expectError(answer, 405, { error: 'method_not_allowed', message: 'Use GET for this address.' });
      expect(answer.headers.get('allow')).toBe('GET');
    });
  });

  describe('PSST_PROOF_OF_WORK=off', () => {
    let relay: TestRelay;
    beforeAll(async () => {
      relay = await startTestRelay(engine, { PSST_PROOF_OF_WORK: 'off', PSST_MAX_ACTIVE_SECRETS: '2', ...CHEAP });
    });
    afterAll(() => relay.close());

    it('never asks, not even with the quota half full, and says off in /api/config', async () => {
      expect((await call(relay.origin, 'GET', '/api/config')).json.proofOfWork).toBe('off');
      expect((await createWith(relay)).status).toBe(201);
      expect((await createWith(relay)).status).toBe(201);
    });
  });

  describe('PSST_PROOF_OF_WORK=auto', () => {
    it('asks a client past the soft rate (half its create budget), and only it', async () => {
      // 6 a minute: the challenge takes from the same bucket as the creates.
      const relay = await startTestRelay(engine, { PSST_PROOF_OF_WORK: 'auto', PSST_RATE_LIMIT_CREATE: '6', ...CHEAP });
      try {
        expect((await call(relay.origin, 'GET', '/api/config')).json.proofOfWork).toBe('auto');
        for (let i = 0; i < 3; i++) expect((await createWith(relay)).status).toBe(201);
        expectRefused(await createWith(relay), /asks for proof of work/);
        expect((await createWith(relay, await proof(relay))).status).toBe(201);
        // Another client (a trusted proxy names it) is not asked.
        const sealed = await sealRequest();
        const other = await call(relay.origin, 'POST', '/api/secrets', {
          body: sealed.body,
          headers: { 'x-forwarded-for': '198.51.100.7' },
        });
        expect(other.status).toBe(201);
      } finally {
        await relay.close();
      }
    });

    it('asks everyone once the quota is over half full', async () => {
      const relay = await startTestRelay(engine, { PSST_PROOF_OF_WORK: 'auto', PSST_MAX_ACTIVE_SECRETS: '4', ...CHEAP });
      try {
        expect((await createWith(relay)).status).toBe(201);
        expect((await createWith(relay)).status).toBe(201);
        expect((await createWith(relay)).status).toBe(201);
        relay.clock.advance(6_000); // the fill level is read again at most every 5 s
        expectRefused(await createWith(relay), /asks for proof of work/);
        expect((await createWith(relay, await proof(relay))).status).toBe(201);
      } finally {
        await relay.close();
      }
    });
  });

  it('rate-limits /api/challenge like create (one bucket)', async () => {
    const relay = await startTestRelay(engine, { PSST_RATE_LIMIT_CREATE: '2', ...CHEAP });
    try {
      expect((await call(relay.origin, 'GET', '/api/challenge')).status).toBe(200);
      expect((await createWith(relay)).status).toBe(201);
      const limited = await call(relay.origin, 'GET', '/api/challenge');
      expect(limited.status).toBe(429);
      expect(limited.json.error).toBe('rate_limited');
    } finally {
      await relay.close();
    }
  });
});
