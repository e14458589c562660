import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecryptError, EnvelopeError } from './errors.js';
import { bucketSize, encodeMeta } from './framing.js';
import { decodeText, envelopeKdf, openSecret, sealSecret } from './secret.js';

// A cheap scrypt for property tests; the defaults are covered by one slow case below.
const FAST_KDF = { log2n: 4, r: 1, p: 1 };

describe('seal and open', () => {
  it('round-trips text of any size, with and without a passphrase', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 3000 }),
        fc.option(fc.string({ minLength: 1, maxLength: 30 })),
        async (text, passphrase) => {
          const sealed = await sealSecret({ meta: { type: 'text' }, body: text, kdf: FAST_KDF, ...(passphrase ? { passphrase } : {}) });
          expect(sealed.passphraseVerifier !== undefined).toBe(passphrase !== null);
          const opened = await openSecret({ envelope: sealed.envelope, key: sealed.key, ...(passphrase ? { passphrase } : {}) });
          expect(opened.meta).toEqual({ type: 'text' });
          expect(decodeText(opened.body)).toBe(text);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('round-trips binary files from 0 B to 1 MiB', async () => {
    const sizes = fc.oneof(
      fc.integer({ min: 0, max: 300 }),
      fc.integer({ min: 60_000, max: 70_000 }),
      fc.integer({ min: 0, max: 1_048_576 }),
    );
    await fc.assert(
      fc.asyncProperty(sizes, fc.boolean(), async (size, withPassphrase) => {
        const body = crypto.getRandomValues(new Uint8Array(Math.min(size, 65_536)));
        const full = new Uint8Array(size);
        for (let i = 0; i < size; i += body.length || 1) full.set(body.subarray(0, Math.min(body.length, size - i)), i);
        const meta = { type: 'file' as const, name: 'data.bin', mime: 'application/octet-stream' };
        const sealed = await sealSecret({ meta, body: full, kdf: FAST_KDF, ...(withPassphrase ? { passphrase: 'pw' } : {}) });
        const header = withPassphrase ? 21 : 2;
        expect(sealed.envelope.length).toBe(header + 24 + bucketSize(4 + 4 + encodeMeta(meta).length + size) + 16);
        const opened = await openSecret({ envelope: sealed.envelope, key: sealed.key, ...(withPassphrase ? { passphrase: 'pw' } : {}) });
        expect(opened.meta).toEqual(meta);
        expect(opened.body).toEqual(full);
      }),
      {
        numRuns: 15,
        examples: [
          [0, false],
          [1_048_576, true],
        ],
      },
    );
  }, 300_000);

  it('uses the default scrypt parameters for new secrets', async () => {
    const sealed = await sealSecret({ meta: { type: 'text' }, body: 'x', passphrase: 'correct horse' });
    expect(envelopeKdf(sealed.envelope)).toMatchObject({ log2n: 17, r: 8, p: 1 });
    expect(envelopeKdf(sealed.envelope)?.salt.length).toBe(16);
  });

  it('fails with one DecryptError for a wrong key or a wrong passphrase', async () => {
    const sealed = await sealSecret({ meta: { type: 'text' }, body: 'secret', passphrase: 'right', kdf: FAST_KDF });
    const wrongKey = sealed.key.slice();
    wrongKey[0] = (wrongKey[0] as number) ^ 1;
    const a = await openSecret({ envelope: sealed.envelope, key: wrongKey, passphrase: 'right' }).catch((e: unknown) => e);
    const b = await openSecret({ envelope: sealed.envelope, key: sealed.key, passphrase: 'wrong' }).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(DecryptError);
    expect(b).toBeInstanceOf(DecryptError);
    expect((a as Error).message).toBe((b as Error).message);
  });

  it('asks for a passphrase when the envelope needs one', async () => {
    const sealed = await sealSecret({ meta: { type: 'text' }, body: 'secret', passphrase: 'right', kdf: FAST_KDF });
    await expect(openSecret({ envelope: sealed.envelope, key: sealed.key })).rejects.toBeInstanceOf(EnvelopeError);
  });

  it('opens with keys derived ahead of time (the reveal page derives PT before revealing)', async () => {
    const sealed = await sealSecret({ meta: { type: 'text' }, body: 'early', passphrase: 'pw', kdf: FAST_KDF });
    const opened = await openSecret({ envelope: sealed.envelope, key: sealed.key, keys: sealed.keys });
    expect(decodeText(opened.body)).toBe('early');
  });

  it('rejects text that is not UTF-8 with a DecryptError', () => {
    expect(() => decodeText(Uint8Array.of(0xff, 0xfe))).toThrow(DecryptError);
  });
});
