import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeB64u, encodeB64u } from './b64u.js';
import { EncodingError } from './errors.js';

describe('b64u', () => {
  it('matches Node’s base64url for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = encodeB64u(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString('base64url'));
        expect(decodeB64u(encoded)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects padding, the standard alphabet and impossible lengths', () => {
    for (const bad of ['AA==', 'ab+c', 'ab/c', 'A', 'AAAAA', 'a b', 'é']) {
      expect(() => decodeB64u(bad), bad).toThrow(EncodingError);
    }
  });

  it('rejects non-canonical trailing bits', () => {
    expect(decodeB64u('AA')).toEqual(Uint8Array.of(0));
    expect(() => decodeB64u('AB')).toThrow(EncodingError);
    expect(() => decodeB64u('AAB')).toThrow(EncodingError);
  });
});
