// The list of links created from this browser and how receipts move them
// between states. Pure functions: the storage item lives in settings.ts.
import type { CreateSecretResponse, ReceiptResponse } from '@psst/protocol/api';

/** waiting: still readable; viewed: read out; missing: the relay no longer knows it. */
export type EntryState = 'waiting' | 'viewed' | 'expired' | 'deleted' | 'burned' | 'missing';

/** What history keeps: never the key, the passphrase, the text or the full link. */
export interface HistoryEntry {
  /** The relay URL the secret was created on (origin plus any path prefix). */
  relayOrigin: string;
  id: string;
  /** The creator's credential for receipt and delete. */
  manageToken: string;
  createdAt: string;
  expiresAt: string;
  views: number;
  viewsLeft: number;
  state: EntryState;
  /** Time of the last view, from the receipt. */
  readAt: string | null;
  label?: string;
  /** When the receipt poller looks next, and the current back-off. */
  nextCheckAt: string;
  checkIntervalSeconds: number;
}

export const MAX_HISTORY = 100;
export const FIRST_CHECK_SECONDS = 60;
export const MAX_CHECK_SECONDS = 3600;

export function entryFromCreate(
  relayOrigin: string,
  created: CreateSecretResponse,
  options: { views: number; label?: string },
  now: Date,
): HistoryEntry {
  const entry: HistoryEntry = {
    relayOrigin,
    id: created.id,
    manageToken: created.manageToken,
    createdAt: now.toISOString(),
    expiresAt: created.expiresAt,
    views: options.views,
    viewsLeft: options.views,
    state: 'waiting',
    readAt: null,
    nextCheckAt: new Date(now.getTime() + FIRST_CHECK_SECONDS * 1000).toISOString(),
    checkIntervalSeconds: FIRST_CHECK_SECONDS,
  };
  const label = options.label?.trim();
  if (label) entry.label = label;
  return entry;
}

/** Newest first, at most MAX_HISTORY entries. */
export function addEntry(entries: readonly HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  return [entry, ...entries.filter((e) => !(e.id === entry.id && e.relayOrigin === entry.relayOrigin))].slice(0, MAX_HISTORY);
}

export function replaceEntry(entries: readonly HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  return entries.map((e) => (e.id === entry.id && e.relayOrigin === entry.relayOrigin ? entry : e));
}

const STATE_OF: Record<ReceiptResponse['state'], EntryState> = {
  active: 'waiting',
  read: 'viewed',
  expired: 'expired',
  deleted: 'deleted',
  burned: 'burned',
};

/**
 * Applies a receipt (null: the relay answered 404). An unchanged waiting entry
 * backs off (doubling up to MAX_CHECK_SECONDS); a new view resets the back-off.
 */
export function applyReceipt(entry: HistoryEntry, receipt: ReceiptResponse | null, now: Date): HistoryEntry {
  if (receipt === null) {
    return { ...entry, state: now.getTime() >= Date.parse(entry.expiresAt) ? 'expired' : 'missing' };
  }
  const state = STATE_OF[receipt.state];
  const sawView = receipt.viewsLeft < entry.viewsLeft;
  const interval = sawView ? FIRST_CHECK_SECONDS : Math.min(entry.checkIntervalSeconds * 2, MAX_CHECK_SECONDS);
  // Never wait past the expiry: one last look then tells us it expired.
  const next = Math.min(now.getTime() + interval * 1000, Math.max(Date.parse(receipt.expiresAt), now.getTime()) + 1000);
  return {
    ...entry,
    state,
    expiresAt: receipt.expiresAt,
    viewsLeft: receipt.viewsLeft,
    readAt: receipt.readAt,
    checkIntervalSeconds: interval,
    nextCheckAt: new Date(next).toISOString(),
  };
}

export function isDue(entry: HistoryEntry, now: Date): boolean {
  return entry.state === 'waiting' && Date.parse(entry.nextCheckAt) <= now.getTime();
}

/** The earliest time any waiting entry wants a look, or null when none waits. */
export function nextCheckTime(entries: readonly HistoryEntry[]): number | null {
  let next: number | null = null;
  for (const e of entries) {
    if (e.state !== 'waiting') continue;
    const t = Date.parse(e.nextCheckAt);
    if (next === null || t < next) next = t;
  }
  return next;
}
