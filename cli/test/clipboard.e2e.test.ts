// --copy: the choice of clipboard tool and how the link reaches it. No X
// server or Wayland compositor runs here, so the "tool" is a small script put
// first on PATH that records what it was given: this tests psst's choice and
// hand-over, not a clipboard.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRelay, startRelay } from '../../test-support/relay.js';
import { makeHome, type PsstHome, runPsst } from './run-psst.js';

let relay: RunningRelay;
let home: PsstHome;
let bin: string;
const nodeDir = dirname(process.execPath);

beforeAll(async () => {
  relay = await startRelay();
  home = makeHome(relay.origin);
  bin = join(home.dir, 'bin');
  mkdirSync(bin);
});

afterAll(async () => {
  await relay?.stop();
  home?.remove();
});

function fakeTool(name: string): { argsFile: string; stdinFile: string } {
  const argsFile = join(home.dir, `${name}.args`);
  const stdinFile = join(home.dir, `${name}.stdin`);
  writeFileSync(join(bin, name), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\ncat > '${stdinFile}'\n`);
  chmodSync(join(bin, name), 0o755);
  return { argsFile, stdinFile };
}

describe('psst --copy', () => {
  it('with no clipboard tool, says which to install, exit 5, and creates nothing', async () => {
    const result = await runPsst(['--copy'], { home, input: 'x', env: { PATH: `${bin}:${nodeDir}` } });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('No clipboard tool found: --copy needs wl-copy (Wayland), xclip or xsel');
    expect(existsSync(home.historyFile)).toBe(false);
    expect(relay.logs()).not.toContain('"POST"');
  });

  it('an X11 tool without DISPLAY is not chosen', async () => {
    fakeTool('xclip');
    const result = await runPsst(['--copy'], { home, input: 'x', env: { PATH: `${bin}:${nodeDir}` } });
    expect(result.code).toBe(5);
  });

  it('gives the link to xclip on its standard input, never on its command line, and prints nothing on stdout', async () => {
    const xclip = fakeTool('xclip');
    const result = await runPsst(['--copy'], { home, input: 'to the clipboard', env: { PATH: `${bin}:${nodeDir}`, DISPLAY: ':99' } });
    expect(result.code).toBe(0);
    expect(result.out).toBe('');
    expect(result.stderr).toContain('Link copied: 1 view, expires in 1 hour');
    const link = readFileSync(xclip.stdinFile, 'utf8');
    expect(link).toMatch(/\/s\/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(xclip.argsFile, 'utf8')).toBe('-selection\nclipboard\n');
    const opened = await runPsst(['open', '--yes', link], { home });
    expect(opened.out).toBe('to the clipboard');
  });

  it('prefers wl-copy under Wayland', async () => {
    const wl = fakeTool('wl-copy');
    fakeTool('xclip');
    const result = await runPsst(['--copy', '--json'], {
      home,
      input: 'wayland',
      env: { PATH: `${bin}:${nodeDir}`, DISPLAY: ':99', WAYLAND_DISPLAY: 'wayland-0' },
    });
    expect(result.code).toBe(0);
    expect(readFileSync(wl.stdinFile, 'utf8')).toBe(JSON.parse(result.out).link);
    expect(readFileSync(wl.argsFile, 'utf8')).toBe('\n'); // printf of no arguments: no argument given
  });

  it('prints the link when the tool fails, so it is not lost, exit 5', async () => {
    writeFileSync(join(bin, 'xsel'), '#!/bin/sh\ncat > /dev/null\necho "cannot open display" >&2\nexit 1\n');
    chmodSync(join(bin, 'xsel'), 0o755);
    const onlyXsel = join(home.dir, 'bin2');
    mkdirSync(onlyXsel);
    writeFileSync(join(onlyXsel, 'xsel'), readFileSync(join(bin, 'xsel')));
    chmodSync(join(onlyXsel, 'xsel'), 0o755);
    const result = await runPsst(['--copy'], { home, input: 'not lost', env: { PATH: `${onlyXsel}:${nodeDir}`, DISPLAY: ':99' } });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('cannot open display');
    expect((await runPsst(['open', '--yes', result.out.trim()], { home })).out).toBe('not lost');
  });
});
