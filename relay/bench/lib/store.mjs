// The relay's SQLite store as the storage benchmarks drive it (store-ceiling.mjs, create-cpu.mjs): taken
// from a build, its limits and per-client quotas set far out of reach (counted, never refusing), and
// secrets created as from 1 024 clients in 256 networks, as those quotas see them.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const HOUR = 3_600_000;

/** The `openStore` of the build in the folder `dist` (default: this checkout's relay/dist). */
export async function importOpenStore(dist) {
  const url = dist ? pathToFileURL(`${resolve(dist)}/store/sqlite-store.js`) : new URL('../../dist/store/sqlite-store.js', import.meta.url);
  return (await import(url.href)).openStore;
}

/** openStore's options for a file at `path` with `synchronous` (FULL or NORMAL) and group commit bounds as given. */
export function storeOptions(path, { synchronous, maxBatch, maxWaitMs }) {
  return {
    path,
    maxActiveSecrets: 10_000_000,
    maxStoreBytes: 1e12,
    clientQuotas: {
      clientMaxSecrets: 1e12,
      clientMaxBytes: 1e15,
      networkMaxSecrets: 1e12,
      networkMaxBytes: 1e15,
      keyRotationMs: 8 * 24 * HOUR,
    },
    tombstoneRetentionMs: 24 * HOUR,
    groupCommit: { maxBatch, maxWaitMs },
    synchronous,
  };
}

/**
 * A maker of new secrets for store.create(secret(now)), all with one random envelope of `envelopeBytes` and
 * one verifier, each with a fresh id, one view and an hour to live, from the next of the 1 024 clients.
 */
export function secretMaker(envelopeBytes) {
  const envelope = randomBytes(envelopeBytes);
  const verifier = randomBytes(32);
  let sender = 0;
  return (now) => ({
    client: { client: `10.0.${(sender >> 8) & 3}.${sender & 255}`, network: `net:0a00${((sender++ >> 2) & 255).toString(16)}/24` },
    id: randomBytes(16).toString('base64url'),
    envelope,
    accessVerifier: verifier,
    passphraseVerifier: null,
    manageVerifier: verifier,
    kdf: null,
    views: 1,
    createdAt: now,
    expiresAt: now + HOUR,
  });
}
