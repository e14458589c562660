import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../vitest.shared';

export default defineConfig({
  ...sourceConditions,
  test: { name: 'protocol', include: ['src/**/*.test.ts'], testTimeout: 120_000 },
});
