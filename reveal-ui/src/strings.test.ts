import { describe, expect, it } from 'vitest';
import { formatBytes, formatRelative, strings } from './strings.js';

describe('strings', () => {
  const now = new Date('2026-11-26T10:00:00Z');
  it('describes times relative to now', () => {
    expect(formatRelative(new Date('2026-11-26T10:00:30Z'), now)).toBe('in less than a minute');
    expect(formatRelative(new Date('2026-11-26T09:59:59.6Z'), now)).toBe('less than a minute ago');
    expect(formatRelative(new Date('2026-11-26T10:45:00Z'), now)).toBe('in 45 minutes');
    expect(formatRelative(new Date('2026-11-26T13:00:00Z'), now)).toBe('in 3 hours');
    expect(formatRelative(new Date('2026-12-03T10:00:00Z'), now)).toBe('in 7 days');
    expect(formatRelative(new Date('2026-11-26T08:00:00Z'), now)).toBe('2 hours ago');
    expect(formatRelative(new Date('2026-11-26T10:59:50Z'), now)).toBe('in 1 hour');
    expect(formatRelative(new Date('2026-11-27T09:59:00Z'), now)).toBe('tomorrow');
  });

  it('counts views, attempts and bytes in the right number', () => {
    expect(strings.waiting.views(1)).toContain('once');
    expect(strings.waiting.views(3)).toContain('3 more times');
    expect(strings.waiting.wrongPassphrase(1)).toContain('1 attempt left');
    expect(strings.revealed.viewsLeft(1)).toContain('1 more time.');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(strings.rateLimited.body(1)).toContain('1 second ');
    expect(strings.rateLimited.body(150)).toContain('about 3 minutes');
    expect(strings.rateLimited.body(60)).toContain('about 1 minute ');
  });
});
