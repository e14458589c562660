// Create/reveal churn: once tombstones are purged at the pace they are made,
// the file stops growing (erased pages are reused or handed back by the sweep).
// The 100k-pair measurement for the report lives in churn.bench.ts.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runChurn } from './churn.js';
import { HOUR, makeTempDir, openTestStore } from './test-fixtures.js';
import type { Store } from './types.js';

let temp: ReturnType<typeof makeTempDir>;
let store: Store;
let path: string;

beforeEach(() => {
  temp = makeTempDir();
  path = join(temp.dir, 'psst.db');
  store = openTestStore(path, { tombstoneRetentionMs: HOUR });
});

afterEach(async () => {
  await store.close();
  temp.remove();
});

it('keeps the file bounded over 8000 create/reveal pairs with sweeps', async () => {
  const sizes = await runChurn(store, path, { rounds: 20, pairsPerRound: 400 });
  console.log(`churn: file bytes after each sweep: ${sizes.join(' ')}`);
  expect(await store.stats()).toEqual({ activeSecrets: 0, storedBytes: 0 });
  // Plateaus after a few rounds; random ids may still shift the b-trees by a page or two.
  // Unbounded growth would add a round's tombstones (400 x ~200 B) per round, 800 KB over the second half.
  const firstHalf = Math.max(...sizes.slice(0, 10));
  const secondHalf = Math.max(...sizes.slice(10));
  expect(secondHalf).toBeLessThanOrEqual(firstHalf + 16 * 4096);
});

it('keeps tombstones compact: erasing a 1.1 KB envelope gives its pages back', async () => {
  // One round, tombstones retained: 5000 read secrets cost their metadata, not their envelopes.
  const sizes = await runChurn(store, path, { rounds: 1, pairsPerRound: 5_000 });
  console.log(`tombstones: ${(sizes[0]! / 5_000).toFixed(0)} file bytes each`);
  expect(sizes[0]! / 5_000).toBeLessThan(500);
});
