import { describe, expect, it } from 'vitest';
import { describeCreated, describeDuration, describeViews } from './format.js';

describe('format', () => {
  it('describes durations in the largest whole unit', () => {
    expect(describeDuration(3600)).toBe('1 hour');
    expect(describeDuration(300)).toBe('5 minutes');
    expect(describeDuration(604_800)).toBe('7 days');
    expect(describeDuration(45)).toBe('45 seconds');
    expect(describeDuration(0)).toBe('0 seconds');
  });

  it('writes the notification text', () => {
    expect(describeViews(1)).toBe('1 view');
    expect(describeCreated(1, 3600, true)).toBe('Link copied: 1 view, expires in 1 hour');
    expect(describeCreated(3, 86_400, false)).toBe('Link created: 3 views, expires in 1 day');
  });
});
