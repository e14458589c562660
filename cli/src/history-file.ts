// The links created on this computer, for `psst status`, `revoke` and `list`:
// $XDG_STATE_HOME/psst/history.json, mode 0600. It holds what
// @psst/client/history keeps (id, relay, manage token, times, views, label),
// never a key, a link, a passphrase or the text.
import { addEntry, type HistoryEntry, replaceEntry } from '@psst/client/history';
import { isHistoryEntry } from '@psst/client/history-guard';
import { isSecretId } from '@psst/protocol/link';
import { CliError, EXIT } from './exit-codes.js';
import { historyPath } from './paths.js';
import { readJsonFile, withFileLock, writePrivateJson } from './private-file.js';

interface HistoryFile {
  version: 1;
  entries: HistoryEntry[];
}

export function loadHistory(path = historyPath()): HistoryEntry[] {
  const data = readJsonFile(path);
  if (data === undefined) return [];
  const entries = (data as Partial<HistoryFile>)?.entries;
  if (!Array.isArray(entries)) throw new CliError(EXIT.local, 'file_damaged', `${path} is not a psst history file: fix or remove it`);
  return entries.filter(isHistoryEntry);
}

export function saveHistory(entries: HistoryEntry[], path = historyPath()): void {
  writePrivateJson(path, { version: 1, entries } satisfies HistoryFile);
}

export function rememberEntry(entry: HistoryEntry, path = historyPath()): void {
  withFileLock(path, () => saveHistory(addEntry(loadHistory(path), entry), path));
}

export function updateEntry(entry: HistoryEntry, path = historyPath()): void {
  withFileLock(path, () => saveHistory(replaceEntry(loadHistory(path), entry), path));
}

/** ID or link (only its id is used; its key is ignored). Without one: the newest entry. */
export function findEntry(entries: readonly HistoryEntry[], idOrLink: string | undefined): HistoryEntry {
  if (entries.length === 0)
    throw new CliError(EXIT.gone, 'not_in_history', 'The history of this computer is empty: no link was created here yet.');
  if (idOrLink === undefined) return entries[0] as HistoryEntry;
  const id = idOf(idOrLink);
  const found = entries.find((e) => e.id === id);
  if (!found)
    throw new CliError(
      EXIT.gone,
      'not_in_history',
      `No secret ${id} in the history of this computer (psst list shows them): only links created here can be followed.`,
    );
  return found;
}

/** The id of an ID or a link; never echoes a link's fragment. */
export function idOf(idOrLink: string): string {
  const value = idOrLink.trim();
  if (isSecretId(value)) return value;
  // A link's id, with or without its key: only the path is looked at.
  const id = /\/s\/([^/?#]*)(?:[?#]|$)/.exec(value)?.[1];
  if (id !== undefined && isSecretId(id)) return id;
  throw new CliError(EXIT.usage, 'invalid_id', 'This is neither a secret id (22 characters) nor a psst link.');
}
