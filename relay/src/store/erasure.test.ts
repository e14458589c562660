// Erased envelopes must not survive anywhere on disk: not in the database
// file, not in its WAL. These tests read the raw files.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, makeTempDir, newSecret, openTestStore, T0 } from './test-fixtures.js';
import type { Store } from './types.js';

const CHUNK = 32;

/** Random bytes: any 32-byte slice of them found on disk can only come from this envelope. */
function recognisableEnvelope(bytes: number): Buffer {
  return randomBytes(bytes);
}

function diskImage(path: string): Buffer {
  const parts = [path, `${path}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file));
  return Buffer.concat(parts);
}

/** How many of the envelope's 32-byte slices (at a stride of 32) appear in the files. */
function survivingChunks(path: string, envelope: Buffer): number {
  const image = diskImage(path);
  let found = 0;
  for (let offset = 0; offset + CHUNK <= envelope.length; offset += CHUNK) {
    if (image.indexOf(envelope.subarray(offset, offset + CHUNK)) !== -1) found++;
  }
  return found;
}

let temp: ReturnType<typeof makeTempDir>;
let path: string;
let store: Store;

beforeEach(() => {
  temp = makeTempDir();
  path = join(temp.dir, 'psst.db');
  store = openTestStore(path);
});

afterEach(async () => {
  await store.close();
  temp.remove();
});

/** Neighbours share pages with the victim, so erasure must scrub inside pages, not only free whole ones. */
async function createNeighbours(count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => store.create(newSecret({ envelope: randomBytes(700), expiresAt: T0 + 5 * HOUR }))));
}

describe('erasure', () => {
  for (const size of [300, 4_500, 70_000]) {
    it(`leaves no byte of a ${size}-byte envelope in the file or WAL after the last reveal and a sweep`, async () => {
      await createNeighbours(20);
      const envelope = recognisableEnvelope(size);
      const secret = newSecret({ envelope, views: 2 });
      await store.create(secret);
      await createNeighbours(20);
      // The control: the bytes are on disk while the secret lives, so the search below can fail.
      expect(survivingChunks(path, envelope)).toBeGreaterThan(0);

      expect((await store.reveal(secret.id, T0 + 1)).kind).toBe('revealed');
      expect((await store.reveal(secret.id, T0 + 2)).kind).toBe('revealed');
      await store.sweep(T0 + 3);
      expect(survivingChunks(path, envelope)).toBe(0);
      expect(existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).length : 0).toBe(0);
    });
  }

  it('erases on expiry, delete and burn as well', async () => {
    const expiring = newSecret({ envelope: recognisableEnvelope(5_000), expiresAt: T0 + HOUR });
    const deleted = newSecret({ envelope: recognisableEnvelope(5_000), expiresAt: T0 + 5 * HOUR });
    const burned = newSecret({ envelope: recognisableEnvelope(5_000), expiresAt: T0 + 5 * HOUR, passphraseVerifier: randomBytes(32) });
    const kept = newSecret({ envelope: recognisableEnvelope(5_000), expiresAt: T0 + 5 * HOUR });
    await createNeighbours(10);
    for (const secret of [expiring, deleted, burned, kept]) await store.create(secret);
    await createNeighbours(10);

    await store.delete(deleted.id, T0 + 1);
    for (let attempt = 0; attempt < MAX_PASSPHRASE_ATTEMPTS; attempt++) await store.recordWrongPassphrase(burned.id, T0 + 2);
    await store.sweep(T0 + HOUR);

    expect(survivingChunks(path, Buffer.from(expiring.envelope))).toBe(0);
    expect(survivingChunks(path, Buffer.from(deleted.envelope))).toBe(0);
    expect(survivingChunks(path, Buffer.from(burned.envelope))).toBe(0);
    // The live one is still there, whole.
    expect(survivingChunks(path, Buffer.from(kept.envelope))).toBe(Math.floor(5_000 / CHUNK));
  });

  it('leaves no byte behind after close, without a sweep', async () => {
    const envelope = recognisableEnvelope(4_096);
    const secret = newSecret({ envelope });
    await store.create(secret);
    await store.reveal(secret.id, T0 + 1);
    await store.close();
    expect(survivingChunks(path, envelope)).toBe(0);
    store = openTestStore(path);
  });
});
