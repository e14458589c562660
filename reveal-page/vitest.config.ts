import { configDefaults, defineConfig } from 'vitest/config';
import { sourceConditions } from '../vitest.shared.js';

export default defineConfig({
  ...sourceConditions,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    name: 'reveal-page',
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    // The Firefox suites run in their own project (test-support/vitest.firefox.config.ts).
    exclude: [...configDefaults.exclude, 'test/**/*.firefox.test.ts'],
    environment: 'node',
    setupFiles: ['../test-support/english.ts'],
    // Resolve testing-library through Vite too, so it shares the page's single copy of preact.
    server: { deps: { inline: [/@testing-library\/preact/] } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
