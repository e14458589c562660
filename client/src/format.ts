// Words for durations, views and states, shared by notifications and the UI.

const UNITS = [
  [86_400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
] as const;

/**
 * 3600 → "1 hour", 90 → "2 minutes" (rounded to the largest unit that fits),
 * in `locale`'s words for the unit (Intl), English unless a UI passes its language.
 */
export function describeDuration(seconds: number, locale = 'en'): string {
  const s = Math.max(0, Math.round(seconds));
  const [size, unit] = UNITS.find(([size]) => s >= size) ?? [1, 'second'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(Math.round(s / size));
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
