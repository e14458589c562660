// Median and spread of repeated runs.

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of every per-run figure, plus the min and max of the throughput. */
export function summarize(runs) {
  const pick = (key) => runs.map((r) => r[key]).filter((v) => typeof v === 'number');
  const rps = pick('rps');
  return {
    rps: median(rps),
    rpsMin: Math.min(...rps),
    rpsMax: Math.max(...rps),
    p50Ms: median(pick('p50Ms')),
    p99Ms: median(pick('p99Ms')),
    p99MsMax: Math.max(...pick('p99Ms')),
    cpuSecondsPer1k: median(pick('cpuSecondsPer1k')),
    errors: pick('errors').reduce((a, b) => a + b, 0),
    statusErrors: pick('statusErrors').reduce((a, b) => a + b, 0),
  };
}
