// The site build: two pages, the reveal page (index.html, served at /s/{id})
// and the composer (composer.html, served at / and /new), built one after the
// other (`vite build`, then `vite build --mode composer` into the same dist/):
// one build with two entries would put the modules both import (the
// protocol's secret.ts, api.ts…) in a shared chunk with every export either
// page uses, so the reveal page would load the composer's sealing code. Hashed
// JS and CSS under /assets/, no inline script or style, so it runs under the strict CSP the relay and Caddy
// send. The built HTML carries the same policy as a <meta> too (minus
// frame-ancestors, which only works as a header), so the page is safe even
// behind a server that forgets the header.
import preact from '@preact/preset-vite';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

function cspMeta(): Plugin {
  return {
    name: 'psst-csp-meta',
    apply: 'build',
    // Right after <meta charset>, before any script or stylesheet it must govern.
    transformIndexHtml: (html) =>
      html.replace(
        '<meta charset="utf-8" />',
        `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`,
      ),
  };
}

/** `assets/catalogue-fr-reveal-[hash].js` for a catalogue, Vite's default for any other chunk. */
function catalogueChunkName(chunk: { facadeModuleId: string | null }): string {
  const match = /\/locales\/([A-Za-z-]+)\/([a-z]+)\.json$/.exec(chunk.facadeModuleId ?? '');
  return match ? `assets/catalogue-${match[1]}-${match[2]}-[hash].js` : 'assets/[name]-[hash].js';
}

export default defineConfig(({ mode }) => ({
  base: '/',
  plugins: [preact(), cspMeta()],
  resolve: { conditions: ['source', ...defaultClientConditions] },
  // `pnpm --filter @psst/reveal-page dev`: the API goes to a local relay (pnpm start), so links work on the dev server too.
  server: { proxy: { '/api': process.env.PSST_RELAY_ORIGIN ?? 'http://127.0.0.1:8787' } },
  build: {
    outDir: 'dist',
    // The composer build comes second and adds its files beside the reveal page's.
    emptyOutDir: mode !== 'composer',
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    rolldownOptions: {
      input: { [mode === 'composer' ? 'composer' : 'reveal']: mode === 'composer' ? 'composer.html' : 'index.html' },
      // One chunk per catalogue (i18n/locales/<lang>/<area>.json), named after both, so the size and SRI scripts know them.
      output: { chunkFileNames: catalogueChunkName },
    },
    modulePreload: false,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
}));
