// History entries read back from storage.
import { describe, expect, it } from 'vitest';
import { entryFromCreate } from './history.js';
import { isHistoryEntry } from './history-guard.js';

describe('isHistoryEntry', () => {
  const entry = entryFromCreate(
    'https://psst.example.org',
    { id: 'AbCdEfGhIjKlMnOpQrStUw', manageToken: 'T'.repeat(43), expiresAt: '2026-12-01T12:00:00.000Z' },
    { views: 1, label: 'db' },
    new Date('2026-12-01T11:00:00.000Z'),
  );

  it('takes what entryFromCreate makes, and refuses a damaged or foreign entry', () => {
    expect(isHistoryEntry(entry)).toBe(true);
    expect(isHistoryEntry({ ...entry, readAt: '2026-12-01T11:30:00.000Z', state: 'viewed' })).toBe(true);
    for (const bad of [
      null,
      'entry',
      { ...entry, state: 'gone' },
      { ...entry, state: 'toString' },
      { ...entry, manageToken: undefined },
      { ...entry, views: '1' },
      { ...entry, readAt: undefined },
      { ...entry, checkIntervalSeconds: undefined },
      { ...entry, label: 3 },
    ])
      expect(isHistoryEntry(bad), JSON.stringify(bad)).toBe(false);
  });
});
