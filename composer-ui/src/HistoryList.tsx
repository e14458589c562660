// Links created from this browser, with their state from receipts, a revoke
// button for those still waiting, and Clear.
import { formatTime } from '@psst/client/format';
import type { HistoryEntry } from '@psst/client/history';

export function describeState(entry: HistoryEntry): string {
  switch (entry.state) {
    case 'waiting': {
      const seen = entry.viewsLeft < entry.views && entry.readAt ? `, last viewed ${formatTime(entry.readAt)}` : '';
      return `Waiting: ${entry.viewsLeft} of ${entry.views} views left${seen}, expires ${formatTime(entry.expiresAt)}`;
    }
    case 'viewed':
      return entry.readAt ? `Viewed ${formatTime(entry.readAt)}` : 'Viewed';
    case 'expired':
      return `Expired ${formatTime(entry.expiresAt)}`;
    case 'deleted':
      return 'Revoked';
    case 'burned':
      return 'Destroyed after too many wrong passphrases';
    case 'missing':
      return 'The relay no longer knows this link';
  }
}

export interface HistoryListProps {
  entries: HistoryEntry[];
  busyId: string | null;
  onRevoke(entry: HistoryEntry): void;
  onClear(): void;
  /** Asks the relay for fresh receipts now (the web composer; the extension polls on its own). */
  onRefresh?: () => void;
}

export function HistoryList({ entries, busyId, onRevoke, onClear, onRefresh }: HistoryListProps) {
  const waiting = entries.some((e) => e.state === 'waiting');
  return (
    <section class="history" aria-labelledby="history-title">
      <div class="row spread">
        <h2 id="history-title">Your links</h2>
        {entries.length > 0 && (
          <span class="row">
            {onRefresh && (
              <button type="button" class="link-button" onClick={onRefresh}>
                Refresh
              </button>
            )}
            <button type="button" class="link-button" onClick={onClear} aria-describedby={waiting ? 'history-clear-hint' : undefined}>
              Clear history
            </button>
          </span>
        )}
      </div>
      {waiting && (
        <p id="history-clear-hint" class="hint">
          Clearing forgets the links here only: those still waiting keep working, and can then no longer be revoked from here.
        </p>
      )}
      {entries.length === 0 ? (
        <p class="hint">Links you create appear here with whether they were viewed.</p>
      ) : (
        <ul>
          {entries.map((entry) => (
            <li key={`${entry.relayOrigin}/${entry.id}`} class={`entry state-${entry.state}`} data-id={entry.id}>
              <div class="entry-text">
                <strong>{entry.label ?? `Link …${entry.id.slice(-6)}`}</strong>
                <span class="state">{describeState(entry)}</span>
                <span class="hint">Created {formatTime(entry.createdAt)}</span>
              </div>
              {entry.state === 'waiting' && (
                <button
                  type="button"
                  class="secondary danger"
                  disabled={busyId === entry.id}
                  aria-label={`Revoke ${entry.label ?? `link …${entry.id.slice(-6)}`}`}
                  onClick={() => onRevoke(entry)}
                >
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
