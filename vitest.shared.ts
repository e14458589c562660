// Shared vitest settings: resolve workspace packages to their TypeScript
// sources (the "source" export condition), so tests never run a stale dist/.
import type { ViteUserConfig } from 'vitest/config';

export const sourceConditions: Pick<ViteUserConfig, 'resolve' | 'ssr'> = {
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'development|production'] } },
};
