import { describe, expect, it } from 'vitest';
import { estimateStrength } from './passphrase-strength.js';

describe('passphrase strength', () => {
  it('grades from weak to strong', () => {
    expect(estimateStrength('').level).toBe('empty');
    expect(estimateStrength('abc123').level).toBe('weak');
    expect(estimateStrength('aaaaaaaaaaaa').level).toBe('weak');
    expect(estimateStrength('Tr0ub4dor&3').level).toBe('good');
    expect(estimateStrength('correct horse battery staple').level).toBe('strong');
  });

  it('always gives a hint for a non-empty passphrase', () => {
    expect(estimateStrength('x').hint).not.toBe('');
  });
});
