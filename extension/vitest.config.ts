// The extension's tests: lib/ and components with WXT's fake browser, and the
// end-to-end suite in Chromium (test/), which needs the built chrome-mv3 output.
import { configDefaults, defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { sourceConditions } from '../vitest.shared.ts';

export default defineConfig({
  ...sourceConditions,
  plugins: [WxtVitest({ root: import.meta.dirname })],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    name: 'extension',
    root: import.meta.dirname,
    include: ['lib/**/*.test.ts', 'components/**/*.test.tsx', 'test/**/*.test.ts'],
    setupFiles: ['test/i18n-setup.ts'],
    // The Firefox suites run in their own project (test-support/vitest.firefox.config.ts).
    exclude: [...configDefaults.exclude, 'test/**/*.firefox.test.ts'],
    // Resolve testing-library through Vite too, so it shares the components' single copy of preact.
    server: { deps: { inline: [/@testing-library\/preact/] } },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
