// Proof of work (PROTOCOL.md "Proof of work"): ALTCHA PoW v2 challenges with
// altcha-lib, PBKDF2/SHA-256, in its deterministic mode: the relay draws the
// secret counter from [0, max) and signs the derived key, so the solver's work
// is bounded (at most `max` attempts, `max / 2` on average) and checking a
// solution costs two HMACs, never a key derivation. Each challenge is accepted
// once; the used ones are remembered, in memory, until they expire.
import { randomBytes, randomInt } from 'node:crypto';
import type { ProofOfWorkChallenge, ProofOfWork as ProofOfWorkPayload } from '@psst/protocol/api';
import { createChallenge, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { Config } from './config.js';
import { HttpError } from './http-error.js';
import type { StoreStats } from './store/types.js';

export const PROOF_OF_WORK_ALGORITHM = 'PBKDF2/SHA-256';
/** Used challenges remembered at most (about 150 bytes each); past it, creates with proof of work wait (429). */
export const MAX_REMEMBERED_CHALLENGES = 100_000;
/** How long the store's fill level is reused before it is read again (auto mode). */
const PRESSURE_CACHE_MS = 5_000;

export interface ProofOfWorkGuard {
  /** `GET /api/challenge`: a fresh signed challenge. */
  challenge(nowMs: number): Promise<ProofOfWorkChallenge>;
  /**
   * Whether this create must carry proof of work. `pastSoftRate`: its client has used more than half of its
   * create budget (RateLimiter.pastSoftRate; always false when the create limit is off).
   */
  required(pastSoftRate: boolean, nowMs: number): Promise<boolean>;
  /** Accepts a solved challenge once, or throws 403 proof_of_work_required naming what is wrong. */
  check(proof: ProofOfWorkPayload | undefined, nowMs: number): Promise<void>;
  /** Forgets challenges that have expired. */
  prune(nowMs: number): void;
  readonly remembered: number;
}

export interface ProofOfWorkOptions {
  config: Config;
  /** The store's totals, for "quotas over half full". */
  stats: () => Promise<StoreStats>;
}

export function refused(message: string): HttpError {
  return new HttpError(403, 'proof_of_work_required', message);
}

export function createProofOfWorkGuard({ config, stats }: ProofOfWorkOptions): ProofOfWorkGuard {
  // Random per process: a restart (or another relay) makes outstanding challenges invalid, so the
  // in-memory replay set is complete for every challenge this key can have signed.
  const signatureKey = randomBytes(32).toString('hex');
  const keySignatureKey = randomBytes(32).toString('hex');
  /** Signature → expiry (ms). Insertion order is roughly expiry order: pruned from the front. */
  const used = new Map<string, number>();
  let fill: { atMs: number; overHalf: boolean } | null = null;

  function prune(nowMs: number): void {
    for (const [signature, expiresMs] of used) {
      if (expiresMs > nowMs) break;
      used.delete(signature);
    }
  }

  /** One read of the store at a time: creates arriving together while the cached level is stale share it. */
  let reading: Promise<boolean> | null = null;
  function quotasOverHalf(nowMs: number): Promise<boolean> | boolean {
    if (fill && nowMs - fill.atMs < PRESSURE_CACHE_MS) return fill.overHalf;
    reading ??= stats()
      .then(({ activeSecrets, storedBytes }) => {
        const overHalf = activeSecrets * 2 > config.maxActiveSecrets || storedBytes * 2 > config.maxStoreBytes;
        fill = { atMs: nowMs, overHalf };
        return overHalf;
      })
      // A database that does not answer: not cached, and not asked here; the insert answers storage_unavailable.
      .catch(() => false)
      .finally(() => {
        reading = null;
      });
    return reading;
  }

  return {
    async challenge(nowMs) {
      const created = await createChallenge({
        algorithm: PROOF_OF_WORK_ALGORITHM,
        cost: config.proofOfWorkCost,
        counter: randomInt(0, config.proofOfWorkMaxCounter),
        // The solver's progress: the counter is below this.
        data: { maxCounter: config.proofOfWorkMaxCounter },
        deriveKey,
        expiresAt: Math.floor(nowMs / 1000) + config.proofOfWorkExpirySeconds,
        hmacSignatureSecret: signatureKey,
        hmacKeySignatureSecret: keySignatureKey,
      });
      return created as ProofOfWorkChallenge;
    },

    async required(pastSoftRate, nowMs) {
      if (config.proofOfWork === 'off') return false;
      if (config.proofOfWork === 'always') return true;
      return pastSoftRate || (await quotasOverHalf(nowMs));
    },

    async check(proof, nowMs) {
      if (!proof) {
        throw refused(
          'This relay asks for proof of work before it accepts a secret: fetch GET /api/challenge, solve it, and send it as proofOfWork.',
        );
      }
      const { challenge, solution } = proof;
      if (challenge.parameters.algorithm !== PROOF_OF_WORK_ALGORITHM) {
        throw refused(`The proof of work is invalid: this relay signs only ${PROOF_OF_WORK_ALGORITHM} challenges.`);
      }
      const expiresMs = (challenge.parameters.expiresAt ?? 0) * 1000;
      if (expiresMs <= nowMs) throw refused('The proof of work has expired: fetch a new challenge and solve it.');
      prune(nowMs);
      if (used.has(challenge.signature)) {
        throw refused('The proof of work was already used: each challenge is accepted once; fetch a new one.');
      }
      if (used.size >= MAX_REMEMBERED_CHALLENGES) {
        const [, oldest] = used.entries().next().value as [string, number];
        const retryAfter = Math.max(1, Math.ceil((oldest - nowMs) / 1000));
        throw new HttpError(
          429,
          'rate_limited',
          'This relay has accepted as many proofs of work as it can remember for now; try again shortly.',
          { retryAfter },
          { 'retry-after': String(retryAfter) },
        );
      }
      // Reserved before the first await, so that two creates racing with one challenge cannot both pass.
      used.set(challenge.signature, expiresMs);
      let verified = false;
      let badSignature = false;
      try {
        const result = await verifySolution({
          challenge,
          solution,
          deriveKey,
          hmacSignatureSecret: signatureKey,
          hmacKeySignatureSecret: keySignatureKey,
        });
        verified = result.verified;
        badSignature = result.invalidSignature === true;
        if (result.expired) throw refused('The proof of work has expired: fetch a new challenge and solve it.');
      } catch (error) {
        used.delete(challenge.signature);
        if (error instanceof HttpError) throw error;
        // altcha-lib throws on values it cannot encode (a malformed hex string): that is an invalid proof.
        throw refused('The proof of work is invalid: the challenge or its solution is malformed.');
      }
      if (verified) return;
      // Only what this relay signed is remembered: garbage must not fill the replay memory.
      used.delete(challenge.signature);
      throw refused(
        badSignature
          ? 'The proof of work is invalid: this relay did not sign that challenge (or it was changed, or the relay restarted since).'
          : 'The proof of work is invalid: the solution does not solve the challenge.',
      );
    },

    prune,
    get remembered() {
      return used.size;
    },
  };
}
