// The create/reveal churn shared by churn.test.ts and churn.bench.ts: rounds
// of concurrent creates then reveals, one simulated hour apart, each followed
// by a sweep; returns the size of the file (db + WAL) after every sweep.
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { HOUR, newSecret, T0 } from './test-fixtures.js';
import type { Store } from './types.js';

export interface ChurnOptions {
  rounds: number;
  pairsPerRound: number;
  /** Envelope size in bytes; 1100 is a short text secret. */
  envelopeBytes?: number;
  /** Simulated time between rounds; default one hour. */
  stepMs?: number;
}

export function fileBytes(path: string): number {
  return [path, `${path}-wal`].reduce((sum, file) => sum + (existsSync(file) ? statSync(file).size : 0), 0);
}

/** Secrets live one hour; the store keeps tombstones for its retention, i.e. retention / stepMs rounds of them. */
export async function runChurn(store: Store, path: string, options: ChurnOptions): Promise<number[]> {
  const sizes: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const now = T0 + round * (options.stepMs ?? HOUR);
    const secrets = Array.from({ length: options.pairsPerRound }, () =>
      newSecret({ envelope: randomBytes(options.envelopeBytes ?? 1_100), createdAt: now, expiresAt: now + HOUR }),
    );
    const created = await Promise.all(secrets.map((secret) => store.create(secret)));
    if (created.some((result) => result.kind !== 'created')) throw new Error('churn: a create failed');
    const revealed = await Promise.all(secrets.map((secret) => store.reveal(secret.id, now + 1)));
    if (revealed.some((result) => result.kind !== 'revealed')) throw new Error('churn: a reveal failed');
    await store.sweep(now + 2);
    sizes.push(fileBytes(path));
  }
  return sizes;
}
