// The expiry and views a creator may choose, bounded by the relay's settings
// (GET /api/config): the same choices in the popup, the options page and the
// web composer.
import { DEFAULT_MAX_TTL_SECONDS, DEFAULT_MAX_VIEWS, MIN_TTL_SECONDS } from '@psst/protocol/limits';

/** Expiry choices offered, in seconds, before the relay's maximum bounds them. */
export const TTL_CHOICES = [300, 3600, 86_400, 604_800] as const;

/** A views count the relay accepts: a whole number from 1 to `max`. */
export function clampViews(value: number, max: number = DEFAULT_MAX_VIEWS): number {
  return Math.min(max, Math.max(1, Math.round(value) || 1));
}

/**
 * The expiries to offer: TTL_CHOICES and `extra` (e.g. a stored default not
 * among them) up to the relay's maximum, plus the maximum itself when it is
 * not a choice already, so the longest allowed expiry can always be picked.
 */
export function ttlChoicesFor(maxTtl: number = DEFAULT_MAX_TTL_SECONDS, extra?: number): number[] {
  const wanted = new Set<number>(TTL_CHOICES);
  if (extra !== undefined) wanted.add(extra);
  const within = [...wanted].filter((s) => s >= MIN_TTL_SECONDS && s <= maxTtl);
  if (!within.includes(maxTtl) && (within.length === 0 || maxTtl > Math.max(...within))) within.push(maxTtl);
  return within.sort((a, b) => a - b);
}

/** The expiry to start with: `wanted` when the relay allows it, else the longest choice that it allows. */
export function clampTtl(wanted: number, maxTtl: number = DEFAULT_MAX_TTL_SECONDS): number {
  if (wanted >= MIN_TTL_SECONDS && wanted <= maxTtl) return wanted;
  const choices = ttlChoicesFor(maxTtl).filter((s) => s <= Math.max(wanted, MIN_TTL_SECONDS));
  return choices.at(-1) ?? ttlChoicesFor(maxTtl)[0] ?? MIN_TTL_SECONDS;
}
