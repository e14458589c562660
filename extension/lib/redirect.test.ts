import { describe, expect, it } from 'vitest';
import { type DnrApi, type SwitchSetting, startChromeRedirects, startFirefoxRedirects, type WebRequestApi } from './redirect';
import type { RedirectRule } from './reveal-links';

const PAGE = 'moz-extension://uuid/reveal.html';
const LINK = `http://127.0.0.1:8787/s/${'A'.repeat(22)}#${'k'.repeat(43)}`;

function permissions(origins: string[]) {
  const added: (() => void)[] = [];
  return {
    origins,
    getAll: async () => ({ origins: [...origins] }),
    onAdded: { addListener: (l: () => void) => void added.push(l) },
    onRemoved: { addListener: (l: () => void) => void added.push(l) },
    grant(pattern: string) {
      origins.push(pattern);
      for (const l of added) l();
    },
  };
}

function setting(initial: boolean): SwitchSetting & { set(value: boolean): void } {
  let value = initial;
  const watchers: ((v: boolean) => void)[] = [];
  return {
    getValue: async () => value,
    watch: (cb) => void watchers.push(cb),
    set(v) {
      value = v;
      for (const w of watchers) w(v);
    },
  };
}

function fakeDnr(): DnrApi & { rules: RedirectRule[] } {
  const dnr = {
    rules: [] as RedirectRule[],
    getDynamicRules: async () => dnr.rules.map((r) => ({ id: r.id })),
    updateDynamicRules: async ({ removeRuleIds = [], addRules = [] }: { removeRuleIds?: number[]; addRules?: RedirectRule[] }) => {
      dnr.rules = [...dnr.rules.filter((r) => !removeRuleIds.includes(r.id)), ...addRules];
    },
  };
  return dnr;
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe('Chrome redirect rules', () => {
  it('keeps one rule per granted relay host, follows new grants, and removes them all when turned off', async () => {
    const dnr = fakeDnr();
    const perms = permissions(['http://127.0.0.1/*']);
    const on = setting(true);
    await startChromeRedirects({ dnr, permissions: perms, revealPage: PAGE }, on).sync();
    expect(dnr.rules.map((r) => r.condition.regexFilter)).toEqual([expect.stringContaining('127\\.0\\.0\\.1')]);
    perms.grant('https://psst.example.org/*');
    await settle();
    expect(dnr.rules).toHaveLength(2);
    on.set(false);
    await settle();
    expect(dnr.rules).toEqual([]);
    on.set(true);
    await settle();
    expect(dnr.rules.map((r) => r.id)).toEqual([1, 2]);
  });
});

describe('Firefox blocking redirect', () => {
  function install(origins: string[], enabled: boolean) {
    let listener: Parameters<WebRequestApi['onBeforeRequest']['addListener']>[0] | undefined;
    let filter: unknown;
    const webRequest: WebRequestApi = {
      onBeforeRequest: {
        addListener: (l, f, extra) => {
          listener = l;
          filter = { ...f, extra };
        },
      },
    };
    const on = setting(enabled);
    const started = startFirefoxRedirects({ webRequest, permissions: permissions(origins), revealPage: PAGE }, on);
    return { listener: listener!, filter, on, started };
  }

  it('registers at once, blocking, for top-level navigations, and redirects links of granted hosts only', async () => {
    const { listener, filter, started } = install(['http://127.0.0.1/*'], true);
    expect(filter).toEqual({ urls: ['http://*/*', 'https://*/*'], types: ['main_frame'], extra: ['blocking'] });
    // Before the state is loaded the answer is a promise (Firefox waits for it), after it is immediate.
    expect(await listener({ url: LINK })).toEqual({ redirectUrl: `${PAGE}?link=${LINK}` });
    await started.ready();
    expect(listener({ url: LINK })).toEqual({ redirectUrl: `${PAGE}?link=${LINK}` });
    expect(listener({ url: `http://localhost:8787/s/${'A'.repeat(22)}` })).toBeUndefined();
    expect(listener({ url: 'http://127.0.0.1:8787/assets/index.js' })).toBeUndefined();
  });

  it('lets every request go when the setting is off', async () => {
    const { listener, started, on } = install(['http://127.0.0.1/*'], false);
    await started.ready();
    expect(listener({ url: LINK })).toBeUndefined();
    on.set(true);
    await started.ready();
    expect(listener({ url: LINK })).toEqual({ redirectUrl: `${PAGE}?link=${LINK}` });
  });
});
