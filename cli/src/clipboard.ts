// `--copy`: the first clipboard tool that fits this session (Wayland, X11,
// macOS), found on PATH before anything is encrypted. The link goes to the
// tool on its standard input, never on its command line.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CliError, EXIT } from './exit-codes.js';

export interface ClipboardTool {
  command: string;
  args: string[];
}

type Env = Record<string, string | undefined>;

function findOnPath(name: string, env: Env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** The tools in order of preference, each only where its display is there. */
function candidates(env: Env, platform: NodeJS.Platform): ClipboardTool[] {
  const tools: ClipboardTool[] = [];
  if (platform === 'darwin') tools.push({ command: 'pbcopy', args: [] });
  if (env.WAYLAND_DISPLAY) tools.push({ command: 'wl-copy', args: [] });
  if (env.DISPLAY)
    tools.push({ command: 'xclip', args: ['-selection', 'clipboard'] }, { command: 'xsel', args: ['--clipboard', '--input'] });
  return tools;
}

export function findClipboardTool(env: Env = process.env, platform: NodeJS.Platform = process.platform): ClipboardTool {
  for (const tool of candidates(env, platform)) {
    const path = findOnPath(tool.command, env);
    if (path) return { command: path, args: tool.args };
  }
  throw new CliError(
    EXIT.local,
    'no_clipboard',
    'No clipboard tool found: --copy needs wl-copy (Wayland), xclip or xsel (X11, with DISPLAY set) or pbcopy (macOS). Leave out --copy to print the link instead.',
  );
}

const COPY_TIMEOUT_MS = 5000;

/** Writes `text` to the tool's standard input; rejects with CliError(local) if it fails. */
export function copyWith(tool: ClipboardTool, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => reject(new CliError(EXIT.local, 'copy_failed', `Could not copy with ${tool.command}: ${why}`));
    // stdout ignored: xclip keeps running to serve the selection and would hold a pipe open.
    const child = spawn(tool.command, tool.args, { stdio: ['pipe', 'ignore', 'pipe'], detached: false });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-500);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail('it did not finish');
    }, COPY_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(error.message);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else fail(stderr.trim() || `exit code ${code}`);
    });
    child.stdin?.end(text);
  });
}
