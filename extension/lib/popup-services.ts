// What the popup needs from the browser, built from the real APIs here and
// from fakes in tests.

import { addEntry, type HistoryEntry } from '@psst/client/history';
import type { FetchLike } from '@psst/client/relay-client';
import { ClipboardError } from './errors';
import { refreshReceipts, revokeEntry, scheduleReceipts, updateHistory } from './history-store';
import { historySetting, loadSettings, type Settings } from './settings';
import { type CreateLinkDeps, createLink } from './share';

export interface PopupServices {
  settings(): Promise<Settings>;
  /** Creates the link, records it in history and schedules receipts; returns the link. */
  create(request: { text: string; ttl: number; views: number; passphrase: string; label: string }): Promise<string>;
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
    async create({ text, ttl, views, passphrase, label }) {
      const { relayUrl } = await loadSettings();
      const { link, entry } = await createLink(deps, { relayUrl, text, ttl, views, passphrase, label });
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
