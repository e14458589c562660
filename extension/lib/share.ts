// Creating a link: seal the text with the protocol, create it on the relay,
// build the link. Then, for shares from menus and the keyboard: copy the link,
// remember the entry and tell the user. Every browser API comes in as a parameter.

import { describeCreated } from '@psst/client/format';
import { entryFromCreate, type HistoryEntry } from '@psst/client/history';
import { createSecret, type FetchLike } from '@psst/client/relay-client';
import { encodeB64u } from '@psst/protocol/b64u';
import type { KdfParams } from '@psst/protocol/limits';
import { buildLink } from '@psst/protocol/link';
import { sealSecret } from '@psst/protocol/secret';
import { describeFailure, type FailureWords } from './describe-failure';
import { NoHostPermissionError, NothingToShareError } from './errors';
import { hostPatternFor, normaliseRelayUrl } from '@psst/client/relay-url';

export interface CreateLinkDeps {
  fetch: FetchLike;
  /** permissions.contains for one origin pattern. */
  hasHostPermission(pattern: string): Promise<boolean>;
  now(): Date;
  /** scrypt parameters; the protocol default when omitted (tests pass smaller ones). */
  kdf?: KdfParams;
}

export interface LinkRequest {
  relayUrl: string;
  text: string;
  ttl: number;
  views: number;
  passphrase?: string;
  label?: string;
}

export interface CreatedLink {
  /** The full link: handed to the clipboard or the popup, never stored. */
  link: string;
  entry: HistoryEntry;
}

export async function createLink(deps: CreateLinkDeps, request: LinkRequest): Promise<CreatedLink> {
  if (request.text === '') throw new NothingToShareError('composer');
  const relayUrl = normaliseRelayUrl(request.relayUrl);
  if (!(await deps.hasHostPermission(hostPatternFor(relayUrl)))) throw new NoHostPermissionError(relayUrl);
  const passphrase = request.passphrase === '' ? undefined : request.passphrase;
  const sealed = await sealSecret({
    meta: { type: 'text' },
    body: request.text,
    ...(passphrase !== undefined ? { passphrase } : {}),
    ...(deps.kdf ? { kdf: deps.kdf } : {}),
  });
  const created = await createSecret(deps.fetch, relayUrl, {
    envelope: encodeB64u(sealed.envelope),
    accessVerifier: sealed.accessVerifier,
    ...(sealed.passphraseVerifier ? { passphraseVerifier: sealed.passphraseVerifier } : {}),
    ttl: request.ttl,
    views: request.views,
  });
  const entry = entryFromCreate(
    relayUrl,
    created,
    { views: request.views, ...(request.label ? { label: request.label } : {}) },
    deps.now(),
  );
  return { link: buildLink(relayUrl, created.id, sealed.key), entry };
}

export interface Notice extends FailureWords {}

export interface ShareDeps extends CreateLinkDeps {
  settings(): Promise<{ relayUrl: string; defaultTtl: number; defaultViews: number }>;
  writeClipboard(text: string): Promise<void>;
  saveEntry(entry: HistoryEntry): Promise<void>;
  notify(notice: Notice): Promise<void>;
}

export type ShareOutcome = { ok: true; entry: HistoryEntry; notice: Notice } | { ok: false; error: unknown; words: FailureWords };

/**
 * The one-gesture share: text (already read from the selection or clipboard)
 * becomes a link on the clipboard and a notification. `note` adds a caveat to
 * the success message (e.g. line breaks may have been lost).
 */
export async function shareText(
  deps: ShareDeps,
  text: string | Promise<string>,
  source: 'selection' | 'clipboard',
  note?: string,
): Promise<ShareOutcome> {
  try {
    const resolved = await text;
    if (resolved === '') throw new NothingToShareError(source);
    const { relayUrl, defaultTtl, defaultViews } = await deps.settings();
    const { link, entry } = await createLink(deps, { relayUrl, text: resolved, ttl: defaultTtl, views: defaultViews });
    // Saved first: if the clipboard fails, the entry is still there to revoke.
    await deps.saveEntry(entry);
    await deps.writeClipboard(link);
    const message = describeCreated(defaultViews, defaultTtl, true);
    const notice: Notice = { title: 'psst', message: note ? `${message}. ${note}` : message };
    await deps.notify(notice);
    return { ok: true, entry, notice };
  } catch (error) {
    const words = describeFailure(error);
    await deps.notify(words).catch(() => {});
    return { ok: false, error, words };
  }
}
