// Helpers shared by the store's tests: temp files, secrets, a recording observer.
// Not used by the relay itself.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './sqlite-store.js';
import type { NewSecret, Store, StoreObserver, StoreOptions } from './types.js';

export const T0 = Date.UTC(2026, 0, 1);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function makeTempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'psst-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A 22-char b64u id, like the relay's. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

export function newSecret(overrides: Partial<NewSecret> = {}): NewSecret {
  return {
    id: newId(),
    envelope: randomBytes(1_100),
    accessVerifier: randomBytes(32),
    passphraseVerifier: null,
    manageVerifier: randomBytes(32),
    kdf: null,
    views: 1,
    createdAt: T0,
    expiresAt: T0 + HOUR,
    ...overrides,
  };
}

export interface RecordedEvent {
  type: 'commit' | 'dbError' | 'resolved';
  value: number | string;
}

export function recordingObserver(): StoreObserver & { events: RecordedEvent[]; batchSizes(): number[] } {
  const events: RecordedEvent[] = [];
  return {
    events,
    commit: (batchSize) => events.push({ type: 'commit', value: batchSize }),
    dbError: (operation) => events.push({ type: 'dbError', value: operation }),
    batchSizes: () => events.filter((e) => e.type === 'commit').map((e) => e.value as number),
  };
}

export function storeOptions(path: string, overrides: Partial<StoreOptions> = {}): StoreOptions {
  return {
    path,
    maxActiveSecrets: 100_000,
    maxStoreBytes: 1024 * 1024 * 1024,
    tombstoneRetentionMs: DAY,
    groupCommit: { maxBatch: 64, maxWaitMs: 0 },
    synchronous: 'FULL',
    ...overrides,
  };
}

export function openTestStore(path: string, overrides: Partial<StoreOptions> = {}): Store {
  return openStore(storeOptions(path, overrides));
}
