// --ttl and --views.
import { describe, expect, it } from 'vitest';
import { parseTtl, parseViews } from './duration.js';
import { CliError } from './exit-codes.js';

describe('parseTtl', () => {
  it('reads 90s, 15m, 1h, 7d and bare seconds', () => {
    expect([parseTtl('90s'), parseTtl('15m'), parseTtl('1h'), parseTtl('7d'), parseTtl('3600'), parseTtl(' 2H ')]).toEqual([
      90, 900, 3600, 604_800, 3600, 7200,
    ]);
  });

  it('refuses anything else, and less than a minute, with a usage error', () => {
    for (const bad of ['', '1w', '-5m', '1.5h', 'soon', '59s', '0']) {
      expect(() => parseTtl(bad)).toThrow(CliError);
      try {
        parseTtl(bad);
      } catch (error) {
        expect((error as CliError).exitCode).toBe(1);
      }
    }
  });

  it('views are whole numbers of at least 1', () => {
    expect(parseViews('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'many']) expect(() => parseViews(bad)).toThrow(CliError);
  });
});
