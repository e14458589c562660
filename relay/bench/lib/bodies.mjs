// The request bodies of the benchmark, sealed ahead of time (sealing is the
// client's work, not the relay's). Every body of a pool is sealed with the same
// key, so every secret created from the pool answers to one access token and
// the load generator needs no per-request bookkeeping; each envelope still has
// its own random nonce and so its own ciphertext.
import { randomBytes } from 'node:crypto';
import { encodeB64u } from '@psst/protocol/b64u';
import { sealSecret } from '@psst/protocol/secret';

/** A 1 KiB text secret: printable ASCII, like a pasted key file or a block of credentials. */
export function secretText(bytes = 1024) {
  return randomBytes(bytes)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, bytes);
}

export async function sealPool({ count, textBytes = 1024, ttl = 3600, views = 1 }) {
  const key = randomBytes(32);
  const bodies = [];
  let envelopeBytes = 0;
  let accessToken = '';
  for (let i = 0; i < count; i++) {
    const sealed = await sealSecret({ meta: { type: 'text' }, body: secretText(textBytes), key });
    envelopeBytes = sealed.envelope.length;
    accessToken = encodeB64u(sealed.keys.at);
    bodies.push(JSON.stringify({ envelope: encodeB64u(sealed.envelope), accessVerifier: sealed.accessVerifier, ttl, views }));
  }
  return { bodies, accessToken, envelopeBytes, bodyBytes: Buffer.byteLength(bodies[0] ?? '') };
}
