// Second build step: bundles tsc's dist/main.js and everything it imports
// (the relay, @psst/protocol, zod, prom-client) into one dist/main.js.
//
// Why: node loads one module instead of ~150, and the bundle keeps only the
// zod/mini code the schemas use. Measured with `node relay/scripts/rss.mjs`
// and by hand (VmRSS of an idle relay, hyper-express engine): 75 MB → 65 MB
// just after start, 66 → 61 MB once V8's memory reducer has run (~10 s).
//
// Left outside: node's builtins, better-sqlite3 (native addon found through
// `bindings`) and hyper-express (it requires uWebSockets.js, which pnpm only
// makes visible to hyper-express itself). Compressed but not mangled, so
// stack traces keep their function names; tsc's other output files stay for
// the benchmark's storage ceiling, which imports dist/store directly.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const bundle = await rolldown({
  input: join(dist, 'main.js'),
  platform: 'node',
  // pg is bundled (plain JavaScript); its optional native binding and Cloudflare socket are never loaded.
  external: [/^node:/, 'better-sqlite3', 'hyper-express', 'pg-native', 'pg-cloudflare'],
  logLevel: 'warn',
});
// Written over tsc's main.js, which rolldown has read by now; the source map then sits beside the tsc
// output it points into (bench/profile.mjs reads it to attribute samples to modules).
const { output } = await bundle.write({
  dir: dist,
  entryFileNames: 'main.js',
  format: 'esm',
  minify: { compress: true, mangle: false },
  sourcemap: true,
  codeSplitting: false,
});
await bundle.close();
const chunks = output.filter((file) => file.type === 'chunk');
if (chunks.length !== 1 || chunks[0].fileName !== 'main.js') {
  throw new Error(`expected one bundle file main.js, got ${chunks.map((c) => c.fileName).join(', ')}`);
}
