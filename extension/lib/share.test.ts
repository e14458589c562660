import type { HistoryEntry } from '@psst/client/history';
import { createdAnswer, json, recordingFetch, SOME_ID, SOME_TOKEN, TEST_KDF } from '@psst/client/test-fakes';
import { decodeB64u } from '@psst/protocol/b64u';
import { parseLink } from '@psst/protocol/link';
import { decodeText, openSecret } from '@psst/protocol/secret';
import { describe, expect, it } from 'vitest';
import { NoHostPermissionError, NothingToShareError } from './errors';
import type { Notice, ShareDeps } from './share';
import { createLink, shareText } from './share';

const TEXT = 'line one\n    indented «ünïcødé» 🔑\n\ttab';
const CONFIG = { version: 1, maxTtlSeconds: 604_800, maxViews: 10, maxEnvelopeBytes: 1_048_576, createEnabled: true, proofOfWork: 'off' };

/** A relay that answers GET /api/config with `config` and every create with 201. */
function relayFetch(config: Record<string, unknown> = CONFIG) {
  return recordingFetch((r) => (r.url.endsWith('/api/config') ? json(200, config) : createdAnswer()));
}

const creates = (fetch: { requests: { method: string; url: string; body: string }[] }) => fetch.requests.filter((r) => r.method === 'POST');
const text = (t: string) => ({ type: 'text' as const, text: t });

function deps(over: Partial<ShareDeps> = {}) {
  const clipboard: string[] = [];
  const notices: Notice[] = [];
  const saved: HistoryEntry[] = [];
  const fetch = relayFetch();
  const d: ShareDeps = {
    fetch,
    hasHostPermission: async () => true,
    now: () => new Date('2026-01-01T10:00:00.000Z'),
    kdf: TEST_KDF,
    settings: async () => ({ relayUrl: 'http://127.0.0.1:8787', defaultTtl: 3600, defaultViews: 1 }),
    writeClipboard: async (text) => {
      clipboard.push(text);
    },
    saveEntry: async (entry) => {
      saved.push(entry);
    },
    notify: async (notice) => {
      notices.push(notice);
    },
    ...over,
  };
  return { d, clipboard, notices, saved, fetch };
}

describe('createLink', () => {
  it('sends only the envelope and verifiers, and the link opens to the same text', async () => {
    const { d, fetch } = deps();
    const { link, entry } = await createLink(d, {
      relayUrl: 'http://127.0.0.1:8787/',
      secret: text(TEXT),
      ttl: 3600,
      views: 2,
      passphrase: 'correct horse',
    });
    expect(fetch.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET http://127.0.0.1:8787/api/config',
      'POST http://127.0.0.1:8787/api/secrets',
    ]);
    const request = fetch.requests[1]!;
    expect(request.url).toBe('http://127.0.0.1:8787/api/secrets');
    expect(request.method).toBe('POST');
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['accessVerifier', 'envelope', 'passphraseVerifier', 'ttl', 'views']);
    expect(body.ttl).toBe(3600);
    expect(body.views).toBe(2);
    const parsed = parseLink(link);
    expect(parsed.id).toBe(SOME_ID);
    expect(parsed.origin).toBe('http://127.0.0.1:8787');
    const k = link.split('#')[1]!;
    for (const secret of [TEXT, 'correct horse', k, 'ünïcødé']) expect(request.body).not.toContain(secret);
    expect(JSON.stringify(request.headers)).not.toContain(k);
    const opened = await openSecret({ envelope: decodeB64u(body.envelope as string), key: parsed.key, passphrase: 'correct horse' });
    expect(decodeText(opened.body)).toBe(TEXT);
    expect(entry).toMatchObject({ id: SOME_ID, manageToken: SOME_TOKEN, views: 2, state: 'waiting', relayOrigin: 'http://127.0.0.1:8787' });
    expect(JSON.stringify(entry)).not.toContain(k);
  });

  it('sends no passphrase verifier without a passphrase', async () => {
    const { d, fetch } = deps();
    await createLink(d, { relayUrl: 'http://127.0.0.1:8787', secret: text('x'), ttl: 60, views: 1, passphrase: '' });
    expect(JSON.parse(creates(fetch)[0]!.body)).not.toHaveProperty('passphraseVerifier');
  });

  it('keeps a path prefix of the relay in the API calls and the link', async () => {
    const { d, fetch } = deps();
    const { link } = await createLink(d, { relayUrl: 'https://example.org/psst', secret: text('x'), ttl: 60, views: 1 });
    expect(creates(fetch)[0]!.url).toBe('https://example.org/psst/api/secrets');
    expect(link.startsWith(`https://example.org/psst/s/${SOME_ID}#`)).toBe(true);
  });

  it('refuses without host permission and sends nothing', async () => {
    const { d, fetch } = deps({ hasHostPermission: async () => false });
    await expect(createLink(d, { relayUrl: 'https://example.org', secret: text('x'), ttl: 60, views: 1 })).rejects.toBeInstanceOf(
      NoHostPermissionError,
    );
    expect(fetch.requests).toHaveLength(0);
  });

  it('refuses an empty secret', async () => {
    const { d } = deps();
    await expect(createLink(d, { relayUrl: 'https://example.org', secret: text(''), ttl: 60, views: 1 })).rejects.toBeInstanceOf(
      NothingToShareError,
    );
  });

  it('shares a file with its name and type in the meta, byte for byte', async () => {
    const { d, fetch } = deps();
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 256);
    const phases: string[] = [];
    const { link } = await createLink(d, {
      relayUrl: 'http://127.0.0.1:8787',
      secret: { type: 'file', name: 'Prüfbericht März.pdf', mime: 'application/pdf', bytes },
      ttl: 3600,
      views: 1,
      onPhase: (phase) => phases.push(phase),
    });
    expect(phases).toEqual(['encrypting', 'uploading']);
    const body = JSON.parse(creates(fetch)[0]!.body) as { envelope: string };
    const opened = await openSecret({ envelope: decodeB64u(body.envelope), key: parseLink(link).key });
    expect(opened.meta).toEqual({ type: 'file', name: 'Prüfbericht März.pdf', mime: 'application/pdf' });
    expect(opened.body).toEqual(bytes);
  });

  it('refuses a secret larger than the relay accepts before encrypting or sending it', async () => {
    const fetch = relayFetch({ ...CONFIG, maxEnvelopeBytes: 4096 });
    const { d } = deps({ fetch });
    const phases: string[] = [];
    const secret = { type: 'file' as const, name: 'big.bin', mime: 'application/octet-stream', bytes: new Uint8Array(5000) };
    await expect(
      createLink(d, { relayUrl: 'http://127.0.0.1:8787', secret, ttl: 60, views: 1, onPhase: (p) => phases.push(p) }),
    ).rejects.toMatchObject({
      name: 'CreateRefusedError',
      reason: 'too_large',
      limitBytes: 4096,
    });
    expect(phases).toEqual([]);
    expect(creates(fetch)).toHaveLength(0);
  });
});

