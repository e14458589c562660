#!/usr/bin/env node
// `pnpm start`: runs the built relay with the built reveal page (when there is
// one), so one command gives a working local psst. Prints the address and
// passes SIGINT/SIGTERM on, so Ctrl-C shuts the relay down cleanly.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const main = join(root, 'relay/dist/main.js');
const page = join(root, 'reveal-page/dist');
// The V8 flags the relay is measured and deployed with (see the file's comment).
const { flags } = JSON.parse(readFileSync(join(root, 'relay/node-flags.json'), 'utf8'));

if (!existsSync(main)) {
  console.error('relay/dist/main.js is missing: run `pnpm build` first (`pnpm start` does).');
  process.exit(1);
}
const env = { ...process.env };
if (!env.PSST_STATIC_DIR && existsSync(join(page, 'index.html'))) env.PSST_STATIC_DIR = page;
if (!env.PSST_DB_PATH) env.PSST_DB_PATH = join(root, 'data/psst.db');

const child = spawn(process.execPath, [...flags, main], { env, stdio: ['ignore', 'pipe', 'inherit'] });
let announced = false;
let pending = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (announced) return;
  pending += chunk.toString('utf8');
  for (const line of pending.split('\n')) {
    if (!line.includes('"listening"')) continue;
    try {
      const event = JSON.parse(line);
      const host = event.host.includes(':') ? `[${event.host}]` : event.host;
      announced = true;
      pending = '';
      const what = env.PSST_STATIC_DIR ? 'psst is running' : 'psst relay is running (API only: build the reveal page for the web page)';
      console.error(
        `\n  ${what} at http://${host}:${event.port}\n  metrics at http://${event.metricsHost}:${event.metricsPort}/metrics\n  Ctrl-C stops it.\n`,
      );
    } catch {
      // not the JSON line yet
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
