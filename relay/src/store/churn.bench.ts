// The 100k create/reveal churn of issue 3, measured (not asserted): the file
// size (db + WAL) after each sweep, in two regimes. Run it with
//   cd /work/main && npx vitest run --config relay/src/store/vitest.bench.config.ts churn
// - "retained": 100 rounds of 1000 pairs, one simulated minute apart, with the
//   default one-day tombstone retention: every tombstone is still kept at the end
//   (the worst case: 100k secrets read within a day).
// - "steady": the same churn one simulated hour apart with a one-hour retention:
//   tombstones are purged as fast as they are made, so the file must plateau.
import { join } from 'node:path';
import { it } from 'vitest';
import { runChurn } from './churn.js';
import { DAY, HOUR, makeTempDir, openTestStore } from './test-fixtures.js';

const ROUNDS = 100;
const PAIRS = 1_000;

for (const regime of [
  { name: 'retained', retention: DAY, stepMs: 60_000 },
  { name: 'steady', retention: HOUR, stepMs: HOUR },
]) {
  it(`churns ${ROUNDS * PAIRS} create/reveal pairs (${regime.name})`, { timeout: 1_800_000 }, async () => {
    const temp = makeTempDir();
    const path = join(temp.dir, 'churn.db');
    const store = openTestStore(path, { tombstoneRetentionMs: regime.retention });
    try {
      const started = performance.now();
      const sizes = await runChurn(store, path, { rounds: ROUNDS, pairsPerRound: PAIRS, stepMs: regime.stepMs });
      const seconds = (performance.now() - started) / 1_000;
      const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(2)} MiB`;
      const every = (n: number) => sizes.filter((_, i) => (i + 1) % n === 0).map(mib);
      console.log(
        `churn ${regime.name}: ${ROUNDS * PAIRS} pairs in ${seconds.toFixed(1)} s; ` +
          `final ${mib(sizes.at(-1)!)}, max ${mib(Math.max(...sizes))}; every 10 rounds: ${every(10).join(', ')}`,
      );
    } finally {
      await store.close();
      temp.remove();
    }
  });
}
