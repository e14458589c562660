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
    // English, as the browsers are told to speak (test-support/firefox.ts): the words the cases expect.
    setupFiles: [join(import.meta.dirname, 'english.ts')],
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
