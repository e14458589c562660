import { describe, expect, it } from 'vitest';
import { openLink } from './open-link';

const PAGE = 'chrome-extension://id/reveal.html';
const LINK = `https://psst.example.org/s/${'A'.repeat(22)}#${'k'.repeat(43)}`;

function apis(held: string[], answer: boolean) {
  const asked: unknown[] = [];
  const opened: string[] = [];
  return {
    asked,
    opened,
    apis: {
      permissions: {
        contains: async ({ origins }: { origins: string[] }) => origins.every((o) => held.includes(o)),
        // As the browsers do: a host already held is granted at once, without a prompt; only the rest is asked.
        request: async (request: { origins: string[] }) => {
          if (request.origins.every((o) => held.includes(o))) return true;
          asked.push(request);
          return answer;
        },
      },
      revealPage: PAGE,
      openTab: async (url: string) => void opened.push(url),
    },
  };
}

describe('Open a link', () => {
  it('opens a link of a granted host without asking', async () => {
    const t = apis(['https://psst.example.org/*'], false);
    expect(await openLink(`  ${LINK}\n`, t.apis)).toEqual({ ok: true });
    expect(t.asked).toEqual([]);
    expect(t.opened).toEqual([`${PAGE}?link=${LINK}`]);
  });

  it('asks for exactly that host when it is not granted, and opens nothing if refused', async () => {
    const t = apis([], false);
    const result = await openLink(LINK, t.apis);
    expect(result).toMatchObject({ ok: false, title: 'Permission not granted' });
    expect(t.asked).toEqual([{ origins: ['https://psst.example.org/*'] }]);
    expect(t.opened).toEqual([]);
  });

  it('asks before awaiting anything, so Firefox still sees the user’s click', async () => {
    const t = apis([], true);
    let containsCalled = false;
    const calls: string[] = [];
    const watched = {
      ...t.apis,
      permissions: {
        contains: async (p: { origins: string[] }) => {
          containsCalled = true;
          return t.apis.permissions.contains(p);
        },
        request: (p: { origins: string[] }) => {
          calls.push(containsCalled ? 'request after contains' : 'request first');
          return t.apis.permissions.request(p);
        },
      },
    };
    const opening = openLink(LINK, watched);
    // Called synchronously, within the click's handler.
    expect(calls).toEqual(['request first']);
    expect(await opening).toEqual({ ok: true });
  });

  it('opens it once allowed', async () => {
    const t = apis([], true);
    expect(await openLink(LINK, t.apis)).toEqual({ ok: true });
    expect(t.opened).toHaveLength(1);
  });

  it('says what is wrong with an incomplete link or something else, asking nothing', async () => {
    const t = apis([], true);
    expect(await openLink(LINK.split('#')[0] as string, t.apis)).toMatchObject({ ok: false, title: 'This link is incomplete' });
    expect(await openLink('hello', t.apis)).toMatchObject({ ok: false, title: 'This is not a psst link' });
    expect(t.asked).toEqual([]);
    expect(t.opened).toEqual([]);
  });

  it('says so when the browser does not open the tab, instead of throwing', async () => {
    const t = apis(['https://psst.example.org/*'], false);
    const failing = {
      ...t.apis,
      openTab: async () => {
        throw new Error('no tab');
      },
    };
    expect(await openLink(LINK, failing)).toMatchObject({ ok: false, title: 'Could not open the link' });
  });
});
