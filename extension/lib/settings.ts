// Every extension setting, each a WXT storage item with its fallback, and the
// history of created links. Nothing here ever holds a plaintext, a key, a
// passphrase or a full link.

import type { HistoryEntry } from '@psst/client/history';
import { FALLBACK_RELAY_URL, normaliseRelayUrl } from '@psst/client/relay-url';
import { DEFAULT_VIEWS } from '@psst/protocol/limits';
import { storage } from 'wxt/utils/storage';

/** The relay this build was made for (WXT_PSST_RELAY_URL at build time). */
export const DEFAULT_RELAY_URL = normaliseRelayUrl(import.meta.env.WXT_PSST_RELAY_URL || FALLBACK_RELAY_URL);

export const DEFAULT_TTL_SECONDS = 3600;

export const relayUrlSetting = storage.defineItem<string>('local:relayUrl', { fallback: DEFAULT_RELAY_URL });
export const defaultTtlSetting = storage.defineItem<number>('local:defaultTtl', { fallback: DEFAULT_TTL_SECONDS });
export const defaultViewsSetting = storage.defineItem<number>('local:defaultViews', { fallback: DEFAULT_VIEWS });
/** Copy the link to the clipboard as soon as the popup creates it (shares from menus always copy). */
export const autoCopySetting = storage.defineItem<boolean>('local:autoCopy', { fallback: true });
/** Notify "Your secret was viewed" when a receipt says so. */
export const receiptNotificationsSetting = storage.defineItem<boolean>('local:receiptNotifications', { fallback: true });
/** Open psst links of granted relays in the extension's own reveal page (redirected before the relay's page loads). */
export const openLinksInExtensionSetting = storage.defineItem<boolean>('local:openLinksInExtension', { fallback: true });
/** Links created from this browser: ids and manage tokens, never keys. */
export const historySetting = storage.defineItem<HistoryEntry[]>('local:history', { fallback: [] });

export interface Settings {
  relayUrl: string;
  defaultTtl: number;
  defaultViews: number;
  autoCopy: boolean;
  receiptNotifications: boolean;
  /** Optional only so older fakes stay valid; loadSettings always fills it. */
  openLinksInExtension?: boolean;
}

export async function loadSettings(): Promise<Settings> {
  const [relayUrl, defaultTtl, defaultViews, autoCopy, receiptNotifications, openLinksInExtension] = await Promise.all([
    relayUrlSetting.getValue(),
    defaultTtlSetting.getValue(),
    defaultViewsSetting.getValue(),
    autoCopySetting.getValue(),
    receiptNotificationsSetting.getValue(),
    openLinksInExtensionSetting.getValue(),
  ]);
  return { relayUrl, defaultTtl, defaultViews, autoCopy, receiptNotifications, openLinksInExtension };
}
