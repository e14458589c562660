import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../vitest.shared.js';

export default defineConfig({
  ...sourceConditions,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    name: 'composer-ui',
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
    setupFiles: ['../test-support/english.ts'],
    // Resolve testing-library through Vite too, so it shares the UI's single copy of preact.
    server: { deps: { inline: [/@testing-library\/preact/] } },
    testTimeout: 60_000,
  },
});
