import { describe, expect, it } from 'vitest';
import { freshRandomBytes } from './random.js';

describe('freshRandomBytes', () => {
  it('hands out the requested length, never the same bytes twice, across many refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const n = [16, 32, 48, 7][i % 4] as number;
      const bytes = freshRandomBytes(n);
      expect(bytes.length).toBe(n);
      const hex = bytes.toString('hex');
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
    }
  });

  it('returns copies: changing one leaves the next untouched and it owns its memory', () => {
    const a = freshRandomBytes(32);
    const b = freshRandomBytes(32);
    const before = Buffer.from(b);
    a.fill(0);
    expect(b.equals(before)).toBe(true);
    expect(a.buffer === b.buffer && a.byteOffset + 32 > b.byteOffset && b.byteOffset + 32 > a.byteOffset).toBe(false);
  });

  it('is not all zeros and draws larger requests directly', () => {
    expect(freshRandomBytes(64).some((x) => x !== 0)).toBe(true);
    expect(freshRandomBytes(10_000).length).toBe(10_000);
  });
});
