// Links created from this browser, with their state from receipts, a revoke
// button for those still waiting, and Clear.
import type { HistoryEntry } from '@psst/client/history';
import { formatDate, t } from '@psst/i18n';

/** A stored time in the reader's language and time zone. */
const formatTime = (iso: string): string => formatDate(new Date(iso));

export function describeState(entry: HistoryEntry): string {
  switch (entry.state) {
    case 'waiting': {
      const words = { count: entry.views, left: entry.viewsLeft, expires: formatTime(entry.expiresAt) };
      return entry.viewsLeft < entry.views && entry.readAt
        ? t('history.waitingSeen', { ...words, seen: formatTime(entry.readAt) })
        : t('history.waiting', words);
    }
    case 'viewed':
      return entry.readAt ? t('history.viewedAt', { date: formatTime(entry.readAt) }) : t('history.viewed');
    case 'expired':
      return t('history.expired', { date: formatTime(entry.expiresAt) });
    case 'deleted':
      return t('history.revoked');
    case 'burned':
      return t('history.burned');
    case 'missing':
      return t('history.missing');
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
        <h2 id="history-title">{t('history.title')}</h2>
        {entries.length > 0 && (
          <span class="row">
            {onRefresh && (
              <button type="button" class="link-button" onClick={onRefresh}>
                {t('history.refresh')}
              </button>
            )}
            <button type="button" class="link-button" onClick={onClear} aria-describedby={waiting ? 'history-clear-hint' : undefined}>
              {t('history.clear')}
            </button>
          </span>
        )}
      </div>
      {waiting && (
        <p id="history-clear-hint" class="hint">
          {t('history.clearHint')}
        </p>
      )}
      {entries.length === 0 ? (
        <p class="hint">{t('history.empty')}</p>
      ) : (
        <ul>
          {entries.map((entry) => (
            <li key={`${entry.relayOrigin}/${entry.id}`} class={`entry state-${entry.state}`} data-id={entry.id}>
              <div class="entry-text">
                <strong dir="auto">{entry.label ?? t('history.unnamed', { id: entry.id.slice(-6) })}</strong>
                <span class="state">{describeState(entry)}</span>
                <span class="hint">{t('history.created', { date: formatTime(entry.createdAt) })}</span>
              </div>
              {entry.state === 'waiting' && (
                <button
                  type="button"
                  class="secondary danger"
                  disabled={busyId === entry.id}
                  aria-label={
                    entry.label !== undefined
                      ? t('history.revokeNamed', { label: entry.label })
                      : t('history.revokeUnnamed', { id: entry.id.slice(-6) })
                  }
                  onClick={() => onRevoke(entry)}
                >
                  {t('history.revoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
