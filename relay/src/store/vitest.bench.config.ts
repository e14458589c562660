// Runs the store's measurement scripts (*.bench.ts), which the test suite leaves out:
//   cd /work/main && npx vitest run --config relay/src/store/vitest.bench.config.ts [churn|commit-rate]
import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../../vitest.shared';

export default defineConfig({
  ...sourceConditions,
  root: new URL('.', import.meta.url).pathname,
  test: { name: 'relay-store-bench', include: ['*.bench.ts'], testTimeout: 1_800_000, fileParallelism: false },
});
