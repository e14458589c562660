// Randomness from the platform CSPRNG (browsers, service workers and Node 20
// all expose crypto.getRandomValues).
import { KEY_BYTES, NONCE_BYTES, SALT_BYTES } from './limits.js';

export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  // getRandomValues fills at most 65536 bytes per call.
  for (let i = 0; i < length; i += 65_536) crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65_536)));
  return out;
}

export function generateKey(): Uint8Array {
  return randomBytes(KEY_BYTES);
}

export function generateSalt(): Uint8Array {
  return randomBytes(SALT_BYTES);
}

export function generateNonce(): Uint8Array {
  return randomBytes(NONCE_BYTES);
}
