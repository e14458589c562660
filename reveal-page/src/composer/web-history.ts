// "Your links" of the web composer: the history entries of @psst/client kept
// in this browser's localStorage, as the extension keeps its own (id, manage
// token, times, label; never the key, the link, the passphrase or the text).
import { addEntry, applyReceipt, type HistoryEntry, replaceEntry } from '@psst/client/history';
import { isHistoryEntry } from '@psst/client/history-guard';
import { deleteSecret, type FetchLike, fetchReceipt } from '@psst/client/relay-client';

export const HISTORY_KEY = 'psst:history';
/** At most this many receipts per refresh, so one refresh stays short. */
const MAX_CHECKS = 20;

/** The stored entries; anything unreadable (storage off, edited by hand) is skipped, never thrown. */
export function loadHistory(storage: Storage | undefined): HistoryEntry[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(HISTORY_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isHistoryEntry) : [];
  } catch {
    return [];
  }
}

export function saveHistory(storage: Storage | undefined, entries: readonly HistoryEntry[]): void {
  try {
    if (entries.length === 0) storage?.removeItem(HISTORY_KEY);
    else storage?.setItem(HISTORY_KEY, JSON.stringify(entries));
  } catch {
    // Storage can be disabled or full: the list then lasts as long as the page.
  }
}

export interface HistoryDeps {
  fetch: FetchLike;
  storage: Storage | undefined;
  now(): Date;
}

export function rememberLink(deps: HistoryDeps, entry: HistoryEntry): HistoryEntry[] {
  const next = addEntry(loadHistory(deps.storage), entry);
  saveHistory(deps.storage, next);
  return next;
}

/** Asks the relay for the receipt of every waiting link (a relay that cannot answer leaves the entry as it was). */
export async function refreshHistory(deps: HistoryDeps): Promise<HistoryEntry[]> {
  const waiting = loadHistory(deps.storage)
    .filter((e) => e.state === 'waiting')
    .slice(0, MAX_CHECKS);
  const updated = await Promise.all(
    waiting.map(async (entry) => {
      try {
        return applyReceipt(entry, await fetchReceipt(deps.fetch, entry.relayOrigin, entry.id, entry.manageToken), deps.now());
      } catch {
        return entry;
      }
    }),
  );
  // Re-read: another tab (or a revoke meanwhile) may have changed the list; only entries still waiting are replaced.
  let entries = loadHistory(deps.storage);
  for (const e of updated) {
    if (entries.some((x) => x.id === e.id && x.relayOrigin === e.relayOrigin && x.state === 'waiting')) entries = replaceEntry(entries, e);
  }
  saveHistory(deps.storage, entries);
  return entries;
}

/** Deletes the secret on its relay (404: it was already gone) and marks the entry. */
export async function revokeLink(deps: HistoryDeps, entry: HistoryEntry): Promise<HistoryEntry[]> {
  const deleted = await deleteSecret(deps.fetch, entry.relayOrigin, entry.id, entry.manageToken);
  const next: HistoryEntry = deleted ? { ...entry, state: 'deleted', viewsLeft: 0 } : applyReceipt(entry, null, deps.now());
  const entries = replaceEntry(loadHistory(deps.storage), next);
  saveHistory(deps.storage, entries);
  return entries;
}
