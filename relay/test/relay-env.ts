// The relay settings the fault tests need, by the names relay/src/config.ts reads.
export const groupCommitOff: Record<string, string> = { PSST_GROUP_COMMIT_MAX_BATCH: '1' };

/** Short client timeouts, so slow clients are cut within seconds. */
export const shortTimeouts: Record<string, string> = {
  PSST_HEADERS_TIMEOUT_MS: '2000',
  PSST_REQUEST_TIMEOUT_MS: '3000',
  PSST_KEEP_ALIVE_TIMEOUT_MS: '1000',
};
/** How long the slow-client test waits for the relay to cut every slow connection. */
export const SLOW_CLIENT_CUT_MS = 15_000;

/** Caps the database file at `pages` pages (PRAGMA max_page_count). */
export function maxPageCount(pages: number): Record<string, string> {
  return { PSST_SQLITE_MAX_PAGE_COUNT: String(pages) };
}

/** A sweeper that runs every second. */
export const shortSweep: Record<string, string> = { PSST_SWEEP_INTERVAL_SECONDS: '1' };
