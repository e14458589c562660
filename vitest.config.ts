// One vitest run over every package (vitest projects).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'protocol',
      'client',
      'composer-ui',
      'relay',
      'reveal-ui',
      'reveal-page',
      'extension',
      'ops',
      'cli',
      'i18n',
      'test-support/vitest.firefox.config.ts',
    ],
  },
});
