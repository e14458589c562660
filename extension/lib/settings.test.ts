import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_RELAY_URL, loadSettings, relayUrlSetting } from './settings';

describe('settings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('falls back to the build-time relay and safe defaults', async () => {
    expect(DEFAULT_RELAY_URL).toBe('http://127.0.0.1:8787');
    expect(await loadSettings()).toEqual({
      relayUrl: 'http://127.0.0.1:8787',
      defaultTtl: 3600,
      defaultViews: 1,
      autoCopy: true,
      receiptNotifications: true,
      openLinksInExtension: true,
    });
  });

  it('stores the relay under a plain key the tests and users can set', async () => {
    await fakeBrowser.storage.local.set({ relayUrl: 'http://127.0.0.1:9999' });
    expect(await relayUrlSetting.getValue()).toBe('http://127.0.0.1:9999');
  });
});
