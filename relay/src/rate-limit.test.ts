import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.js';

describe('createRateLimiter', () => {
  it('allows a burst of the per-minute budget, then says how long to wait, then refills', () => {
    const limiter = createRateLimiter(6);
    for (let i = 0; i < 6; i++) expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 0)).toBe(10);
    expect(limiter.take('b', 0)).toBe(0);
    expect(limiter.take('a', 9_000)).toBe(1);
    expect(limiter.take('a', 10_000)).toBe(0);
  });

  it('is off at 0, forgets refilled buckets, and never tracks more clients than its bound', () => {
    expect(createRateLimiter(0).take('a', 0)).toBe(0);
    const limiter = createRateLimiter(60, 3);
    for (const key of ['a', 'b', 'c', 'd']) limiter.take(key, 0);
    expect(limiter.size).toBe(3);
    limiter.take('c', 500);
    limiter.prune(1_000);
    expect(limiter.size).toBe(1);
    limiter.prune(60_000);
    expect(limiter.size).toBe(0);
  });
});

describe('pastSoftRate', () => {
  it('says whether a client has used more than half its budget, without taking a token', () => {
    const limiter = createRateLimiter(10);
    expect(limiter.pastSoftRate('a', 0)).toBe(false);
    for (let i = 0; i < 5; i++) limiter.take('a', 0);
    expect(limiter.pastSoftRate('a', 0)).toBe(false);
    limiter.take('a', 0);
    expect(limiter.pastSoftRate('a', 0)).toBe(true);
    expect(limiter.pastSoftRate('a', 0)).toBe(true);
    expect(limiter.take('a', 0)).toBe(0); // asking took nothing: four tokens are still there
    // Three tokens left; one comes back every 6 s, so past 12 s it holds half its budget again.
    expect(limiter.pastSoftRate('a', 11_000)).toBe(true);
    expect(limiter.pastSoftRate('a', 13_000)).toBe(false);
    expect(limiter.pastSoftRate('b', 0)).toBe(false);
    expect(createRateLimiter(0).pastSoftRate('a', 0)).toBe(false);
  });
});
