// Questions asked on the terminal itself (/dev/tty), so that they work while
// standard input is a pipe carrying the secret: a passphrase or a link read
// without echo, and a yes/no question. No terminal: null, and the caller
// says which option to use instead.
import { openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { CliError, EXIT } from './exit-codes.js';

export interface Terminal {
  /** Reads one line without echoing it. Ctrl-C or Ctrl-D on an empty line cancels (exit 130). */
  readHidden(prompt: string): Promise<string>;
  /** Reads one visible line. */
  ask(prompt: string): Promise<string>;
  /** Writes to the terminal (for words that must reach a person even when stderr is redirected). */
  write(text: string): void;
  close(): void;
}

function openStreams(): { input: ReadStream; output: WriteStream } | null {
  try {
    // Two descriptors: each stream closes its own.
    return { input: new ReadStream(openSync('/dev/tty', 'r')), output: new WriteStream(openSync('/dev/tty', 'w')) };
  } catch {
    // No controlling terminal (CI, a service, Windows): fall back to stdin when it is one.
    if (process.stdin.isTTY && process.stderr.isTTY) return { input: process.stdin as ReadStream, output: process.stderr as WriteStream };
    return null;
  }
}

/** The controlling terminal, or null when there is none (CI, cron, `ssh host psst` without -t). */
export function openTerminal(): Terminal | null {
  const streams = openStreams();
  if (!streams) return null;
  const { input, output } = streams;
  const owned = input !== process.stdin;

  function readLine(prompt: string, echo: boolean): Promise<string> {
    // Raw mode before the prompt: a person (or a test) who types as soon as it shows is never echoed.
    input.setRawMode(true);
    output.write(prompt);
    input.resume();
    return new Promise((resolve, reject) => {
      let line = '';
      let inEscape = false;
      const finish = (error?: CliError) => {
        input.off('data', onData);
        input.setRawMode(false);
        input.pause();
        output.write('\n');
        if (error) reject(error);
        else resolve(line);
      };
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (inEscape) {
            // Skip an escape sequence (arrow keys, bracketed paste markers): it ends with a letter or ~.
            if (/[A-Za-z~]/.test(ch)) inEscape = false;
            continue;
          }
          if (ch === '\r' || ch === '\n') return finish();
          if (ch === '\u0003' || (ch === '\u0004' && line === '')) return finish(new CliError(EXIT.cancelled, 'cancelled', 'Cancelled.'));
          if (ch === '\u001b') inEscape = true;
          else if (ch === '\u007f' || ch === '\b') {
            const chars = Array.from(line);
            if (chars.length > 0) {
              chars.pop();
              line = chars.join('');
              if (echo) output.write('\b \b');
            }
          } else if (ch >= ' ') {
            line += ch;
            if (echo) output.write(ch);
          }
        }
      };
      input.on('data', onData);
    });
  }

  return {
    readHidden: (prompt) => readLine(prompt, false),
    ask: (prompt) => readLine(prompt, true),
    write: (text) => output.write(text),
    close() {
      if (owned) {
        input.destroy();
        output.destroy();
      }
    },
  };
}

/** Opens the terminal for one use, or throws CliError(local) with `instead` as the way out. */
export async function withTerminal<T>(instead: string, use: (terminal: Terminal) => Promise<T>): Promise<T> {
  const terminal = openTerminal();
  if (!terminal) throw new CliError(EXIT.local, 'no_terminal', `There is no terminal to ask on: ${instead}`);
  try {
    return await use(terminal);
  } finally {
    terminal.close();
  }
}
