import type { ReceiptResponse } from '@psst/protocol/api';
import { describe, expect, it } from 'vitest';
import {
  addEntry,
  applyReceipt,
  entryFromCreate,
  FIRST_CHECK_SECONDS,
  isDue,
  MAX_CHECK_SECONDS,
  MAX_HISTORY,
  nextCheckTime,
} from './history.js';

const T0 = new Date('2026-01-01T10:00:00.000Z');
const created = { id: 'AAAAAAAAAAAAAAAAAAAAAA', manageToken: `${'M'.repeat(42)}A`, expiresAt: '2026-01-01T11:00:00.000Z' };

function receipt(over: Partial<ReceiptResponse>): ReceiptResponse {
  return { state: 'active', createdAt: T0.toISOString(), expiresAt: created.expiresAt, viewsLeft: 2, readAt: null, ...over };
}

describe('history', () => {
  it('keeps ids, tokens, times and views but no key, text or link', () => {
    const entry = entryFromCreate('http://127.0.0.1:8787', created, { views: 2, label: '  wifi  ' }, T0);
    expect(entry).toEqual({
      relayOrigin: 'http://127.0.0.1:8787',
      id: created.id,
      manageToken: created.manageToken,
      createdAt: T0.toISOString(),
      expiresAt: created.expiresAt,
      views: 2,
      viewsLeft: 2,
      state: 'waiting',
      readAt: null,
      label: 'wifi',
      nextCheckAt: new Date(T0.getTime() + FIRST_CHECK_SECONDS * 1000).toISOString(),
      checkIntervalSeconds: FIRST_CHECK_SECONDS,
    });
    expect(JSON.stringify(entry)).not.toMatch(/#|\/s\//);
  });

  it('drops an empty label', () => {
    expect(entryFromCreate('http://r', created, { views: 1, label: '  ' }, T0)).not.toHaveProperty('label');
  });

  it('puts new entries first and caps the list', () => {
    let entries = [] as ReturnType<typeof addEntry>;
    for (let i = 0; i < MAX_HISTORY + 5; i++) {
      entries = addEntry(entries, entryFromCreate('http://r', { ...created, id: `${String(i).padStart(21, 'A')}A` }, { views: 1 }, T0));
    }
    expect(entries).toHaveLength(MAX_HISTORY);
    expect(entries[0]!.id).toBe(`${String(MAX_HISTORY + 4).padStart(21, 'A')}A`);
  });

  it('turns a read receipt into viewed with the time of the view', () => {
    const entry = entryFromCreate('http://r', created, { views: 1 }, T0);
    const next = applyReceipt(entry, receipt({ state: 'read', viewsLeft: 0, readAt: '2026-01-01T10:05:00.000Z' }), T0);
    expect(next.state).toBe('viewed');
    expect(next.readAt).toBe('2026-01-01T10:05:00.000Z');
  });

  it('backs off while nothing changes and resets after a view', () => {
    let entry = entryFromCreate('http://r', created, { views: 2 }, T0);
    entry = applyReceipt(entry, receipt({}), T0);
    expect(entry.checkIntervalSeconds).toBe(FIRST_CHECK_SECONDS * 2);
    for (let i = 0; i < 10; i++) entry = applyReceipt(entry, receipt({}), T0);
    expect(entry.checkIntervalSeconds).toBe(MAX_CHECK_SECONDS);
    entry = applyReceipt(entry, receipt({ viewsLeft: 1, readAt: T0.toISOString() }), T0);
    expect(entry.checkIntervalSeconds).toBe(FIRST_CHECK_SECONDS);
    expect(entry.state).toBe('waiting');
  });

  it('never schedules a check later than just after the expiry', () => {
    const late = new Date('2026-01-01T10:59:00.000Z');
    let entry = entryFromCreate('http://r', created, { views: 1 }, T0);
    entry = { ...entry, checkIntervalSeconds: MAX_CHECK_SECONDS };
    const next = applyReceipt(entry, receipt({}), late);
    expect(Date.parse(next.nextCheckAt)).toBe(Date.parse(created.expiresAt) + 1000);
  });

  it('reads a 404 as expired after the expiry and as missing before it', () => {
    const entry = entryFromCreate('http://r', created, { views: 1 }, T0);
    expect(applyReceipt(entry, null, T0).state).toBe('missing');
    expect(applyReceipt(entry, null, new Date('2026-01-01T12:00:00.000Z')).state).toBe('expired');
  });

  it('finds due entries and the next wanted check among waiting ones only', () => {
    const a = entryFromCreate('http://r', created, { views: 1 }, T0);
    const b = { ...a, id: 'BAAAAAAAAAAAAAAAAAAAAA', nextCheckAt: '2026-01-01T10:00:30.000Z' };
    const c = { ...a, id: 'CAAAAAAAAAAAAAAAAAAAAA', state: 'viewed' as const, nextCheckAt: '2026-01-01T09:00:00.000Z' };
    expect(isDue(a, T0)).toBe(false);
    expect(isDue(b, new Date('2026-01-01T10:00:30.000Z'))).toBe(true);
    expect(isDue(c, T0)).toBe(false);
    expect(nextCheckTime([a, b, c])).toBe(Date.parse('2026-01-01T10:00:30.000Z'));
    expect(nextCheckTime([c])).toBeNull();
  });
});
