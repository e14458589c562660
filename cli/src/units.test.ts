// The pure pieces of the command: durations, text or file, ids from links,
// output to a terminal, free file names, XDG paths, the choice of clipboard tool.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findClipboardTool } from './clipboard.js';
import { parseTtl, parseViews } from './duration.js';
import { CliError } from './exit-codes.js';
import { idOf } from './history-file.js';
import { asText, classifyInput, mimeFor } from './input.js';
import { forTerminal } from './open.js';
import { freePath } from './output-file.js';
import { configPath, historyPath } from './paths.js';

describe('parseTtl', () => {
  it('reads 90s, 15m, 1h, 7d and bare seconds', () => {
    expect([parseTtl('90s'), parseTtl('15m'), parseTtl('1h'), parseTtl('7d'), parseTtl('3600'), parseTtl(' 2H ')]).toEqual([
      90, 900, 3600, 604_800, 3600, 7200,
    ]);
  });

  it('refuses anything else, and less than a minute, with a usage error', () => {
    for (const bad of ['', '1w', '-5m', '1.5h', 'soon', '59s', '0']) {
      expect(() => parseTtl(bad)).toThrow(CliError);
      try {
        parseTtl(bad);
      } catch (error) {
        expect((error as CliError).exitCode).toBe(1);
      }
    }
  });

  it('views are whole numbers of at least 1', () => {
    expect(parseViews('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'many']) expect(() => parseViews(bad)).toThrow(CliError);
  });
});

describe('text or file', () => {
  const bytes = (...values: number[]) => new Uint8Array(values);

  it('valid UTF-8 without NUL is text; anything else is a file', () => {
    expect(asText(new TextEncoder().encode('héllo 🔑\n'))).toBe('héllo 🔑\n');
    expect(asText(bytes(0xff))).toBeNull();
    expect(asText(bytes(0x61, 0x00, 0x62))).toBeNull();
    expect(asText(bytes(0xc3))).toBeNull(); // cut in the middle of a character
  });

  it('--file and --file-name make a file; names are cleaned, mime types guessed', () => {
    const text = new TextEncoder().encode('plain');
    expect(classifyInput({ bytes: text }, { forceFile: false })).toEqual({ type: 'text', text: 'plain' });
    expect(classifyInput({ bytes: text, fileName: 'a.txt' }, { forceFile: true })).toMatchObject({
      type: 'file',
      name: 'a.txt',
      mime: 'text/plain',
    });
    expect(classifyInput({ bytes: text }, { forceFile: false, fileName: '../x/report.PDF' })).toMatchObject({
      type: 'file',
      name: 'report.PDF',
      mime: 'application/pdf',
    });
    expect(classifyInput({ bytes: bytes(0xff) }, { forceFile: false })).toMatchObject({ type: 'file', name: 'secret.bin' });
    expect(mimeFor('archive.tar')).toBe('application/x-tar');
    expect(mimeFor('noextension')).toBe('application/octet-stream');
  });
});

describe('idOf', () => {
  const id = 'AbCdEfGhIjKlMnOpQrStUw';
  it('takes an id or the id of a link, and never repeats a link in its error', () => {
    expect(idOf(id)).toBe(id);
    expect(idOf(`https://psst.example.org/s/${id}#${'k'.repeat(43)}`)).toBe(id);
    expect(idOf(`https://psst.example.org/prefix/s/${id}`)).toBe(id);
    try {
      idOf('https://psst.example.org/x#thekeypart');
      expect.unreachable();
    } catch (error) {
      expect((error as CliError).message).not.toContain('thekeypart');
    }
  });
});

describe('forTerminal', () => {
  it('shows control characters as \\xNN but keeps newlines, tabs and CRLF', () => {
    expect(forTerminal('a\tb\r\nc\n')).toEqual({ text: 'a\tb\r\nc\n', changed: false });
    expect(forTerminal('\u001b[2J\u0007x\ry\u009b')).toEqual({ text: '\\x1b[2J\\x07x\\x0dy\\x9b', changed: true });
  });
});

describe('freePath', () => {
  it('never picks a name that exists, and never leaves the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'psst-free-'));
    writeFileSync(join(dir, 'report.pdf'), '');
    writeFileSync(join(dir, 'report (2).pdf'), '');
    expect(freePath(dir, 'report.pdf')).toBe(join(dir, 'report (3).pdf'));
    expect(freePath(dir, '../../etc/passwd')).toBe(join(dir, 'passwd'));
    expect(freePath(dir, '.bashrc')).toBe(join(dir, 'bashrc'));
    rmSync(dir, { recursive: true });
  });
});

describe('paths', () => {
  it('follow XDG, and ignore relative values as the spec says', () => {
    expect(historyPath({ XDG_STATE_HOME: '/s', HOME: '/h' })).toBe('/s/psst/history.json');
    expect(historyPath({ HOME: '/h' })).toBe('/h/.local/state/psst/history.json');
    expect(historyPath({ XDG_STATE_HOME: 'relative', HOME: '/h' })).toBe('/h/.local/state/psst/history.json');
    expect(configPath({ XDG_CONFIG_HOME: '/c', HOME: '/h' })).toBe('/c/psst/config.json');
    expect(configPath({ HOME: '/h' })).toBe('/h/.config/psst/config.json');
  });
});

describe('findClipboardTool', () => {
  it('chooses by session and PATH: pbcopy on macOS, wl-copy on Wayland, then xclip, then xsel', () => {
    const dir = mkdtempSync(join(tmpdir(), 'psst-clip-'));
    for (const name of ['pbcopy', 'wl-copy', 'xsel']) {
      writeFileSync(join(dir, name), '#!/bin/sh\n');
      chmodSync(join(dir, name), 0o755);
    }
    writeFileSync(join(dir, 'xclip'), 'not executable');
    const env = { PATH: dir };
    expect(findClipboardTool({ ...env, DISPLAY: ':0' }, 'darwin').command).toBe(join(dir, 'pbcopy'));
    expect(findClipboardTool({ ...env, DISPLAY: ':0', WAYLAND_DISPLAY: 'w' }, 'linux').command).toBe(join(dir, 'wl-copy'));
    expect(findClipboardTool({ ...env, DISPLAY: ':0' }, 'linux')).toEqual({ command: join(dir, 'xsel'), args: ['--clipboard', '--input'] });
    expect(() => findClipboardTool(env, 'linux')).toThrow(/No clipboard tool found/);
    rmSync(dir, { recursive: true });
  });
});
