// Builds the whole command, with @psst/client, @psst/protocol, their noble
// and zod code, and commander, into one file: dist/psst.mjs, with a node
// shebang, runnable on Node 20+ by `npx`, `pnpm dlx` or as a copied file.
// Workspace packages are read from their TypeScript sources (the "source"
// export condition), so the build needs no other package built first.
import { chmodSync, renameSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = await rolldown({
  input: `${root}src/main.ts`,
  platform: 'node',
  cwd: root,
  external: [/^node:/],
  resolve: { conditionNames: ['source', 'node', 'import', 'default'], extensionAlias: { '.js': ['.ts', '.js'] } },
  transform: { target: 'node20' },
  logLevel: 'warn',
});
// Written beside dist/psst.mjs and renamed over it: a psst run (a test) that starts during a build
// never loads half a file.
const staging = `${root}dist/.build-${process.pid}`;
const { output } = await bundle.write({
  dir: staging,
  entryFileNames: 'psst.mjs',
  format: 'esm',
  banner: '#!/usr/bin/env node',
  minify: true,
  codeSplitting: false,
});
await bundle.close();
const chunks = output.filter((file) => file.type === 'chunk');
if (chunks.length !== 1 || chunks[0].fileName !== 'psst.mjs') {
  throw new Error(`expected one bundle file psst.mjs, got ${chunks.map((c) => c.fileName).join(', ')}`);
}
const path = `${root}dist/psst.mjs`;
chmodSync(`${staging}/psst.mjs`, 0o755);
renameSync(`${staging}/psst.mjs`, path);
rmSync(staging, { recursive: true, force: true });
console.log(`cli/dist/psst.mjs: ${statSync(path).size} bytes`);
