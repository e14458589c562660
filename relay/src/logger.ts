// One JSON line per event on stdout. Callers pass only what may be logged:
// never an id, a token, an envelope or a client address.
import type { LogLevel } from './config.js';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** Lifecycle events (listening, shutting_down, stopped): written at level info whatever PSST_LOG_LEVEL says. */
  lifecycle(event: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const threshold = RANK[level];
  const line = (at: LogLevel, event: string, fields?: LogFields) =>
    write(`${JSON.stringify({ time: new Date().toISOString(), level: at, event, ...fields })}\n`);
  const log = (at: LogLevel) => (event: string, fields?: LogFields) => {
    if (RANK[at] >= threshold) line(at, event, fields);
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    lifecycle: (event, fields) => line('info', event, fields),
  };
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, lifecycle() {} };
