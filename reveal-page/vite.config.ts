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
import { createHash } from 'node:crypto';
import preact from '@preact/preset-vite';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
// Relative, as the extension's wxt.config.ts does: the config is bundled before the workspace's source conditions apply.
import { LANGUAGE_CODES, readCatalogue } from '../i18n/src/catalogue-files';
import type { LanguageCode } from '../i18n/src/languages';

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

/**
 * The page's catalogues, one file per language with the page's areas merged
 * (`assets/i18n-<page>-<hash>/<lang>.json`, minified; the hash covers every one
 * of them, so the folder never changes once served). The page fetches only its
 * reader's language from the folder named by __PSST_REVEAL_CATALOGUES__
 * (__PSST_COMPOSER_CATALOGUES__): no import map of every language and no
 * loader in its bundle. The dev server serves the same files from the sources.
 */
function pageCatalogues(page: 'reveal' | 'composer', areas: readonly string[], emit: boolean): Plugin {
  const read = (lang: LanguageCode) => JSON.stringify(Object.assign({}, ...areas.map((area) => readCatalogue(lang, area))));
  const files = [...LANGUAGE_CODES].sort().map((lang) => ({ lang, json: read(lang) }));
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.lang}\0${file.json}\0`);
  const folder = `assets/i18n-${page}-${hash.digest('base64url').slice(0, 10)}/`;
  return {
    name: 'psst-page-catalogues',
    config: () => ({ define: { [`__PSST_${page.toUpperCase()}_CATALOGUES__`]: JSON.stringify(`/${folder}`) } }),
    generateBundle() {
      if (!emit) return;
      for (const file of files) this.emitFile({ type: 'asset', fileName: `${folder}${file.lang}.json`, source: file.json });
    },
    configureServer(server) {
      server.middlewares.use(`/${folder}`, (req, res, next) => {
        const file = files.find((f) => req.url === `/${f.lang}.json`);
        if (!file) return next();
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end(read(file.lang));
      });
    },
  };
}

export default defineConfig(({ mode }) => ({
  base: '/',
  plugins: [
    preact(),
    cspMeta(),
    pageCatalogues('reveal', ['common', 'reveal'], mode !== 'composer'),
    pageCatalogues('composer', ['common', 'composer'], mode === 'composer'),
  ],
  resolve: { conditions: ['source', ...defaultClientConditions] },
  // `pnpm --filter @psst/reveal-page dev`: the API goes to a local relay (pnpm start), so links work on the dev server too.
  server: { proxy: { '/api': process.env.PSST_RELAY_ORIGIN ?? 'http://127.0.0.1:8787' } },
  build: {
    outDir: 'dist',
    // The composer build comes second and adds its files beside the reveal page's.
    emptyOutDir: mode !== 'composer',
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    rolldownOptions: { input: { [mode === 'composer' ? 'composer' : 'reveal']: mode === 'composer' ? 'composer.html' : 'index.html' } },
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
}));
