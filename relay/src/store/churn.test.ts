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

it('keeps the file bounded over 6000 create/reveal pairs with sweeps', async () => {
  const sizes = await runChurn(store, path, { rounds: 12, pairsPerRound: 500 });
  const firstHalf = Math.max(...sizes.slice(0, 6));
  const secondHalf = Math.max(...sizes.slice(6));
  console.log(`churn: file bytes after each sweep: ${sizes.join(' ')}`);
  expect(store.stats()).toEqual({ activeSecrets: 0, storedBytes: 0 });
  expect(secondHalf).toBeLessThanOrEqual(firstHalf);
});
