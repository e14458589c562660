// The durability modes the benchmark compares (issue 8).

/** Group commit bounds used for the default mode, for the relay and for its storage ceiling alike. */
export const GROUP_COMMIT = { maxBatch: 64, maxWaitMs: 0 };

/** The durability modes of issue 8. */
export const MODES = {
  'full-group': { synchronous: 'FULL', ...GROUP_COMMIT, label: 'FULL + group commit' },
  'full-1': { synchronous: 'FULL', maxBatch: 1, maxWaitMs: 0, label: 'FULL, 1 commit/request' },
  'normal-1': { synchronous: 'NORMAL', maxBatch: 1, maxWaitMs: 0, label: 'NORMAL, no batching (ceiling)' },
};
