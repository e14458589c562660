import { json, recordingFetch } from '@psst/client/test-fakes';
import { describe, expect, it } from 'vitest';
import { type PermissionsLike, setUpRelay } from './relay-setup';

function permissions(grant: boolean): PermissionsLike & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    contains: async () => false,
    request: async ({ origins }) => {
      asked.push(origins);
      return grant;
    },
  };
}

describe('setUpRelay', () => {
  it('asks for the relay host only, checks health and saves', async () => {
    const saved: string[] = [];
    const p = permissions(true);
    const fetch = recordingFetch(() => json(200, { status: 'ok' }));
    const result = await setUpRelay('https://psst.example.org/', { permissions: p, fetch, save: async (u) => void saved.push(u) });
    expect(result).toEqual({
      ok: true,
      relayUrl: 'https://psst.example.org',
      message: 'Saved. The relay at https://psst.example.org answers.',
    });
    expect(p.asked).toEqual([['https://psst.example.org/*']]);
    expect(saved).toEqual(['https://psst.example.org']);
    expect(fetch.requests[0]!.url).toBe('https://psst.example.org/healthz');
  });

  it('changes nothing when permission is refused', async () => {
    const saved: string[] = [];
    const result = await setUpRelay('https://psst.example.org', {
      permissions: permissions(false),
      fetch: recordingFetch(() => json(200, {})),
      save: async (u) => void saved.push(u),
    });
    expect(result).toMatchObject({ ok: false, saved: false, title: 'Permission not granted' });
    expect(saved).toEqual([]);
  });

  it('saves but warns when the relay does not answer', async () => {
    const fetch = recordingFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const result = await setUpRelay('https://relay.invalid', { permissions: permissions(true), fetch, save: async () => {} });
    expect(result).toMatchObject({ ok: false, saved: true, title: 'Saved, but: Relay unreachable' });
  });

  it('refuses plain http for a relay that is not on this computer, and asks nothing', async () => {
    const p = permissions(true);
    const result = await setUpRelay('http://relay.example', {
      permissions: p,
      fetch: recordingFetch(() => json(200, {})),
      save: async () => {},
    });
    expect(result).toMatchObject({ ok: false, saved: false, title: 'The relay address is not valid' });
    expect(result.ok ? '' : result.message).toMatch(/Use https:\/\//);
    expect(p.asked).toEqual([]);
  });

  it('rejects a malformed address before asking anything', async () => {
    const p = permissions(true);
    const result = await setUpRelay('psst.example.org', {
      permissions: p,
      fetch: recordingFetch(() => json(200, {})),
      save: async () => {},
    });
    expect(result).toMatchObject({ ok: false, saved: false, title: 'The relay address is not valid' });
    expect(p.asked).toEqual([]);
  });
});
