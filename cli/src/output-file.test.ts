// Free file names for revealed files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePath } from './output-file.js';

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
