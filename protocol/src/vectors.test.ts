// The independent test vectors (libsodium + Python hashlib), read from
// ../shared/vectors/v1.json at test time: sealing with the given inputs must
// produce every intermediate and the envelope byte for byte.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeB64u, encodeB64u } from './b64u.js';
import { DecryptError, EnvelopeError } from './errors.js';
import { frameContent, padContent, type SecretMeta } from './framing.js';
import { deriveKeys, encodePassphrase, verifierOf } from './key-schedule.js';
import { openSecret, sealSecret } from './secret.js';

interface VectorCase {
  name: string;
  K: string;
  k_fragment: string;
  nonce: string;
  meta: SecretMeta;
  body_b64u: string;
  body_text: string | null;
  passphrase: string | null;
  passphrase_nfc_utf8_b64u?: string;
  salt?: string;
  log2n?: number;
  r?: number;
  p?: number;
  PK?: string;
  EK: string;
  AT: string;
  PT?: string;
  accessVerifier: string;
  passphraseVerifier?: string;
  header: string;
  content: string;
  padded_len: number;
  padded: string | null;
  padded_sha256: string;
  envelope: string | null;
  envelope_len: number;
  envelope_sha256: string;
}

interface RejectCase {
  name: string;
  envelope: string;
  key_case: string;
}

const vectorsPath = fileURLToPath(new URL('../../../shared/vectors/v1.json', import.meta.url));
const vectors = JSON.parse(readFileSync(vectorsPath, 'utf8')) as { cases: VectorCase[]; reject: RejectCase[] };
const sha256hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function sealInputs(c: VectorCase) {
  const scrypt = c.passphrase !== null ? { log2n: c.log2n as number, r: c.r as number, p: c.p as number } : undefined;
  return {
    key: decodeB64u(c.K),
    nonce: decodeB64u(c.nonce),
    meta: c.meta,
    body: decodeB64u(c.body_b64u),
    ...(c.passphrase !== null ? { passphrase: c.passphrase, salt: decodeB64u(c.salt as string), kdf: scrypt } : {}),
  };
}

describe('test vectors v1', () => {
  it('has cases and rejections to check', () => {
    expect(vectors.cases.length).toBeGreaterThanOrEqual(9);
    expect(vectors.reject.length).toBeGreaterThanOrEqual(8);
  });

  describe.each(vectors.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    it('derives every intermediate key and verifier', async () => {
      const key = decodeB64u(c.K);
      expect(c.k_fragment).toBe(encodeB64u(key));
      const keys = await deriveKeys(
        key,
        c.passphrase !== null
          ? {
              passphrase: c.passphrase,
              kdf: { log2n: c.log2n as number, r: c.r as number, p: c.p as number, salt: decodeB64u(c.salt as string) },
            }
          : undefined,
      );
      expect(encodeB64u(keys.ek)).toBe(c.EK);
      expect(encodeB64u(keys.at)).toBe(c.AT);
      expect(verifierOf(keys.at)).toBe(c.accessVerifier);
      if (c.passphrase !== null) {
        expect(encodeB64u(encodePassphrase(c.passphrase))).toBe(c.passphrase_nfc_utf8_b64u);
        expect(encodeB64u(keys.pk as Uint8Array)).toBe(c.PK);
        expect(encodeB64u(keys.pt as Uint8Array)).toBe(c.PT);
        expect(verifierOf(keys.pt as Uint8Array)).toBe(c.passphraseVerifier);
      } else {
        expect(keys.pt).toBeUndefined();
      }
    });

    it('frames and pads the plaintext', () => {
      const content = frameContent(c.meta, decodeB64u(c.body_b64u));
      expect(encodeB64u(content)).toBe(c.content);
      if (c.body_text !== null) expect(new TextDecoder().decode(decodeB64u(c.body_b64u))).toBe(c.body_text);
      const padded = padContent(content);
      expect(padded.length).toBe(c.padded_len);
      if (c.padded !== null) expect(encodeB64u(padded)).toBe(c.padded);
      expect(sha256hex(padded)).toBe(c.padded_sha256);
    });

    it('seals to the envelope byte for byte', async () => {
      const sealed = await sealSecret(sealInputs(c));
      expect(sealed.envelope.length).toBe(c.envelope_len);
      expect(sha256hex(sealed.envelope)).toBe(c.envelope_sha256);
      if (c.envelope !== null) expect(encodeB64u(sealed.envelope)).toBe(c.envelope);
      expect(encodeB64u(sealed.envelope.subarray(0, decodeB64u(c.header).length))).toBe(c.header);
      expect(sealed.accessVerifier).toBe(c.accessVerifier);
      expect(sealed.passphraseVerifier).toBe(c.passphraseVerifier);
    });

    it('opens the envelope back to meta and body', async () => {
      const envelope = c.envelope !== null ? decodeB64u(c.envelope) : (await sealSecret(sealInputs(c))).envelope;
      const opened = await openSecret({ envelope, key: decodeB64u(c.K), ...(c.passphrase !== null ? { passphrase: c.passphrase } : {}) });
      expect(opened.meta).toEqual(c.meta);
      expect(encodeB64u(opened.body)).toBe(c.body_b64u);
    });
  });

  describe.each(vectors.reject.map((r) => [r.name, r] as const))('rejects %s', (name, r) => {
    it('fails to open it with a typed error', async () => {
      const c = vectors.cases.find((x) => x.name === r.key_case) as VectorCase;
      const attempt = openSecret({
        envelope: decodeB64u(r.envelope),
        key: decodeB64u(c.K),
        ...(c.passphrase !== null ? { passphrase: c.passphrase } : {}),
      });
      const error = await attempt.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(Error);
      expect(error instanceof DecryptError || error instanceof EnvelopeError).toBe(true);
    });
  });

  it('gives one message for every decryption failure', async () => {
    const messages = new Set<string>();
    for (const r of vectors.reject) {
      const c = vectors.cases.find((x) => x.name === r.key_case) as VectorCase;
      try {
        await openSecret({ envelope: decodeB64u(r.envelope), key: decodeB64u(c.K), ...(c.passphrase ? { passphrase: c.passphrase } : {}) });
      } catch (e) {
        if (e instanceof DecryptError) messages.add(e.message);
      }
    }
    expect(messages.size).toBe(1);
  });
});
