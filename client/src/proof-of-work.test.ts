import type { ProofOfWorkChallenge } from '@psst/protocol/api';
import { DEFAULT_RELAY_CONFIG } from '@psst/protocol/responses';
import { type Challenge, createChallenge, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRelay, startRelay } from '../../test-support/relay.js';
import { type CreatePhase, createLink } from './create-link.js';
import { MAX_PROOF_OF_WORK_ITERATIONS, solveProofOfWork } from './proof-of-work.js';
import { ProofOfWorkError } from './proof-of-work-error.js';
import { loadRelayConfig, RelayError } from './relay-client.js';
import { createdAnswer, json, recordingFetch } from './test-fakes.js';

const SECRET = 'altcha test key';

async function challengeFor(counter: number, maxCounter: number, cost = 50): Promise<ProofOfWorkChallenge> {
  const challenge = await createChallenge({
    algorithm: 'PBKDF2/SHA-256',
    cost,
    counter,
    data: { maxCounter },
    deriveKey,
    hmacSignatureSecret: SECRET,
    hmacKeySignatureSecret: `${SECRET} 2`,
  });
  return challenge as ProofOfWorkChallenge;
}

describe('solveProofOfWork', () => {
  it('finds the counter altcha-lib hid, and altcha-lib verifies the solution', async () => {
    for (const [counter, lanes] of [
      [0, 1],
      [37, 1],
      [37, 3],
      [99, 2],
    ] as const) {
      const challenge = await challengeFor(counter, 100);
      const progress: number[] = [];
      const proof = await solveProofOfWork(challenge, { lanes, onProgress: (f) => progress.push(f) });
      expect(proof.challenge).toBe(challenge);
      expect(proof.solution.counter).toBe(counter);
      const result = await verifySolution({
        challenge: challenge as Challenge,
        solution: proof.solution,
        deriveKey,
        hmacSignatureSecret: SECRET,
        hmacKeySignatureSecret: `${SECRET} 2`,
      });
      expect(result.verified).toBe(true);
      expect(progress.at(-1)).toBe(1);
    }
  });

  it('refuses an algorithm it does not know, and a challenge past its work bound, before any attempt', async () => {
    const challenge = await challengeFor(1, 10);
    await expect(solveProofOfWork({ ...challenge, parameters: { ...challenge.parameters, algorithm: 'ARGON2ID' } })).rejects.toMatchObject({
      reason: 'unsupported',
    });
    const costly = { ...challenge, parameters: { ...challenge.parameters, cost: 1_000_000, data: { maxCounter: 101 } } };
    expect(1_000_000 * 101).toBeGreaterThan(MAX_PROOF_OF_WORK_ITERATIONS);
    await expect(solveProofOfWork(costly)).rejects.toBeInstanceOf(ProofOfWorkError);
  });

  it('stops when there is no solution below the bound the challenge states, and when aborted', async () => {
    const challenge = await challengeFor(60, 100);
    const lying = { ...challenge, parameters: { ...challenge.parameters, data: { maxCounter: 30 } } };
    await expect(solveProofOfWork(lying)).rejects.toMatchObject({ reason: 'unsolved' });
    const controller = new AbortController();
    controller.abort();
    await expect(solveProofOfWork(challenge, { signal: controller.signal })).rejects.toMatchObject({ reason: 'aborted' });
  });
});

describe('createLink and proof of work', () => {
  const text = { type: 'text', text: 'proved' } as const;
  const base = { ttl: 3600, views: 1, secret: text };
  const refusal = () => json(403, { error: 'proof_of_work_required', message: 'solve one' });

  it('retries once after 403 proof_of_work_required, with a solved challenge, and not a second time', async () => {
    const challenge = await challengeFor(3, 10);
    const fetch = recordingFetch((request) => (request.url.endsWith('/api/challenge') ? json(200, challenge) : refusal()));
    const error = await createLink(fetch, { ...base, relayUrl: 'http://r', config: DEFAULT_RELAY_CONFIG }).catch((e) => e);
    expect(error).toBeInstanceOf(RelayError);
    expect(error.body.error).toBe('proof_of_work_required');
    expect(fetch.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      'POST /api/secrets',
      'GET /api/challenge',
      'POST /api/secrets',
    ]);
    expect(JSON.parse(fetch.requests[0]?.body ?? '{}').proofOfWork).toBeUndefined();
    expect(JSON.parse(fetch.requests[2]?.body ?? '{}').proofOfWork.solution.counter).toBe(3);
  });

  it('does not fetch a challenge for any other refusal', async () => {
    const fetch = recordingFetch(() => json(403, { error: 'wrong_passphrase', message: 'no', attemptsLeft: 1 }));
    await expect(createLink(fetch, { ...base, relayUrl: 'http://r', config: DEFAULT_RELAY_CONFIG })).rejects.toBeInstanceOf(RelayError);
    expect(fetch.requests).toHaveLength(1);
    const created = recordingFetch(() => createdAnswer());
    await createLink(created, { ...base, relayUrl: 'http://r', config: DEFAULT_RELAY_CONFIG });
    expect(created.requests).toHaveLength(1);
  });

  describe('on a real relay that always asks', () => {
    let relay: RunningRelay;
    beforeAll(async () => {
      relay = await startRelay({
        env: { PSST_PROOF_OF_WORK: 'always', PSST_PROOF_OF_WORK_COST: '20', PSST_PROOF_OF_WORK_MAX_COUNTER: '200' },
      });
    });
    afterAll(() => relay.stop());
    const fetchFn = (input: string, init?: RequestInit) => fetch(input, init);

    it('solves first when /api/config says always, showing the proving phase with its progress', async () => {
      const { config } = await loadRelayConfig(fetchFn, relay.origin);
      expect(config.proofOfWork).toBe('always');
      const phases: [CreatePhase, number | undefined][] = [];
      const { link } = await createLink(fetchFn, { ...base, relayUrl: relay.origin, config, onPhase: (p, f) => phases.push([p, f]) });
      expect(link.startsWith(`${relay.origin}/s/`)).toBe(true);
      expect(phases[0]).toEqual(['encrypting', undefined]);
      expect(phases).toContainEqual(['proving', 0]);
      expect(phases).toContainEqual(['proving', 1]);
      expect(phases.at(-1)).toEqual(['uploading', undefined]);
    });

    it('is refused, then solves and retries, when it believed the relay would not ask', async () => {
      const phases: CreatePhase[] = [];
      const { created } = await createLink(fetchFn, {
        ...base,
        relayUrl: relay.origin,
        config: DEFAULT_RELAY_CONFIG,
        onPhase: (p) => phases.push(p),
      });
      expect(created.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(phases.filter((p, i) => p !== phases[i - 1])).toEqual(['encrypting', 'uploading', 'proving', 'uploading']);
    });
  });
});
