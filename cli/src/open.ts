// `psst open [LINK]`: Look first (consumes nothing) and say what waits, ask
// before consuming a view (unless --yes), then Reveal and decrypt with the
// shared reveal flow of @psst/client, and write the secret to stdout or --out.
import { sanitiseFileName, sanitiseMime } from '@psst/client/file-name';
import { createRelayClient } from '@psst/client/reveal-client';
import { lookUp, type RevealedSecret, revealSecret, type View } from '@psst/client/reveal-flow';
import type { LookResponse } from '@psst/protocol/api';
import { LinkError } from '@psst/protocol/errors';
import { type ParsedLink, parseLink } from '@psst/protocol/link';
import { CliError, EXIT } from './exit-codes.js';
import { InputTooLargeError, readCapped } from './input.js';
import { checkOutTarget, freePath, type OutTarget, writeSecretFile } from './output-file.js';
import { askPassphraseUntil, readPassphraseFile } from './passphrase.js';
import { withTerminal } from './terminal.js';
import { endProgress, progress, say } from './ui.js';
import { describeExpiry, viewFailure } from './words.js';

export interface OpenOptions {
  yes?: boolean;
  out?: string;
  force?: boolean;
  passphraseFile?: string;
  json?: boolean;
}

/** Far more than any link (origin, path prefix, id and key): stdin past this is no link, and is not read on. */
const MAX_LINK_BYTES = 16_384;

async function readLink(arg: string | undefined): Promise<string> {
  if (arg !== undefined && arg !== '-') return arg;
  if (!process.stdin.isTTY || arg === '-') {
    try {
      return new TextDecoder().decode(await readCapped(process.stdin, MAX_LINK_BYTES)).trim();
    } catch (error) {
      if (error instanceof InputTooLargeError)
        throw new CliError(
          EXIT.usage,
          'invalid_link',
          `This is not a usable psst link: standard input holds more than ${MAX_LINK_BYTES} bytes.`,
        );
      throw error;
    }
  }
  return withTerminal('pass the LINK as an argument', (terminal) => terminal.readHidden('Link (hidden, paste it and press Enter): '));
}

function parse(text: string): ParsedLink {
  try {
    return parseLink(text.trim());
  } catch (error) {
    // The protocol's words name the problem without repeating the link.
    if (error instanceof LinkError) throw new CliError(EXIT.usage, 'invalid_link', `This is not a usable psst link: ${error.message}`);
    throw error;
  }
}

function describeWaiting(look: LookResponse): string {
  const views = look.viewsLeft === 1 ? 'It can be viewed once, then it is destroyed' : `It can be viewed ${look.viewsLeft} more times`;
  return `A secret is waiting. ${views}; it ${describeExpiry(look.expiresAt)}.${look.kdf ? ' It needs a passphrase.' : ''}`;
}

async function confirm(): Promise<void> {
  const answer = await withTerminal('pass --yes to open it without asking', (terminal) =>
    terminal.ask('Reveal it now? This uses one view. [y/N] '),
  ).catch((error: unknown) => {
    if (error instanceof CliError && error.code === 'no_terminal')
      throw new CliError(
        EXIT.usage,
        'confirmation_needed',
        'Nothing was opened: there is no terminal to ask on, so pass --yes to reveal without asking.',
      );
    throw error;
  });
  if (!/^y(es)?$/i.test(answer.trim())) throw new CliError(EXIT.cancelled, 'cancelled', 'Not revealed: nothing was consumed.');
}

