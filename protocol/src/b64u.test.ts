import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeB64u, decodeB64uPortable, encodeB64u, encodeB64uPortable } from './b64u.js';
import { EncodingError } from './errors.js';

describe('b64u', () => {
  // Under Node, encodeB64u/decodeB64u take the Buffer path and the *Portable ones are what browsers run.
  it('matches Node’s base64url for any bytes, on both paths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(8), (whole, skip) => {
        const bytes = whole.subarray(Math.min(skip, whole.length)); // a view that does not start at offset 0
        const encoded = encodeB64u(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString('base64url'));
        expect(encodeB64uPortable(bytes)).toBe(encoded);
        expect(decodeB64u(encoded)).toEqual(bytes);
        expect(decodeB64uPortable(encoded)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes into memory of its own, not a shared pool', () => {
    const decoded = decodeB64u('AQID');
    expect(decoded.byteOffset).toBe(0);
    expect(decoded.buffer.byteLength).toBe(3);
  });

  it('rejects padding, the standard alphabet and impossible lengths, on both paths', () => {
    for (const bad of ['AA==', 'ab+c', 'ab/c', 'A', 'AAAAA', 'a b', 'é', 'AAAA\n', 'AA.A']) {
      expect(() => decodeB64u(bad), bad).toThrow(EncodingError);
      expect(() => decodeB64uPortable(bad), bad).toThrow(EncodingError);
    }
  });

  it('rejects non-canonical trailing bits, on both paths', () => {
    for (const decode of [decodeB64u, decodeB64uPortable]) {
      expect(decode('AA')).toEqual(Uint8Array.of(0));
      expect(decode('AAA')).toEqual(Uint8Array.of(0, 0));
      expect(() => decode('AB')).toThrow(EncodingError);
      expect(() => decode('AAB')).toThrow(EncodingError);
      expect(() => decode('AAAAAB')).toThrow(EncodingError);
    }
  });
});
