import { DEFAULT_MAX_VIEWS } from '@psst/protocol/limits';
import { describe, expect, it } from 'vitest';
import { clampViews } from './LimitFields';

describe('clampViews', () => {
  it('keeps whole numbers between 1 and the relay’s default maximum', () => {
    expect(clampViews(3)).toBe(3);
    expect(clampViews(2.6)).toBe(3);
    expect(clampViews(0)).toBe(1);
    expect(clampViews(-4)).toBe(1);
    expect(clampViews(Number.NaN)).toBe(1);
    expect(clampViews(DEFAULT_MAX_VIEWS + 5)).toBe(DEFAULT_MAX_VIEWS);
  });
});
