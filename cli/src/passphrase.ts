// Passphrases: from --passphrase-file, or asked on the terminal without echo
// (twice when creating). Never from the command line or the environment.
import { readFileSync } from 'node:fs';
import { CliError, EXIT, unreadableFile } from './exit-codes.js';
import { withTerminal } from './terminal.js';

/** The file's content without one trailing newline (what `echo pass > file` adds). */
export function readPassphraseFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw unreadableFile(
      error,
      `the passphrase file ${path}`,
      'There is no such passphrase file: --passphrase-file takes the name of a file that holds the passphrase (or use --passphrase to be asked without echo).',
    );
  }
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase === '') throw new CliError(EXIT.usage, 'empty_passphrase', `The passphrase file ${path} is empty.`);
  return passphrase;
}

const NO_TERMINAL = 'use --passphrase-file FILE';

export function askNewPassphrase(): Promise<string> {
  return withTerminal(NO_TERMINAL, async (terminal) => {
    const first = await terminal.readHidden('Passphrase (hidden): ');
    if (first === '') throw new CliError(EXIT.usage, 'empty_passphrase', 'The passphrase is empty: nothing was shared.');
    const second = await terminal.readHidden('Passphrase again: ');
    if (first !== second) throw new CliError(EXIT.usage, 'passphrase_mismatch', 'The two passphrases differ: nothing was shared.');
    return first;
  });
}

/**
 * A passphrase for opening, with a check that may ask again (wrong passphrase
 * on the relay): `attempt` returns null to stop, or attemptsLeft to ask again.
 */
export function askPassphraseUntil<T>(attempt: (passphrase: string) => Promise<{ done: T } | { attemptsLeft: number }>): Promise<T> {
  return withTerminal(NO_TERMINAL, async (terminal) => {
    for (;;) {
      const passphrase = await terminal.readHidden('Passphrase (hidden): ');
      if (passphrase === '') throw new CliError(EXIT.cancelled, 'cancelled', 'No passphrase given: nothing was opened.');
      const outcome = await attempt(passphrase);
      if ('done' in outcome) return outcome.done;
      terminal.write(`Wrong passphrase: ${outcome.attemptsLeft} ${outcome.attemptsLeft === 1 ? 'attempt' : 'attempts'} left.\n`);
    }
  });
}
