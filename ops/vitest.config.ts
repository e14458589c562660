import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../vitest.shared';

// The ops tests drive real tools (caddy, promtool, prometheus, node exporter,
// shellcheck) and a real relay; they are slow by nature, never flaky by design.
export default defineConfig({
  ...sourceConditions,
  test: {
    name: 'ops',
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // One file at a time: the smoke test and the others share a 2-core machine.
    fileParallelism: false,
  },
});
