import { entryFromCreate } from '@psst/client/history';
import { json, recordingFetch, SOME_ID, SOME_TOKEN } from '@psst/client/test-fakes';
import { describe, expect, it } from 'vitest';
import { HISTORY_KEY, loadHistory, refreshHistory, rememberLink, revokeLink, saveHistory } from './web-history';

/** A Storage over a Map, as localStorage behaves. */
function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  };
}

const NOW = new Date('2026-01-01T10:00:00.000Z');
const ORIGIN = 'http://127.0.0.1:8787';
const entry = entryFromCreate(
  ORIGIN,
  { id: SOME_ID, manageToken: SOME_TOKEN, expiresAt: '2026-01-01T11:00:00.000Z' },
  { views: 1, label: 'wifi' },
  NOW,
);

describe('web history', () => {
  it('remembers links newest first and reads back only well-formed entries', () => {
    const storage = memoryStorage();
    rememberLink({ fetch: recordingFetch(() => json(500, {})), storage, now: () => NOW }, entry);
    expect(loadHistory(storage)).toEqual([entry]);
    storage.setItem(HISTORY_KEY, JSON.stringify([entry, { id: 'x' }, 'junk']));
    expect(loadHistory(storage)).toEqual([entry]);
    storage.setItem(HISTORY_KEY, '{not json');
    expect(loadHistory(storage)).toEqual([]);
    expect(loadHistory(undefined)).toEqual([]);
  });

  it('marks a link viewed from its receipt, and keeps it when the relay cannot answer', async () => {
    const storage = memoryStorage();
    saveHistory(storage, [entry]);
    const down = recordingFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    expect((await refreshHistory({ fetch: down, storage, now: () => NOW }))[0]?.state).toBe('waiting');
    const receipt = {
      state: 'read',
      createdAt: entry.createdAt,
      expiresAt: entry.expiresAt,
      viewsLeft: 0,
      readAt: '2026-01-01T10:05:00.000Z',
    };
    const relay = recordingFetch(() => json(200, receipt));
    const [viewed] = await refreshHistory({ fetch: relay, storage, now: () => NOW });
    expect(viewed).toMatchObject({ state: 'viewed', readAt: '2026-01-01T10:05:00.000Z' });
    expect(relay.requests[0]?.headers.authorization).toBe(`Bearer ${SOME_TOKEN}`);
    expect(loadHistory(storage)[0]?.state).toBe('viewed');
  });

  it('revokes with the manage token and marks the entry', async () => {
    const storage = memoryStorage();
    saveHistory(storage, [entry]);
    const relay = recordingFetch(() => new Response(null, { status: 204 }));
    const [revoked] = await revokeLink({ fetch: relay, storage, now: () => NOW }, entry);
    expect(revoked?.state).toBe('deleted');
    expect(relay.requests[0]).toMatchObject({ method: 'DELETE', url: `${ORIGIN}/api/secrets/${SOME_ID}` });
  });

  it('stores neither keys nor links: only what history entries hold', () => {
    const storage = memoryStorage();
    saveHistory(storage, [entry]);
    expect(Object.keys(JSON.parse(storage.getItem(HISTORY_KEY) ?? '[]')[0]).sort()).toEqual(
      [
        'checkIntervalSeconds',
        'createdAt',
        'expiresAt',
        'id',
        'label',
        'manageToken',
        'nextCheckAt',
        'readAt',
        'relayOrigin',
        'state',
        'views',
        'viewsLeft',
      ].sort(),
    );
    saveHistory(storage, []);
    expect(storage.getItem(HISTORY_KEY)).toBeNull();
  });
});
