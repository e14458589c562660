import { entryFromCreate, type HistoryEntry } from '@psst/client/history';
import { json, recordingFetch, SOME_TOKEN } from '@psst/client/test-fakes';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { receiptDeps, refreshReceipts, revokeEntry, scheduleReceipts } from './history-store';
import { alarmTime, MIN_ALARM_DELAY_MS, pollReceipts, RECEIPT_ALARM } from './receipts';
import { historySetting } from './settings';

const T0 = new Date(Date.now() - 120_000);
const LATER = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, '.000Z');

function entry(id: string, views = 1): HistoryEntry {
  return entryFromCreate('http://127.0.0.1:8787', { id, manageToken: SOME_TOKEN, expiresAt: LATER }, { views }, T0);
}
const A = entry('AAAAAAAAAAAAAAAAAAAAAA');
const B = entry('BAAAAAAAAAAAAAAAAAAAAA', 2);

function receiptFetch(states: Record<string, { state: string; viewsLeft: number; readAt: string | null }>) {
  return recordingFetch((r) => {
    const id = /secrets\/([^/]+)\/receipt/.exec(r.url)?.[1] ?? '';
    const s = states[id];
    if (!s) return json(404, { error: 'not_found', message: 'x' });
    return json(200, { ...s, createdAt: T0.toISOString(), expiresAt: LATER });
  });
}

describe('receipts', () => {
  beforeEach(() => fakeBrowser.reset());

  it('turns a viewed link into viewed and says so once', async () => {
    await historySetting.setValue([A, B]);
    const fetch = receiptFetch({
      [A.id]: { state: 'read', viewsLeft: 0, readAt: '2026-01-01T10:05:00.000Z' },
      [B.id]: { state: 'active', viewsLeft: 2, readAt: null },
    });
    const viewed: HistoryEntry[] = [];
    const next = await pollReceipts(
      receiptDeps(fetch, async (e) => {
        viewed.push(e);
      }),
    );
    const [a, b] = await historySetting.getValue();
    expect(a).toMatchObject({ state: 'viewed', readAt: '2026-01-01T10:05:00.000Z', viewsLeft: 0 });
    expect(b).toMatchObject({ state: 'waiting', checkIntervalSeconds: 120 });
    expect(viewed.map((e) => e.id)).toEqual([A.id]);
    expect(next).toBe(Date.parse(b!.nextCheckAt));
    await pollReceipts(
      receiptDeps(fetch, async (e) => void viewed.push(e)),
      { force: true },
    );
    expect(viewed).toHaveLength(1);
  });

  it('leaves entries that are not due alone unless forced', async () => {
    const notDue = { ...A, nextCheckAt: LATER };
    await historySetting.setValue([notDue]);
    const fetch = receiptFetch({ [A.id]: { state: 'read', viewsLeft: 0, readAt: T0.toISOString() } });
    await pollReceipts(receiptDeps(fetch, async () => {}));
    expect(fetch.requests).toHaveLength(0);
    await pollReceipts(
      receiptDeps(fetch, async () => {}),
      { force: true },
    );
    expect((await historySetting.getValue())[0]!.state).toBe('viewed');
  });

  it('backs off when the relay cannot be reached', async () => {
    await historySetting.setValue([A]);
    const fetch = recordingFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    await pollReceipts(receiptDeps(fetch, async () => {}));
    expect((await historySetting.getValue())[0]).toMatchObject({ state: 'waiting', checkIntervalSeconds: 120 });
  });

  it('gives up on an unreachable relay once the tombstone would be purged', async () => {
    const old = { ...A, expiresAt: new Date(Date.now() - 2 * 86_400_000).toISOString() };
    await historySetting.setValue([old]);
    const fetch = recordingFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    expect(await pollReceipts(receiptDeps(fetch, async () => {}))).toBeNull();
    expect((await historySetting.getValue())[0]!.state).toBe('expired');
  });

  it('lets a revoke made during the poll win', async () => {
    await historySetting.setValue([A]);
    const fetch = recordingFetch(async () => {
      await historySetting.setValue([{ ...A, state: 'deleted' }]);
      return json(200, { state: 'active', createdAt: T0.toISOString(), expiresAt: LATER, viewsLeft: 1, readAt: null });
    });
    const next = await pollReceipts(receiptDeps(fetch, async () => {}));
    expect((await historySetting.getValue())[0]!.state).toBe('deleted');
    expect(next).toBeNull();
  });

  it('sets the alarm no sooner than Chrome allows and clears it when nothing waits', async () => {
    const now = new Date();
    expect(alarmTime(now.getTime(), now)).toBe(now.getTime() + MIN_ALARM_DELAY_MS);
    await scheduleReceipts(fakeBrowser.alarms, now.getTime() + 600_000);
    expect((await fakeBrowser.alarms.get(RECEIPT_ALARM))?.scheduledTime).toBe(now.getTime() + 600_000);
    await historySetting.setValue([{ ...A, state: 'viewed' }]);
    await refreshReceipts(receiptFetch({}), fakeBrowser.alarms, { force: true });
    expect(await fakeBrowser.alarms.get(RECEIPT_ALARM)).toBeUndefined();
  });

  it('revokes with the manage token and marks the entry deleted', async () => {
    await historySetting.setValue([A]);
    const fetch = recordingFetch(() => new Response(null, { status: 204 }));
    await revokeEntry(fetch, A, new Date());
    expect(fetch.requests[0]).toMatchObject({ method: 'DELETE', url: `http://127.0.0.1:8787/api/secrets/${A.id}` });
    expect(fetch.requests[0]!.headers.authorization).toBe(`Bearer ${SOME_TOKEN}`);
    expect((await historySetting.getValue())[0]!.state).toBe('deleted');
  });
});
