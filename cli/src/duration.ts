// `--ttl` values: 90s, 15m, 1h, 7d, or whole seconds.
import { MIN_TTL_SECONDS } from '@psst/protocol/limits';
import { CliError, EXIT } from './exit-codes.js';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

export function parseTtl(value: string): number {
  const match = /^(\d{1,9})([smhd]?)$/.exec(value.trim().toLowerCase());
  if (!match)
    throw new CliError(EXIT.usage, 'invalid_ttl', `--ttl must be a number with s, m, h or d (like 90s, 15m, 1h, 7d), not "${value}"`);
  const seconds = Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] ?? 1);
  if (seconds < MIN_TTL_SECONDS) throw new CliError(EXIT.usage, 'invalid_ttl', `--ttl must be at least ${MIN_TTL_SECONDS} seconds (1m)`);
  return seconds;
}

export function parseViews(value: string): number {
  if (!/^\d{1,6}$/.test(value.trim()) || Number(value) < 1)
    throw new CliError(EXIT.usage, 'invalid_views', `--views must be a whole number of at least 1, not "${value}"`);
  return Number(value);
}