describe('shareText', () => {
  it('bounds the default expiry and views by the relay settings', async () => {
    const fetch = relayFetch({ ...CONFIG, maxTtlSeconds: 600, maxViews: 2 });
    const { d } = deps({ fetch, settings: async () => ({ relayUrl: 'http://127.0.0.1:8787', defaultTtl: 86_400, defaultViews: 5 }) });
    const outcome = await shareText(d, 'x', 'selection');
    expect(outcome.ok).toBe(true);
    expect(JSON.parse(creates(fetch)[0]!.body)).toMatchObject({ ttl: 600, views: 2 });
  });

  it('copies the link, saves the entry and says so', async () => {
    const { d, clipboard, notices, saved } = deps();
    const outcome = await shareText(d, TEXT, 'selection');
    expect(outcome.ok).toBe(true);
    expect(clipboard).toHaveLength(1);
    expect(parseLink(clipboard[0]!).id).toBe(SOME_ID);
    expect(saved).toHaveLength(1);
    expect(notices).toEqual([{ title: 'psst', message: 'Link copied: 1 view, expires in 1 hour' }]);
    expect(outcome.ok && outcome.notice).toEqual(notices[0]);
  });

  it('adds the caveat when the selection came from the fallback', async () => {
    const { d, notices } = deps();
    await shareText(d, 'x', 'selection', false);
    expect(notices[0]!.message).toBe(
      'Link copied: 1 view, expires in 1 hour. This page does not let extensions read it, so line breaks and indentation may be lost',
    );
  });

  it('tells the user about an empty clipboard without calling the relay', async () => {
    const { d, notices, fetch } = deps();
    const outcome = await shareText(d, Promise.resolve(''), 'clipboard');
    expect(outcome.ok).toBe(false);
    expect(notices).toEqual([{ title: 'Nothing to share', message: 'The clipboard holds no text.' }]);
    expect(fetch.requests).toHaveLength(0);
  });

  it('offers the options page when the relay origin is not permitted', async () => {
    const { d, notices, clipboard } = deps({ hasHostPermission: async () => false });
    await shareText(d, 'x', 'selection');
    expect(notices[0]).toMatchObject({ title: 'psst needs permission for your relay', openOptions: true });
    expect(clipboard).toHaveLength(0);
  });

  it('says when to retry when rate limited', async () => {
    const fetch = recordingFetch(() => json(429, { error: 'rate_limited', message: 'slow down' }, { 'Retry-After': '120' }));
    const { d, notices } = deps({ fetch });
    await shareText(d, 'x', 'clipboard');
    expect(notices[0]).toEqual({ title: 'Too many links at once', message: 'The relay asks you to wait. Try again in 2 minutes.' });
  });

  it('reports a relay that cannot be reached', async () => {
    const fetch = recordingFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const { d, notices } = deps({ fetch });
    await shareText(d, 'x', 'clipboard');
    expect(notices[0]).toMatchObject({ title: 'Relay unreachable', openOptions: true });
  });
});
