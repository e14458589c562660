// Creating a link: the relay's settings first (a secret it would refuse is
// refused before it is encrypted), then @psst/client's createLink seals the
// text or file and creates it. Then, for shares from menus and the keyboard:
// copy the link, remember the entry and tell the user. Every browser API
// comes in as a parameter.

import { type CreatePhase, createLink as createClientLink, type SecretInput } from '@psst/client/create-link';
import { entryFromCreate, type HistoryEntry } from '@psst/client/history';
import { type FetchLike, loadRelayConfig } from '@psst/client/relay-client';
import { hostPatternFor, normaliseRelayUrl } from '@psst/client/relay-url';
import { formatDuration } from '@psst/composer-ui/failure-words';
import { clampTtl, clampViews } from '@psst/composer-ui/limits';
import { t } from '@psst/i18n';
import type { RelayConfigResponse } from '@psst/protocol/api';
import type { KdfParams } from '@psst/protocol/limits';
import { describeFailure, type FailureWords } from './describe-failure';
import { NoHostPermissionError, NothingToShareError } from './errors';

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
  secret: SecretInput;
  ttl: number;
  views: number;
  passphrase?: string;
  label?: string;
  /** The relay's settings when the caller already has them; asked for otherwise. */
  config?: Readonly<RelayConfigResponse>;
  onPhase?: (phase: CreatePhase, fraction?: number) => void;
}

export interface CreatedLink {
  /** The full link: handed to the clipboard or the popup, never stored. */
  link: string;
  entry: HistoryEntry;
}

export async function createLink(deps: CreateLinkDeps, request: LinkRequest): Promise<CreatedLink> {
  if (request.secret.type === 'text' && request.secret.text === '') throw new NothingToShareError('composer');
  const relayUrl = normaliseRelayUrl(request.relayUrl);
  if (!(await deps.hasHostPermission(hostPatternFor(relayUrl)))) throw new NoHostPermissionError(relayUrl);
  const config = request.config ?? (await loadRelayConfig(deps.fetch, relayUrl)).config;
  const { link, created } = await createClientLink(deps.fetch, {
    relayUrl,
    secret: request.secret,
    ttl: request.ttl,
    views: request.views,
    config,
    ...(request.passphrase ? { passphrase: request.passphrase } : {}),
    ...(deps.kdf ? { kdf: deps.kdf } : {}),
    ...(request.onPhase ? { onPhase: request.onPhase } : {}),
  });
  const entry = entryFromCreate(
    relayUrl,
    created,
    { views: request.views, ...(request.label ? { label: request.label } : {}) },
    deps.now(),
  );
  return { link, entry };
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
 * becomes a link on the clipboard and a notification. `exact: false` (the
 * selection came from the menu's fallback) adds that line breaks may be lost.
 */
export async function shareText(
  deps: ShareDeps,
  text: string | Promise<string>,
  source: 'selection' | 'clipboard',
  exact = true,
): Promise<ShareOutcome> {
  try {
    const resolved = await text;
    if (resolved === '') throw new NothingToShareError(source);
    const settings = await deps.settings();
    const relayUrl = normaliseRelayUrl(settings.relayUrl);
    if (!(await deps.hasHostPermission(hostPatternFor(relayUrl)))) throw new NoHostPermissionError(relayUrl);
    // The defaults are bounded by what this relay allows, as the popup's choices are.
    const { config } = await loadRelayConfig(deps.fetch, relayUrl);
    const defaultTtl = clampTtl(settings.defaultTtl, config.maxTtlSeconds);
    const defaultViews = clampViews(settings.defaultViews, config.maxViews);
    const secret: SecretInput = { type: 'text', text: resolved };
    const { link, entry } = await createLink(deps, { relayUrl, secret, ttl: defaultTtl, views: defaultViews, config });
    // Saved first: if the clipboard fails, the entry is still there to revoke.
    await deps.saveEntry(entry);
    await deps.writeClipboard(link);
    const params = { count: defaultViews, duration: formatDuration(defaultTtl) };
    const notice: Notice = { title: 'psst', message: t(exact ? 'notification.shared' : 'notification.sharedInexact', params) };
    await deps.notify(notice);
    return { ok: true, entry, notice };
  } catch (error) {
    const words = describeFailure(error);
    await deps.notify(words).catch(() => {});
    return { ok: false, error, words };
  }
}
