// What the popup needs from the browser, built from the real APIs here and
// from fakes in tests.

import type { CreatePhase } from '@psst/client/create-link';
import { addEntry, type HistoryEntry } from '@psst/client/history';
import { type FetchLike, type KnownRelayConfig, loadRelayConfig } from '@psst/client/relay-client';
import { normaliseRelayUrl } from '@psst/client/relay-url';
import { type ComposerValues, readSecret } from '@psst/composer-ui/secret-input';
import { ClipboardError } from './errors';
import { refreshReceipts, revokeEntry, scheduleReceipts, updateHistory } from './history-store';
import { historySetting, loadSettings, type Settings } from './settings';
import { type CreateLinkDeps, createLink } from './share';

export interface PopupServices {
  settings(): Promise<Settings>;
  /** The relay's settings (its defaults when it cannot be asked), to bound the composer's choices. */
  relayConfig(): Promise<KnownRelayConfig>;
  /** Creates the link (text or file), records it in history and schedules receipts; returns the link. */
  create(values: ComposerValues, onPhase?: (phase: CreatePhase, fraction?: number) => void): Promise<string>;
  copy(text: string): Promise<void>;
  readClipboard(): Promise<string>;
  revoke(entry: HistoryEntry): Promise<void>;
  clearHistory(): Promise<void>;
  history(): Promise<HistoryEntry[]>;
  watchHistory(callback: (entries: HistoryEntry[]) => void): () => void;
  refreshReceipts(): Promise<void>;
  openOptions(): void;
}

export interface PopupApis {
  fetch: FetchLike;
  clipboard: Pick<Clipboard, 'readText' | 'writeText'>;
  permissions: { contains(p: { origins: string[] }): Promise<boolean> };
  alarms: { create(name: string, info: { when: number }): unknown; clear(name: string): Promise<boolean> };
  openOptionsPage(): unknown;
}

export function createPopupServices(apis: PopupApis, extra: Pick<CreateLinkDeps, 'kdf'> = {}): PopupServices {
  const deps: CreateLinkDeps = {
    fetch: apis.fetch,
    hasHostPermission: (pattern) => apis.permissions.contains({ origins: [pattern] }),
    now: () => new Date(),
    ...extra,
  };
  return {
    settings: loadSettings,
    async relayConfig() {
      const { relayUrl } = await loadSettings();
      return loadRelayConfig(apis.fetch, normaliseRelayUrl(relayUrl));
    },
    async create({ secret, ttl, views, passphrase, label }, onPhase) {
      const { relayUrl } = await loadSettings();
      const { link, entry } = await createLink(deps, {
        relayUrl,
        secret: await readSecret(secret),
        ttl,
        views,
        passphrase,
        label,
        ...(onPhase ? { onPhase } : {}),
      });
      await updateHistory((entries) => addEntry(entries, entry));
      await scheduleReceipts(apis.alarms, Date.parse(entry.nextCheckAt));
      return link;
    },
    async copy(text) {
      try {
        await apis.clipboard.writeText(text);
      } catch (cause) {
        throw new ClipboardError('write', { cause });
      }
    },
    async readClipboard() {
      try {
        return await apis.clipboard.readText();
      } catch (cause) {
        throw new ClipboardError('read', { cause });
      }
    },
    revoke: (entry) => revokeEntry(apis.fetch, entry, new Date()),
    clearHistory: () => historySetting.setValue([]),
    history: () => historySetting.getValue(),
    watchHistory: (callback) => historySetting.watch((entries) => callback(entries ?? [])),
    refreshReceipts: () => refreshReceipts(apis.fetch, apis.alarms, { force: true }),
    openOptions: () => void apis.openOptionsPage(),
  };
}
