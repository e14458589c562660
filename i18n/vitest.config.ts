import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../vitest.shared.js';

export default defineConfig({
  ...sourceConditions,
  test: {
    name: 'i18n',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
  },
});
