import { createdAnswer, json, recordingFetch } from '@psst/client/test-fakes';
import { parseLink } from '@psst/protocol/link';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { COMMAND_SHARE_CLIPBOARD, createBackground, MENU_OPEN_LINK, MENU_SHARE_CLIPBOARD, MENU_SHARE_SELECTION } from './background';
import { RECEIPT_ALARM } from './receipts';
import { historySetting } from './settings';

type Listener = (...args: never[]) => unknown;

function event() {
  const listeners: Listener[] = [];
  return { listeners, addListener: (l: Listener) => void listeners.push(l) };
}

function setUp(options: { scriptingFails?: boolean; permitted?: boolean } = {}) {
  const menus: unknown[] = [];
  const clipboardWrites: string[] = [];
  const injected: unknown[] = [];
  const commands = event();
  const menuClicks = event();
  // GET /api/config answers 404 (a relay older than it): the protocol's defaults apply.
  const fetch = recordingFetch((r) => (r.url.endsWith('/api/config') ? json(404, { error: 'not_found', message: 'no' }) : createdAnswer()));
  const api = Object.assign(Object.create(fakeBrowser) as typeof fakeBrowser, {
    contextMenus: {
      removeAll: async () => {
        menus.length = 0;
      },
      create: (item: unknown) => void menus.push(item),
      onClicked: menuClicks,
    },
    commands: { onCommand: commands },
    permissions: { contains: async () => options.permitted ?? true },
    scripting: {
      executeScript: async (injection: { target: unknown }) => {
        injected.push(injection.target);
        if (options.scriptingFails) throw new Error('Cannot access contents of the page');
        return [{ result: 'first line\n    second line' }];
      },
    },
  });
  const background = createBackground(api as never, {
    clipboard: { readText: async () => 'from the clipboard', writeText: async (t) => void clipboardWrites.push(t) },
    fetch,
    actionContext: 'action',
    supportsNotificationButtons: true,
  });
  return { background, menus, clipboardWrites, injected, commands, fetch };
}

describe('background', () => {
  beforeEach(() => fakeBrowser.reset());

  it('registers the menus: selection, clipboard (page and toolbar button), and Open with psst on links', async () => {
    const { background, menus } = setUp();
    background.start();
    await new Promise((r) => setTimeout(r, 0));
    expect(menus).toEqual([
      { id: MENU_SHARE_SELECTION, title: 'Share selection as a one-time link', contexts: ['selection'] },
      { id: MENU_SHARE_CLIPBOARD, title: 'Share clipboard as a one-time link', contexts: ['page', 'action'] },
      {
        id: MENU_OPEN_LINK,
        title: 'Open with psst',
        contexts: ['link'],
        targetUrlPatterns: ['http://*/s/*', 'https://*/s/*', 'http://*/*/s/*', 'https://*/*/s/*'],
      },
    ]);
  });

  it('opens a link from "Open with psst" in the extension’s reveal page, next to the tab it was in', async () => {
    const { background } = setUp();
    const link = `https://psst.example.org/s/${'A'.repeat(22)}#${'k'.repeat(43)}`;
    await background.onMenuClick({ menuItemId: MENU_OPEN_LINK, linkUrl: link, editable: false, pageUrl: 'https://chat.example/' }, {
      id: 3,
      index: 4,
    } as never);
    const tabs = await fakeBrowser.tabs.query({});
    const opened = tabs.find((t) => t.url?.includes('/reveal.html'));
    expect(opened?.url).toBe(
      `${fakeBrowser.runtime.getURL('/reveal.html')}?link=https://psst.example.org/s/${'A'.repeat(22)}#${'k'.repeat(43)}`,
    );
  });

  it('shares the exact selection from the clicked frame, copies the link and schedules receipts', async () => {
    const { background, clipboardWrites, injected, fetch } = setUp();
    const outcome = await background.onMenuClick(
      { menuItemId: MENU_SHARE_SELECTION, frameId: 2, selectionText: 'first line second line', editable: false, pageUrl: 'http://x/' },
      { id: 5 } as never,
    );
    expect(outcome?.ok).toBe(true);
    expect(injected).toEqual([{ tabId: 5, frameIds: [2] }]);
    expect(fetch.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    expect(parseLink(clipboardWrites[0]!).id).toBeTruthy();
    expect(await historySetting.getValue()).toHaveLength(1);
    expect(await fakeBrowser.alarms.get(RECEIPT_ALARM)).toBeDefined();
    expect(Object.values(fakeBrowser.notifications.getAllCreateOptions())).toEqual([
      expect.objectContaining({ title: 'psst', message: 'Link copied: 1 view, expires in 1 hour' }),
    ]);
  });

  it('falls back to the menu text and says line breaks may be lost', async () => {
    const { background } = setUp({ scriptingFails: true });
    await background.onMenuClick(
      { menuItemId: MENU_SHARE_SELECTION, frameId: 0, selectionText: 'flat text', editable: false, pageUrl: 'chrome://x' },
      { id: 5 } as never,
    );
    const [notice] = Object.values(fakeBrowser.notifications.getAllCreateOptions());
    expect(notice?.message).toContain('line breaks and indentation may be lost');
  });

  it('shares the clipboard from the keyboard command', async () => {
    const { background, commands, clipboardWrites } = setUp();
    background.start();
    await (commands.listeners[0] as (c: string) => Promise<void>)(COMMAND_SHARE_CLIPBOARD);
    await new Promise((r) => setTimeout(r, 50));
    expect(clipboardWrites).toHaveLength(1);
  });

  it('offers a button to the options page when the relay is not permitted', async () => {
    const { background } = setUp({ permitted: false });
    await background.shareClipboard();
    const [id, notice] = Object.entries(fakeBrowser.notifications.getAllCreateOptions())[0]!;
    expect(id.startsWith('psst-options-')).toBe(true);
    expect(notice.buttons).toEqual([{ title: 'Open psst options' }]);
  });
});
