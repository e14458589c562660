import { DEFAULT_MAX_VIEWS } from '@psst/protocol/limits';
import { describe, expect, it } from 'vitest';
import { clampTtl, clampViews, TTL_CHOICES, ttlChoicesFor } from './limits';

describe('clampViews', () => {
  it('keeps a whole number within 1 and the maximum', () => {
    expect(clampViews(3)).toBe(3);
    expect(clampViews(2.6)).toBe(3);
    expect(clampViews(0)).toBe(1);
    expect(clampViews(-4)).toBe(1);
    expect(clampViews(Number.NaN)).toBe(1);
    expect(clampViews(DEFAULT_MAX_VIEWS + 5)).toBe(DEFAULT_MAX_VIEWS);
    expect(clampViews(5, 3)).toBe(3);
  });
});

describe('ttlChoicesFor', () => {
  it('offers every choice under the default maximum', () => {
    expect(ttlChoicesFor()).toEqual([...TTL_CHOICES]);
  });

  it('drops choices above the relay maximum and offers the maximum itself', () => {
    expect(ttlChoicesFor(7200)).toEqual([300, 3600, 7200]);
    expect(ttlChoicesFor(3600)).toEqual([300, 3600]);
    expect(ttlChoicesFor(120)).toEqual([120]);
  });

  it('adds a stored default that the relay allows', () => {
    expect(ttlChoicesFor(604_800, 1800)).toEqual([300, 1800, 3600, 86_400, 604_800]);
    expect(ttlChoicesFor(3600, 86_400)).toEqual([300, 3600]);
  });
});

describe('clampTtl', () => {
  it('keeps an allowed expiry and otherwise takes the longest allowed choice below it', () => {
    expect(clampTtl(3600, 604_800)).toBe(3600);
    expect(clampTtl(604_800, 7200)).toBe(7200);
    expect(clampTtl(86_400, 3600)).toBe(3600);
    expect(clampTtl(10, 3600)).toBe(300);
  });
});
