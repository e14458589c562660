// Polls the receipts of waiting links (each on its own back-off, see
// history.ts) and tells the user when one was viewed.

import { applyReceipt, type HistoryEntry, isDue, MAX_CHECK_SECONDS, nextCheckTime, replaceEntry } from '@psst/client/history';
import { type FetchLike, fetchReceipt } from '@psst/client/relay-client';
import { DEFAULT_TOMBSTONE_RETENTION_SECONDS } from '@psst/protocol/limits';

export const RECEIPT_ALARM = 'psst-receipts';
/** Chrome refuses alarms sooner than 30 s. */
export const MIN_ALARM_DELAY_MS = 30_000;
/** At most this many receipts per tick, so one tick stays short. */
export const MAX_CHECKS_PER_TICK = 20;

export interface ReceiptDeps {
  fetch: FetchLike;
  loadHistory(): Promise<HistoryEntry[]>;
  /** Read-modify-write of the stored history. */
  updateHistory(update: (entries: HistoryEntry[]) => HistoryEntry[]): Promise<void>;
  now(): Date;
  /** Called when a receipt shows a new view (the caller decides whether to notify). */
  onViewed(entry: HistoryEntry): Promise<void>;
}

/**
 * Checks every due entry (every waiting one with `force`, as when the popup
 * opens); returns when the next check is wanted, or null when none waits.
 */
export async function pollReceipts(deps: ReceiptDeps, options: { force?: boolean } = {}): Promise<number | null> {
  const now = deps.now();
  const waiting = (await deps.loadHistory()).filter((e) => (options.force ? e.state === 'waiting' : isDue(e, now)));
  const due = waiting.slice(0, MAX_CHECKS_PER_TICK);
  const updated: HistoryEntry[] = [];
  for (const entry of due) {
    let next: HistoryEntry;
    try {
      next = applyReceipt(entry, await fetchReceipt(deps.fetch, entry.relayOrigin, entry.id, entry.manageToken), now);
    } catch {
      // Relay unreachable or odd: try again later, backing off as if unchanged,
      // until even its tombstone would be gone; then it can only have expired.
      const interval = Math.min(entry.checkIntervalSeconds * 2, MAX_CHECK_SECONDS);
      const hopeless = now.getTime() >= Date.parse(entry.expiresAt) + DEFAULT_TOMBSTONE_RETENTION_SECONDS * 1000;
      next = hopeless
        ? { ...entry, state: 'expired' }
        : { ...entry, checkIntervalSeconds: interval, nextCheckAt: new Date(now.getTime() + interval * 1000).toISOString() };
    }
    updated.push(next);
    if (next.viewsLeft < entry.viewsLeft || (next.state === 'viewed' && entry.state !== 'viewed')) await deps.onViewed(next);
  }
  let remaining: number | null = null;
  await deps.updateHistory((entries) => {
    let result = entries;
    // Only entries still waiting in storage are replaced: a revoke in the meantime wins.
    for (const e of updated) {
      if (result.some((x) => x.id === e.id && x.relayOrigin === e.relayOrigin && x.state === 'waiting')) result = replaceEntry(result, e);
    }
    remaining = nextCheckTime(result);
    return result;
  });
  return remaining;
}

/** When to set the alarm for a wanted check time: never sooner than Chrome allows. */
export function alarmTime(wanted: number, now: Date): number {
  return Math.max(wanted, now.getTime() + MIN_ALARM_DELAY_MS);
}
