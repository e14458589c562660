// Opening a psst link of a granted relay lands on the extension's reveal page
// before the relay is asked for anything. Chrome (MV3): one declarativeNetRequest
// redirect rule per granted relay host, kept in step with the host permissions
// and the setting. Firefox (MV2): a blocking webRequest listener that answers
// with a redirect for the same links. See the README for why these mechanisms.

import { REVEAL_PAGE_PATH, type RedirectRule, redirectRulesFor, redirectTargetFor } from './reveal-links';

interface PermissionEvents {
  getAll(): Promise<{ origins?: string[] }>;
  onAdded: { addListener(listener: () => void): void };
  onRemoved: { addListener(listener: () => void): void };
}

export interface SwitchSetting {
  getValue(): Promise<boolean>;
  watch(callback: (value: boolean) => void): unknown;
}

export interface DnrApi {
  getDynamicRules(): Promise<{ id: number }[]>;
  updateDynamicRules(options: { removeRuleIds?: number[]; addRules?: RedirectRule[] }): Promise<void>;
}

/** Chrome: rewrites the dynamic rules on start, on every permission change and when the setting flips. */
export function startChromeRedirects(apis: { dnr: DnrApi; permissions: PermissionEvents; revealPage: string }, setting: SwitchSetting) {
  let queue = Promise.resolve();
  const sync = (): Promise<void> => {
    // One update at a time, so two quick permission changes cannot interleave their rule ids.
    queue = queue.then(async () => {
      const [enabled, granted, existing] = await Promise.all([setting.getValue(), apis.permissions.getAll(), apis.dnr.getDynamicRules()]);
      const addRules = enabled ? redirectRulesFor(granted.origins ?? [], apis.revealPage) : [];
      await apis.dnr.updateDynamicRules({ removeRuleIds: existing.map((r) => r.id), addRules });
    });
    return queue.catch(() => {});
  };
  apis.permissions.onAdded.addListener(() => void sync());
  apis.permissions.onRemoved.addListener(() => void sync());
  setting.watch(() => void sync());
  return { sync };
}

export interface WebRequestApi {
  onBeforeRequest: {
    addListener(
      listener: (details: { url: string }) => { redirectUrl: string } | undefined | Promise<{ redirectUrl: string } | undefined>,
      filter: { urls: string[]; types: ['main_frame'] },
      extraInfo: ['blocking'],
    ): void;
  };
}

/**
 * Firefox: a blocking listener on top-level navigations to http(s). It only ever
 * sees hosts the extension has permission for (MV2 webRequest needs it), and
 * redirects only links of those hosts, with the state kept in memory so the
 * answer is synchronous once loaded.
 */
export function startFirefoxRedirects(
  apis: { webRequest: WebRequestApi; permissions: PermissionEvents; revealPage: string },
  setting: SwitchSetting,
) {
  let state: { enabled: boolean; origins: string[] } | null = null;
  const load = async () => {
    const [enabled, granted] = await Promise.all([setting.getValue(), apis.permissions.getAll()]);
    state = { enabled, origins: granted.origins ?? [] };
    return state;
  };
  let loading = load();
  const reload = () => {
    loading = load();
  };
  const answer = (current: { enabled: boolean; origins: string[] }, url: string) => {
    if (!current.enabled) return undefined;
    const redirectUrl = redirectTargetFor(url, current.origins, apis.revealPage);
    return redirectUrl ? { redirectUrl } : undefined;
  };
  // Registered synchronously at startup, so a navigation that wakes the background is caught too.
  apis.webRequest.onBeforeRequest.addListener(
    (details) => (state ? answer(state, details.url) : loading.then((current) => answer(current, details.url))),
    { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] },
    ['blocking'],
  );
  apis.permissions.onAdded.addListener(reload);
  apis.permissions.onRemoved.addListener(reload);
  setting.watch(reload);
  return { ready: () => loading };
}

export { REVEAL_PAGE_PATH };
