// The background's behaviour: context menus, the keyboard command, receipt
// alarms and notification clicks. entrypoints/background.ts only passes in the
// browser APIs and the clipboard for its browser.

import { addEntry } from '@psst/client/history';
import type { FetchLike } from '@psst/client/relay-client';
import { t } from '@psst/i18n';
import type { Browser } from 'wxt/browser';
import type { ClipboardAccess } from './clipboard';
import { receiptDeps, scheduleReceipts, updateHistory } from './history-store';
import { createNotifier, opensOptions } from './notify';
import { pollReceipts, RECEIPT_ALARM } from './receipts';
import { REVEAL_PAGE_PATH, revealPageUrl } from './reveal-links';
import { readSelection } from './selection';
import { loadSettings, receiptNotificationsSetting } from './settings';
import { type ShareDeps, type ShareOutcome, shareText } from './share';

export const MENU_SHARE_SELECTION = 'psst-share-selection';
export const MENU_SHARE_CLIPBOARD = 'psst-share-clipboard';
export const COMMAND_SHARE_CLIPBOARD = 'share-clipboard';
/** "Open with psst" on links: opens any psst link in the extension's own reveal page. */
export const MENU_OPEN_LINK = 'psst-open-link';

type BrowserApi = typeof import('wxt/browser').browser;

export interface BackgroundEnv {
  clipboard: ClipboardAccess;
  fetch: FetchLike;
  /** The context for the toolbar button's menu: 'action' (MV3) or 'browser_action' (MV2). */
  actionContext: 'action' | 'browser_action';
  supportsNotificationButtons: boolean;
}

export function createBackground(b: BrowserApi, env: BackgroundEnv) {
  const notify = createNotifier(b.notifications, b.runtime.getURL('/icon/128.png'), env.supportsNotificationButtons);
  const shareDeps: ShareDeps = {
    fetch: env.fetch,
    hasHostPermission: (pattern) => b.permissions.contains({ origins: [pattern] }),
    now: () => new Date(),
    settings: loadSettings,
    writeClipboard: (text) => env.clipboard.writeText(text),
    saveEntry: (entry) => updateHistory((entries) => addEntry(entries, entry)),
    notify,
  };

  async function afterShare(outcome: ShareOutcome): Promise<ShareOutcome> {
    if (outcome.ok) await scheduleReceipts(b.alarms, Date.parse(outcome.entry.nextCheckAt));
    return outcome;
  }

  async function onMenuClick(info: Browser.contextMenus.OnClickData, tab?: Browser.tabs.Tab): Promise<ShareOutcome | undefined> {
    if (info.menuItemId === MENU_SHARE_SELECTION) {
      const selection = await readSelection(b.scripting, tab?.id, info.frameId, info.selectionText);
      return afterShare(await shareText(shareDeps, selection.text, 'selection', selection.exact));
    }
    if (info.menuItemId === MENU_SHARE_CLIPBOARD) return shareClipboard();
    if (info.menuItemId === MENU_OPEN_LINK) await openLink(info.linkUrl, tab);
    return undefined;
  }

  /** The reveal page asks for the relay's host permission itself if the link's host has none. */
  async function openLink(linkUrl: string | undefined, tab?: Browser.tabs.Tab): Promise<void> {
    let url: string;
    try {
      url = revealPageUrl(b.runtime.getURL(REVEAL_PAGE_PATH as '/reveal.html'), linkUrl ?? '');
    } catch {
      return; // not a URL at all; the menu only shows on http(s) links
    }
    await b.tabs.create({
      url,
      ...(tab?.index !== undefined ? { index: tab.index + 1 } : {}),
      ...(tab?.id !== undefined ? { openerTabId: tab.id } : {}),
    });
  }

  async function shareClipboard(): Promise<ShareOutcome> {
    return afterShare(await shareText(shareDeps, env.clipboard.readText(), 'clipboard'));
  }

  async function onAlarm(alarm: { name: string }, options: { force?: boolean } = {}): Promise<void> {
    if (alarm.name !== RECEIPT_ALARM) return;
    const next = await pollReceipts(
      receiptDeps(env.fetch, async (entry) => {
        if (!(await receiptNotificationsSetting.getValue())) return;
        await notify({
          title: entry.label ? t('notification.viewedLabelTitle', { label: entry.label }) : t('notification.viewedTitle'),
          message:
            entry.viewsLeft > 0
              ? t('notification.viewedLeftMessage', { count: entry.viewsLeft, views: entry.views })
              : t('notification.viewedMessage'),
        });
      }),
      options,
    );
    await scheduleReceipts(b.alarms, next);
  }

  function registerMenus(): void {
    // Recreated on every start: Chrome keeps menus across service worker
    // restarts, Firefox's event page may not; removeAll avoids duplicate ids.
    void b.contextMenus.removeAll().then(() => {
      b.contextMenus.create({ id: MENU_SHARE_SELECTION, title: t('menu.shareSelection'), contexts: ['selection'] });
      b.contextMenus.create({
        id: MENU_SHARE_CLIPBOARD,
        title: t('menu.shareClipboard'),
        contexts: ['page', env.actionContext],
      });
      b.contextMenus.create({
        id: MENU_OPEN_LINK,
        title: t('menu.openLink'),
        contexts: ['link'],
        targetUrlPatterns: ['http://*/s/*', 'https://*/s/*', 'http://*/*/s/*', 'https://*/*/s/*'],
      });
    });
  }

  function openOptionsFor(id: string): void {
    if (opensOptions(id)) void b.runtime.openOptionsPage();
  }

  function start(): void {
    registerMenus();
    b.contextMenus.onClicked.addListener((info, tab) => void onMenuClick(info, tab));
    b.commands.onCommand.addListener((command) => {
      if (command === COMMAND_SHARE_CLIPBOARD) void shareClipboard();
    });
    b.alarms.onAlarm.addListener((alarm) => void onAlarm(alarm));
    b.notifications.onClicked.addListener(openOptionsFor);
    b.notifications.onButtonClicked?.addListener((id) => openOptionsFor(id));
  }

  return { start, onMenuClick, shareClipboard, onAlarm };
}
