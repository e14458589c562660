// The SQLite file's hard cap (PRAGMA max_page_count) when the operator sets none: derived from the quotas, so
// that the file can hold everything they let in and no sequence of requests grows it further. The quotas
// are what normally refuses a create; the cap is the backstop, and creates stop `reservePages` short of it
// so that a reveal, a delete or the sweep (which erase, and need a page only to rebalance) always find room.
import type { CommonStoreOptions } from './types.js';

/** SQLite's default page size, which the relay never changes. */
export const PAGE_SIZE = 4_096;
/**
 * File bytes an active secret may take beyond its envelope: its row and index entries, its client's and
 * network's usage rows, and the worst case of partly filled pages (an envelope just over a page spills a few
 * bytes onto an overflow page of its own). Two pages is more than any envelope size needs.
 */
export const ACTIVE_OVERHEAD_BYTES = 2 * PAGE_SIZE;
/** A tombstone (row, id and expiry index entries, usage rows, pages a third empty after deletes): ~0.25 KB measured, 1 KiB allowed. */
export const TOMBSTONE_BYTES = 1_024;
/** The schema, the usage and key tables' root pages, the pointer maps of auto_vacuum: a fixed 1 MiB. */
export const BASE_PAGES = 256;

export function derivedMaxPageCount(
  limits: Pick<CommonStoreOptions, 'maxActiveSecrets' | 'maxStoreBytes'> & { maxTombstones: number },
): number {
  // Overflow pages keep 4 of their 4 096 bytes for the link to the next one.
  const envelopes = limits.maxStoreBytes * (PAGE_SIZE / (PAGE_SIZE - 4));
  const bytes = envelopes + limits.maxActiveSecrets * ACTIVE_OVERHEAD_BYTES + limits.maxTombstones * TOMBSTONE_BYTES;
  return Math.ceil(bytes / PAGE_SIZE) + BASE_PAGES;
}

/**
 * Pages kept free for what must never be refused: 2 % of the cap, at least 64 pages and at most 4 096 (16 MiB);
 * a quarter of a cap smaller than 256 pages (a test's), so that such a file still takes a few creates.
 */
export function reservePages(maxPageCount: number): number {
  return Math.min(4_096, Math.max(64, Math.floor(maxPageCount / 50)), Math.floor(maxPageCount / 4));
}
