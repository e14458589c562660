// Token buckets per client key, in memory: `perMinute` requests a minute,
// with bursts up to the same number. Buckets that have refilled are dropped,
// and the map is bounded, so a flood of addresses cannot grow it for ever.
// The relay takes a token when a request's headers arrive, before any of its
// body is read (app.ts `admit`).

export interface RateLimiter {
  /** Takes one token; returns 0 when allowed, else the seconds until a token is free. */
  take(key: string, nowMs: number): number;
  /**
   * The soft rate (proof of work's `auto` mode asks past it): whether the client has used more than half
   * of its budget, i.e. its bucket holds less than half a minute's burst. Takes nothing; false when the
   * limit is off or the client is unknown.
   */
  pastSoftRate(key: string, nowMs: number): boolean;
  /** Drops buckets that are full again (idle clients). */
  prune(nowMs: number): void;
  readonly size: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Beyond this many tracked clients the least recently seen ones are forgotten. */
export const MAX_TRACKED_CLIENTS = 100_000;

export function createRateLimiter(perMinute: number, maxClients = MAX_TRACKED_CLIENTS): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const perMs = perMinute / 60_000;
  /** The tokens `bucket` holds at `nowMs`, without changing it. */
  const tokensAt = (bucket: Bucket, nowMs: number) => Math.min(perMinute, bucket.tokens + Math.max(0, nowMs - bucket.updatedMs) * perMs);
  const refill = (bucket: Bucket, nowMs: number) => {
    bucket.tokens = tokensAt(bucket, nowMs);
    bucket.updatedMs = nowMs;
  };
  return {
    take(key, nowMs) {
      if (perMinute <= 0) return 0;
      let bucket = buckets.get(key);
      if (bucket) {
        buckets.delete(key); // re-inserted below: the map stays ordered by last use
        refill(bucket, nowMs);
      } else {
        bucket = { tokens: perMinute, updatedMs: nowMs };
        if (buckets.size >= maxClients) {
          const oldest = buckets.keys().next().value;
          if (oldest !== undefined) buckets.delete(oldest);
        }
      }
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
    pastSoftRate(key, nowMs) {
      if (perMinute <= 0) return false;
      const bucket = buckets.get(key);
      if (!bucket) return false;
      return tokensAt(bucket, nowMs) < perMinute / 2;
    },
    prune(nowMs) {
      for (const [key, bucket] of buckets) {
        refill(bucket, nowMs);
        if (bucket.tokens >= perMinute) buckets.delete(key);
      }
    },
    get size() {
      return buckets.size;
    },
  };
}
