import { describe, expect, it } from 'vitest';
import { navigatorClipboard, OFFSCREEN_TARGET, type OffscreenApis, type OffscreenRequest, offscreenClipboard } from './clipboard';
import { ClipboardError } from './errors';

function fakeApis(reply: (r: OffscreenRequest) => unknown) {
  const documents: string[] = [];
  const sent: OffscreenRequest[] = [];
  const apis: OffscreenApis = {
    offscreen: {
      async createDocument({ url }) {
        await new Promise((r) => setTimeout(r, 5));
        if (documents.includes(url)) throw new Error('Only a single offscreen document may be created.');
        documents.push(url);
      },
    },
    runtime: {
      getURL: (path) => `chrome-extension://id${path}`,
      getContexts: async ({ documentUrls }) => documents.filter((d) => documentUrls.includes(d)),
      sendMessage: async (message) => {
        sent.push(message);
        return reply(message);
      },
    },
  };
  return { apis, documents, sent };
}

describe('offscreen clipboard', () => {
  it('creates the offscreen document once, even for shares at the same time', async () => {
    const { apis, documents, sent } = fakeApis((r) => (r.op === 'read' ? { ok: true, text: 'secret' } : { ok: true }));
    const clipboard = offscreenClipboard(apis);
    const [a, b] = await Promise.all([clipboard.readText(), clipboard.readText()]);
    expect([a, b]).toEqual(['secret', 'secret']);
    await clipboard.writeText('link');
    expect(documents).toEqual(['chrome-extension://id/offscreen.html']);
    expect(sent.at(-1)).toEqual({ target: OFFSCREEN_TARGET, op: 'write', text: 'link' });
  });

  it('turns a failed or odd reply into a ClipboardError', async () => {
    await expect(offscreenClipboard(fakeApis(() => ({ ok: false })).apis).writeText('x')).rejects.toBeInstanceOf(ClipboardError);
    await expect(offscreenClipboard(fakeApis(() => undefined).apis).readText()).rejects.toMatchObject({ operation: 'read' });
  });
});

describe('navigator clipboard', () => {
  it('wraps refusals in a ClipboardError', async () => {
    const denied = navigatorClipboard({
      readText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')),
      writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')),
    });
    await expect(denied.readText()).rejects.toMatchObject({ operation: 'read' });
    await expect(denied.writeText('x')).rejects.toMatchObject({ operation: 'write' });
  });
});
