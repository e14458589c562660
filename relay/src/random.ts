// Fresh random bytes for ids and tokens, drawn from node's CSPRNG in 4 KiB
// refills rather than one call per value: each call to randomBytes costs a
// trip into OpenSSL, and a create needs two (the profile of 32 concurrent
// creates showed 3.8 % of the relay's CPU in randomFillSync). No byte is handed
// out twice: every refill is a new buffer and the offset only moves forward.
import { randomBytes } from 'node:crypto';

const REFILL_BYTES = 4096;
let pool = randomBytes(0);
let offset = 0;

/** `n` unused random bytes (n ≤ 4096), as a copy that shares no memory with the pool. */
export function freshRandomBytes(n: number): Buffer {
  if (n > REFILL_BYTES) return randomBytes(n);
  if (offset + n > pool.length) {
    pool = randomBytes(REFILL_BYTES);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + n));
  offset += n;
  return out;
}
