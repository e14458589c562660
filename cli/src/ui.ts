// What goes to stderr: messages, progress (only on a terminal), colour (only
// on a terminal, and never with NO_COLOR), and errors (words, or one JSON line
// with --json). Standard output carries only results.
import { CliError, EXIT } from './exit-codes.js';

const isTty = (): boolean => process.stderr.isTTY === true;

type Stream = NodeJS.WriteStream;

function colourOn(stream: Stream): boolean {
  return stream.isTTY === true && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

const paint = (code: string, text: string, stream: Stream): string => (colourOn(stream) ? `\u001b[${code}m${text}\u001b[0m` : text);
/** Bold and dim for the stream the text goes to (stderr unless told). */
export const bold = (text: string, stream: Stream = process.stderr): string => paint('1', text, stream);
export const dim = (text: string, stream: Stream = process.stderr): string => paint('2', text, stream);
const red = (text: string): string => paint('31', text, process.stderr);

let progressShown = false;
let lastProgress = '';

function clearProgress(): void {
  if (progressShown) {
    process.stderr.write('\r\u001b[K');
    progressShown = false;
    lastProgress = '';
  }
}

/** A line for people on stderr. */
export function say(text: string): void {
  clearProgress();
  process.stderr.write(`${text}\n`);
}

/** One progress line, rewritten in place; nothing when stderr is not a terminal. */
export function progress(text: string, fraction?: number): void {
  if (!isTty()) return;
  const line = fraction === undefined ? text : `${text} ${Math.floor(fraction * 100)}%`;
  if (line === lastProgress) return; // scrypt reports thousands of times: redraw only what changed
  lastProgress = line;
  process.stderr.write(`\r\u001b[K${dim(line)}`);
  progressShown = true;
}

export function endProgress(): void {
  clearProgress();
}

/** Reports an error and returns the exit code. Unknown errors are reported without their stack. */
export function reportError(error: unknown, json: boolean): number {
  clearProgress();
  const known =
    error instanceof CliError
      ? error
      : new CliError(EXIT.local, 'internal', `Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  if (json) {
    process.stderr.write(`${JSON.stringify({ error: known.code, message: known.message, exitCode: known.exitCode, ...known.details })}\n`);
  } else {
    process.stderr.write(`${red('psst:')} ${known.message}\n`);
  }
  return known.exitCode;
}
