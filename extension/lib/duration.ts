// A duration in words of the active language ("1 hour", "2 days"), rounded to
// the largest unit that fits, as @psst/client/format's English describeDuration
// does: Intl's unit names, so no catalogue entry per unit.
import { currentLanguage } from '@psst/i18n';

const UNITS = [
  [86_400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
] as const;

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const [size, unit] = UNITS.find(([size]) => s >= size) ?? [1, 'second'];
  return new Intl.NumberFormat(currentLanguage(), { style: 'unit', unit, unitDisplay: 'long' }).format(Math.round(s / size));
}
