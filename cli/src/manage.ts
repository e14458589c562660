// `psst status`, `psst revoke` and `psst list`: the creator's side, through
// the manage tokens of the local history (receipt and delete of @psst/client).
import { applyReceipt, type HistoryEntry } from '@psst/client/history';
import { deleteSecret, fetchReceipt } from '@psst/client/relay-client';
import { CliError, EXIT } from './exit-codes.js';
import { findEntry, loadHistory, updateEntry } from './history-file.js';
import { bold, dim, say } from './ui.js';
import { describeExpiry, formatWhen, relayFailure } from './words.js';

interface JsonOption {
  json?: boolean;
}

/** What a person reads about one entry: "waiting: 1 of 1 views left, expires in 59 minutes (…)". */
export function describeEntry(entry: HistoryEntry, now = Date.now()): string {
  switch (entry.state) {
    case 'waiting':
      return `waiting: ${entry.viewsLeft} of ${entry.views} ${entry.views === 1 ? 'view' : 'views'} left, ${describeExpiry(entry.expiresAt, now)}`;
    case 'viewed':
      return `viewed${entry.readAt ? ` at ${formatWhen(entry.readAt)}` : ''}`;
    case 'expired':
      return `expired unread at ${formatWhen(entry.expiresAt)}`;
    case 'deleted':
      return 'deleted';
    case 'burned':
      return 'destroyed after too many wrong passphrases';
    case 'missing':
      return 'unknown to the relay (purged)';
  }
}

/** The public part of an entry: everything but the manage token. */
function publicEntry(entry: HistoryEntry) {
  const { manageToken: _token, nextCheckAt: _next, checkIntervalSeconds: _interval, ...rest } = entry;
  return rest;
}

export async function runStatus(idOrLink: string | undefined, options: JsonOption): Promise<void> {
  const entry = findEntry(loadHistory(), idOrLink);
  const receipt = await fetchReceipt(fetch, entry.relayOrigin, entry.id, entry.manageToken).catch((error: unknown) => {
    throw relayFailure(error);
  });
  const updated = applyReceipt(entry, receipt, new Date());
  updateEntry(updated);
  if (options.json) process.stdout.write(`${JSON.stringify({ ...publicEntry(updated), receipt })}\n`);
  else process.stdout.write(`${updated.id}  ${describeEntry(updated)}${updated.label ? `  ${dim(updated.label, process.stdout)}` : ''}\n`);
  if (receipt === null)
    throw new CliError(EXIT.gone, 'not_found', `The relay no longer knows ${entry.id}: it is gone and its record was purged.`);
}

export async function runRevoke(idOrLink: string, options: JsonOption): Promise<void> {
  const entry = findEntry(loadHistory(), idOrLink);
  const deleted = await deleteSecret(fetch, entry.relayOrigin, entry.id, entry.manageToken).catch((error: unknown) => {
    throw relayFailure(error);
  });
  if (deleted) {
    updateEntry({ ...entry, state: 'deleted', viewsLeft: 0 });
    if (options.json) process.stdout.write(`${JSON.stringify({ id: entry.id, deleted: true })}\n`);
    say(`Deleted ${entry.id}: the link no longer opens.`);
    return;
  }
  // 404: read out, expired, already deleted, burned, or purged. The receipt tells which, when it still exists.
  const receipt = await fetchReceipt(fetch, entry.relayOrigin, entry.id, entry.manageToken).catch(() => null);
  const updated = applyReceipt(entry, receipt, new Date());
  updateEntry(updated);
  if (options.json) process.stdout.write(`${JSON.stringify({ id: entry.id, deleted: false, state: updated.state })}\n`);
  throw new CliError(EXIT.gone, 'not_found', `Nothing to delete: ${entry.id} is already ${describeEntry(updated)}.`, {
    state: updated.state,
  });
}

export function runList(options: JsonOption): void {
  const entries = loadHistory();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(entries.map(publicEntry))}\n`);
    return;
  }
  if (entries.length === 0) {
    say('No links created on this computer yet.');
    return;
  }
  const now = Date.now();
  for (const entry of entries) {
    const label = entry.label ? `  ${bold(entry.label, process.stdout)}` : '';
    process.stdout.write(
      `${entry.id}  ${formatWhen(entry.createdAt)}  ${describeEntry(entry, now)}${label}  ${dim(entry.relayOrigin, process.stdout)}\n`,
    );
  }
  say(dim('Last known states; psst status ID asks the relay.'));
}
