// The exit codes of every psst command, documented in the README and in
// `psst --help`. Scripts switch on them, so they never change meaning.

export const EXIT = {
  /** Done. */
  ok: 0,
  /** Bad arguments or input: unknown option, bad --ttl, not a psst link, nothing to share. */
  usage: 1,
  /** The secret is not there: unknown, wrong key, already viewed, expired, deleted or burned. */
  gone: 2,
  /** The relay refused: wrong passphrase, too large, rate limited, full, creation off, proof of work. */
  refused: 3,
  /** The relay could not be reached, or did not answer as a psst relay. */
  network: 4,
  /** A local problem: a file that exists or cannot be read or written, no clipboard tool, no terminal to ask on. */
  local: 5,
  /** The secret arrived but could not be decrypted: the link is damaged or the data was changed. */
  decrypt: 6,
  /** Stopped by the user (declined the question, Ctrl-C). */
  cancelled: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0    done
  1    usage: bad arguments or input (bad --ttl, not a psst link, nothing to share)
  2    not found or gone (unknown, already viewed, expired, deleted, burned)
  3    the relay refused (wrong passphrase, too large, rate limited, full, proof of work)
  4    network: the relay could not be reached or did not answer as a psst relay
  5    local: file exists or cannot be read/written, no clipboard tool, no terminal
  6    the secret could not be decrypted (damaged link or data)
  130  cancelled`;

/**
 * Every failure a command reports: a stable code for --json, words for
 * people, and the exit code. Messages never contain a key, a link, a
 * passphrase, a token or secret text.
 */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    readonly exitCode: ExitCode,
    /** Stable, for --json: "not_found", "gone", "wrong_passphrase", "rate_limited"… */
    readonly code: string,
    message: string,
    /** Extra machine-readable fields for --json (reason, attemptsLeft, retryAfter…). */
    readonly details: Record<string, string | number | boolean | null> = {},
  ) {
    super(message);
  }
}

/**
 * A file named on the command line could not be opened. A missing one is not named back (`missing`
 * says what the argument is for instead): what was typed may be the secret or the passphrase itself
 * (`psst hunter2`), which must not reach a terminal's scrollback or a CI log.
 */
export function unreadableFile(error: unknown, described: string, missing: string): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CliError(EXIT.local, 'file_unreadable', missing);
  return new CliError(EXIT.local, 'file_unreadable', `Cannot read ${described}: ${code ?? (error as Error).message}`);
}