export async function runOpen(linkArg: string | undefined, options: OpenOptions): Promise<void> {
  const link = parse(await readLink(linkArg));
  const target: OutTarget | undefined = options.out === undefined ? undefined : checkOutTarget(options.out, options.force === true);
  const filePassphrase = options.passphraseFile === undefined ? undefined : readPassphraseFile(options.passphraseFile);
  const client = createRelayClient(link.origin, (...args) => fetch(...args));

  const looked = await lookUp(link, client);
  if (looked.kind !== 'waiting') throw viewFailure(looked);
  const { look } = looked;
  say(describeWaiting(look));
  if (!options.yes) await confirm();

  const onPhase = (phase: 'deriving' | 'revealing', fraction: number) =>
    progress(phase === 'deriving' ? 'Checking the passphrase…' : 'Revealing…', phase === 'deriving' ? fraction : undefined);
  let view: View;
  try {
    if (look.kdf === null) {
      view = await revealOnce(link, look, client, '', onPhase);
    } else if (filePassphrase !== undefined) {
      view = await revealOnce(link, look, client, filePassphrase, onPhase);
    } else {
      view = await askPassphraseUntil<View>(async (passphrase) => {
        const outcome = await revealSecret(link, look, client, passphrase, onPhase);
        endProgress();
        return 'wrongPassphrase' in outcome ? { attemptsLeft: outcome.wrongPassphrase } : { done: outcome.view };
      });
    }
  } finally {
    endProgress();
  }
  if (view.kind !== 'revealed') throw viewFailure(view);
  writeRevealed(view.secret, target, options);
  say(
    view.viewsLeft === 0
      ? 'It is now destroyed on the relay.'
      : `The link can be opened ${view.viewsLeft} more ${view.viewsLeft === 1 ? 'time' : 'times'}.`,
  );
}

async function revealOnce(
  link: ParsedLink,
  look: LookResponse,
  client: ReturnType<typeof createRelayClient>,
  passphrase: string,
  onPhase: (phase: 'deriving' | 'revealing', fraction: number) => void,
): Promise<View> {
  const outcome = await revealSecret(link, look, client, passphrase, onPhase);
  if ('wrongPassphrase' in outcome) {
    const left = outcome.wrongPassphrase;
    throw new CliError(
      EXIT.refused,
      'wrong_passphrase',
      `Wrong passphrase: ${left} ${left === 1 ? 'attempt' : 'attempts'} left before the secret is destroyed.`,
      {
        attemptsLeft: left,
      },
    );
  }
  return outcome.view;
}

/**
 * Text for a terminal: control characters other than newline and tab (and
 * the CR of CRLF) are shown as \xNN, so a secret cannot move the cursor,
 * retitle the window or write the clipboard. Pipes and files get the bytes.
 */
export function forTerminal(text: string): { text: string; changed: boolean } {
  let changed = false;
  const shown = text.replace(/\r(?!\n)|[^\P{Cc}\n\t\r]/gu, (ch) => {
    changed = true;
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return { text: shown, changed };
}

function writeRevealed(secret: RevealedSecret, target: OutTarget | undefined, options: OpenOptions): void {
  const bytes = secret.type === 'text' ? new TextEncoder().encode(secret.text) : secret.bytes;
  const name = secret.type === 'file' ? sanitiseFileName(secret.name) : 'secret.txt';
  let path: string | undefined;
  if (target?.kind === 'file') path = target.path;
  else if (target?.kind === 'folder') path = freePath(target.path, name);
  else if (secret.type === 'file' && process.stdout.isTTY && !options.json) path = freePath('.', name); // bytes would garble the terminal

  if (path !== undefined) writeSecretFile(path, bytes, !(target?.kind === 'file' && options.force));
  if (options.json) {
    const described =
      secret.type === 'text' ? { type: 'text' } : { type: 'file', name, mime: sanitiseMime(secret.mime), size: bytes.length };
    const content =
      path !== undefined
        ? { savedTo: path }
        : secret.type === 'text'
          ? { text: secret.text }
          : { base64: Buffer.from(bytes).toString('base64') };
    process.stdout.write(`${JSON.stringify({ ...described, ...content })}\n`);
  } else if (path === undefined) {
    if (secret.type === 'text' && process.stdout.isTTY) {
      const shown = forTerminal(secret.text);
      process.stdout.write(shown.text.endsWith('\n') ? shown.text : `${shown.text}\n`);
      if (shown.changed) say('(Control characters are shown as \\xNN; pipe or --out to get the exact bytes.)');
    } else process.stdout.write(bytes);
  }
  if (secret.type === 'file') {
    const where = path !== undefined ? `saved as ${path}` : `its name: ${name}`;
    say(`A file, ${bytes.length} bytes, ${sanitiseMime(secret.mime)}; ${where}.`);
  } else if (path !== undefined) say(`Saved as ${path}.`);
}
