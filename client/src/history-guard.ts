// Whether a value read back from storage (a browser's localStorage, the CLI's
// history file) is a HistoryEntry of history.ts: what every host checks before
// it uses an entry someone may have edited by hand or an older version wrote.
import type { EntryState, HistoryEntry } from './history.js';

/** Every EntryState; the type makes it complete. */
const STATES: Readonly<Record<EntryState, true>> = {
  waiting: true,
  viewed: true,
  expired: true,
  deleted: true,
  burned: true,
  missing: true,
};
const STRING_FIELDS = ['relayOrigin', 'id', 'manageToken', 'createdAt', 'expiresAt', 'nextCheckAt'] as const;

export function isHistoryEntry(value: unknown): value is HistoryEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    STRING_FIELDS.every((field) => typeof e[field] === 'string') &&
    typeof e.views === 'number' &&
    typeof e.viewsLeft === 'number' &&
    typeof e.checkIntervalSeconds === 'number' &&
    typeof e.state === 'string' &&
    Object.hasOwn(STATES, e.state) &&
    (e.readAt === null || typeof e.readAt === 'string') &&
    (e.label === undefined || typeof e.label === 'string')
  );
}
