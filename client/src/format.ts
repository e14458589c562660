// Words for durations, views and states, shared by notifications and the UI.

const UNITS: [number, string][] = [
  [86_400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** 3600 → "1 hour", 90 → "2 minutes" (rounded to the largest unit that fits). */
export function describeDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  for (const [size, unit] of UNITS) {
    if (s >= size) {
      const n = Math.round(s / size);
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return '0 seconds';
}

export function describeViews(views: number): string {
  return `${views} view${views === 1 ? '' : 's'}`;
}

/** "Link copied: 1 view, expires in 1 hour". */
export function describeCreated(views: number, ttlSeconds: number, copied: boolean): string {
  return `${copied ? 'Link copied' : 'Link created'}: ${describeViews(views)}, expires in ${describeDuration(ttlSeconds)}`;
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
