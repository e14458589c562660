// The Firefox build passes Mozilla's linter (the web-ext npm package) with no
// errors. Uses the output of `pnpm build`, which runs before the tests.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const firefoxDir = join(root, '.output', 'firefox-mv2');
const webExt = join(root, 'node_modules', 'web-ext', 'bin', 'web-ext.js');

interface LintMessage {
  code: string;
  message: string;
  file?: string;
}

describe('Firefox build', () => {
  it('passes web-ext lint with no errors', async () => {
    if (!existsSync(join(firefoxDir, 'manifest.json'))) {
      throw new Error(`${firefoxDir} is missing: run \`pnpm --filter @psst/extension build\` first`);
    }
    // web-ext exits non-zero when it finds errors; the JSON report is on stdout either way.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [webExt, 'lint', '--source-dir', firefoxDir, '--output', 'json', '--no-config-discovery'],
      {
        cwd: root,
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as { summary: { errors: number }; errors: LintMessage[]; warnings: LintMessage[] };
    expect(report.errors.map((e) => `${e.code} ${e.file ?? ''}: ${e.message}`)).toEqual([]);
    expect(report.summary.errors).toBe(0);
    // The one known warning is preact's own innerHTML support, which psst never uses.
    expect(report.warnings.filter((w) => w.code !== 'UNSAFE_VAR_ASSIGNMENT').map((w) => w.code)).toEqual([]);
  });
});
