// The choice of clipboard tool.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findClipboardTool } from './clipboard.js';

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
