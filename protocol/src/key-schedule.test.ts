// Cross-checks noble's primitives, as the key schedule uses them, against node:crypto.
import { createHash, hkdfSync, scryptSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvelopeError } from './errors.js';
import { deriveAccessToken, deriveKeys, derivePassphraseKey, sha256Bytes, verifierOf } from './key-schedule.js';
import { READER_KDF_LIMITS } from './limits.js';

const hkdf = (ikm: Uint8Array, info: string) => new Uint8Array(hkdfSync('sha256', ikm, new Uint8Array(0), info, 32));

describe('key schedule', () => {
  it('derives EK, AT and PT as HKDF-SHA256 does in node:crypto', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), async (k, pk) => {
        const plain = await deriveKeys(k);
        expect(plain.ek).toEqual(hkdf(k, 'psst/v1/encrypt'));
        expect(plain.at).toEqual(hkdf(k, 'psst/v1/access'));
        expect(deriveAccessToken(k)).toEqual(plain.at);
        const ikm = new Uint8Array([...k, ...pk]);
        const { deriveKeysFrom } = await import('./key-schedule.js');
        const withPass = deriveKeysFrom(k, pk);
        expect(withPass.ek).toEqual(hkdf(ikm, 'psst/v1/encrypt'));
        expect(withPass.pt).toEqual(hkdf(ikm, 'psst/v1/passphrase'));
        expect(withPass.at).toEqual(plain.at);
      }),
      { numRuns: 50 },
    );
  });

  it('hashes verifiers as SHA-256 does in node:crypto', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(sha256Bytes(bytes)).toEqual(new Uint8Array(createHash('sha256').update(bytes).digest()));
        expect(verifierOf(bytes)).toBe(createHash('sha256').update(bytes).digest('base64url'));
      }),
      { numRuns: 200 },
    );
  });

  it('runs scrypt as node:crypto does, on the NFC form of the passphrase', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 20 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 2 }),
        async (passphrase, salt, log2n, r, p) => {
          const ours = await derivePassphraseKey(passphrase, { log2n, r, p, salt });
          const theirs = scryptSync(Buffer.from(passphrase.normalize('NFC'), 'utf8'), salt, 32, { N: 2 ** log2n, r, p });
          expect(ours).toEqual(new Uint8Array(theirs));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('normalises the passphrase to NFC', async () => {
    const salt = new Uint8Array(16);
    const composed = await derivePassphraseKey('Caf\u00e9', { log2n: 4, r: 1, p: 1, salt });
    const decomposed = await derivePassphraseKey('Cafe\u0301', { log2n: 4, r: 1, p: 1, salt });
    expect(decomposed).toEqual(composed);
  });

  it('reports scrypt progress up to completion', async () => {
    const seen: number[] = [];
    await derivePassphraseKey('pw', { log2n: 14, r: 8, p: 1, salt: new Uint8Array(16) }, (f) => seen.push(f));
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBeCloseTo(1, 5);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('refuses scrypt parameters over the reader limits', async () => {
    const salt = new Uint8Array(16);
    for (const kdf of [
      { log2n: READER_KDF_LIMITS.log2n + 1, r: 8, p: 1 },
      { log2n: 10, r: READER_KDF_LIMITS.r + 1, p: 1 },
      { log2n: 10, r: 8, p: READER_KDF_LIMITS.p + 1 },
      { log2n: 0, r: 8, p: 1 },
    ]) {
      await expect(derivePassphraseKey('x', { ...kdf, salt }), JSON.stringify(kdf)).rejects.toBeInstanceOf(EnvelopeError);
    }
  });
});
