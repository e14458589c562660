// The Firefox suites (`*.firefox.test.ts` of every package) as one vitest
// project, so they run, and are timed, together: `npx vitest run --project firefox`.
// Debian's firefox-esr is required (scripts/setup.sh installs it); nothing is skipped.
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../vitest.shared.ts';

export default defineConfig({
  ...sourceConditions,
  test: {
    name: 'firefox',
    root: join(import.meta.dirname, '..'),
    include: ['*/test/**/*.firefox.test.ts'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
