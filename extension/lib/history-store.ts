// The stored history: serialised read-modify-writes, and the receipt alarm
// that follows it. Shared by the background and the popup.

import { applyReceipt, type HistoryEntry, replaceEntry } from '@psst/client/history';
import { deleteSecret, type FetchLike } from '@psst/client/relay-client';
import { alarmTime, pollReceipts, RECEIPT_ALARM, type ReceiptDeps } from './receipts';
import { historySetting } from './settings';

let queue: Promise<unknown> = Promise.resolve();

/** Read-modify-write of the history, one at a time within this page or worker. */
export function updateHistory(update: (entries: HistoryEntry[]) => HistoryEntry[]): Promise<void> {
  const run = queue.then(async () => historySetting.setValue(update(await historySetting.getValue())));
  queue = run.catch(() => {});
  return run;
}

export interface AlarmsLike {
  create(name: string, info: { when: number }): unknown;
  clear(name: string): Promise<boolean>;
}

/** One alarm for all receipts, set for the earliest wanted check, cleared when nothing waits. */
export async function scheduleReceipts(alarms: AlarmsLike, next: number | null): Promise<void> {
  if (next === null) await alarms.clear(RECEIPT_ALARM);
  else await alarms.create(RECEIPT_ALARM, { when: alarmTime(next, new Date()) });
}

export function receiptDeps(fetchFn: FetchLike, onViewed: ReceiptDeps['onViewed']): ReceiptDeps {
  return { fetch: fetchFn, loadHistory: () => historySetting.getValue(), updateHistory, now: () => new Date(), onViewed };
}

export async function refreshReceipts(fetchFn: FetchLike, alarms: AlarmsLike, options: { force?: boolean } = {}): Promise<void> {
  await scheduleReceipts(
    alarms,
    await pollReceipts(
      receiptDeps(fetchFn, async () => {}),
      options,
    ),
  );
}

/** Deletes the secret on its relay (404 means it was already gone) and marks the entry. */
export async function revokeEntry(fetchFn: FetchLike, entry: HistoryEntry, now: Date): Promise<void> {
  const deleted = await deleteSecret(fetchFn, entry.relayOrigin, entry.id, entry.manageToken);
  const next: HistoryEntry = deleted ? { ...entry, state: 'deleted', viewsLeft: 0 } : applyReceipt(entry, null, now);
  await updateHistory((entries) => replaceEntry(entries, next));
}
