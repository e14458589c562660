// psst's own JSON files: nothing left behind when a write fails.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from './exit-codes.js';
import { writePrivateJson } from './private-file.js';

describe('writePrivateJson', () => {
  it('removes its temporary file when the rename fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'psst-private-'));
    const path = join(dir, 'history.json');
    mkdirSync(path); // a folder where the file goes: the temporary file is written, the rename fails
    expect(() => writePrivateJson(path, { manageToken: 'T'.repeat(43) })).toThrow(CliError);
    expect(readdirSync(dir)).toEqual(['history.json']);
    rmSync(dir, { recursive: true });
  });
});
