import { apiPaths } from '@psst/protocol/paths';
import { describe, expect, it } from 'vitest';
import { createRelayClient } from './reveal-client.js';

const id = 'AAAAAAAAAAAAAAAAAAAAAA';
const token = new Uint8Array(32).fill(1);

function recordingFetch(response: () => Response) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    calls.push({ url: String(input), init });
    return response();
  };
  return { calls, fetchImpl };
}

describe('the relay client', () => {
  it('uses the protocol paths, under any prefix of the origin', async () => {
    const { calls, fetchImpl } = recordingFetch(() => new Response('{}', { status: 500 }));
    const client = createRelayClient('https://example.test/psst', fetchImpl);
    await client.look(id, token);
    await client.reveal(id, token);
    expect(calls.map((c) => c.url)).toEqual([
      `https://example.test/psst${apiPaths.secret(id)}`,
      `https://example.test/psst${apiPaths.reveal(id)}`,
    ]);
  });

  it('sends tokens only in the Authorization header and never follows redirects', async () => {
    const { calls, fetchImpl } = recordingFetch(() => new Response('{}', { status: 500 }));
    await createRelayClient('https://example.test', fetchImpl).reveal(id, token, new Uint8Array(32).fill(2));
    const init = calls[0]?.init;
    const headers = new Headers(init?.headers);
    expect(headers.get('Authorization')).toBe('Bearer AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE');
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(init?.body).toBe('{"passphraseToken":"AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI"}');
    expect(init?.redirect).toBe('error');
    expect(init?.credentials).toBe('omit');
    expect(calls[0]?.url).not.toContain('AQEBAQ');
  });

  it('reads Retry-After from the body first, then the header, then a default', async () => {
    const limited = (body: object, header?: string) =>
      createRelayClient(
        'https://x.test',
        recordingFetch(() => new Response(JSON.stringify(body), { status: 429, headers: header ? { 'Retry-After': header } : {} }))
          .fetchImpl,
      ).look(id, token);
    expect(await limited({ error: 'rate_limited', message: 'x', retryAfter: 7 }, '9')).toEqual({
      ok: false,
      problem: { kind: 'rate_limited', retryAfter: 7 },
    });
    expect(await limited({ error: 'rate_limited', message: 'x' }, '9')).toEqual({
      ok: false,
      problem: { kind: 'rate_limited', retryAfter: 9 },
    });
    expect(await limited({}, undefined)).toEqual({ ok: false, problem: { kind: 'rate_limited', retryAfter: 30 } });
  });
});
