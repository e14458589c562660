// WXT build for Chrome (MV3) and Firefox (MV2, see README: Firefox MV3 makes
// host permissions opt-in after install, so the default relay would not work
// out of the box). Preact through its Vite preset; no auto-imports.
import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
// By path, not by package name: WXT loads this file before any package is built, and its loader ignores
// the "source" export condition. Same module as @psst/client/relay-url.
import { FALLBACK_RELAY_URL, hostPatternFor, normaliseRelayUrl } from '../client/src/relay-url';
// The same for the catalogues: _locales/<locale>/messages.json is generated from i18n/locales at every build.
import { readLanguage } from '../i18n/src/catalogue-files';
import { messageName, toExtensionMessages } from '../i18n/src/extension';
import { LANGUAGES } from '../i18n/src/languages';
import { MANIFEST_MESSAGES } from './lib/manifest-messages';

const defaultRelay = normaliseRelayUrl(process.env.WXT_PSST_RELAY_URL || FALLBACK_RELAY_URL);

/** A manifest text the browser takes from _locales in its UI language. */
const msg = (key: (typeof MANIFEST_MESSAGES)[keyof typeof MANIFEST_MESSAGES]) => `__MSG_${messageName(key)}__`;

// The strictest policy the pages work under: our own scripts and styles only,
// network only to http(s) relays (which one is gated by host permissions).
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  'connect-src http: https:',
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export default defineConfig({
  imports: false,
  // `imports: false` still leaves unimport's plugin injecting its presets into any free identifier it
  // sees, including a parameter named `storage` in the shared @psst/reveal-ui: switch injection off too.
  hooks: {
    'config:resolved': (wxt) => {
      Object.assign(wxt.config.imports, { autoImport: false });
    },
    // Every language's catalogues (all areas: the popup shows the composer, the reveal page reveal-ui) as messages.json.
    'build:publicAssets': (_wxt, files) => {
      for (const language of LANGUAGES) {
        files.push({
          relativeDest: `_locales/${language.extensionLocale}/messages.json`,
          contents: `${JSON.stringify(toExtensionMessages(readLanguage(language.code)), null, 2)}\n`,
        });
      }
    },
  },
  // `wxt zip` builds first, so `pnpm build` (zip for both browsers) leaves both unpacked builds in .output too.
  zip: { artifactTemplate: 'psst-{{version}}-{{browser}}.zip', sourcesTemplate: 'psst-{{version}}-sources.zip' },
  vite: () => ({ plugins: [preact()], resolve: { conditions: ['source'] }, build: { target: 'es2022' } }),
  manifest: ({ browser, manifestVersion }) => {
    const optionalHosts = ['http://*/*', 'https://*/*'];
    const permissions = ['contextMenus', 'storage', 'activeTab', 'scripting', 'clipboardWrite', 'clipboardRead', 'notifications', 'alarms'];
    if (browser === 'chrome') permissions.push('offscreen');
    // Links of granted relays open in the extension's reveal page (lib/redirect.ts, README "Opening links"):
    // Chrome's redirect rules act only on hosts psst holds; Firefox MV2 answers from a blocking listener.
    if (manifestVersion === 3) permissions.push('declarativeNetRequestWithHostAccess');
    else permissions.push('webRequest', 'webRequestBlocking');
    return {
      name: msg(MANIFEST_MESSAGES.name),
      description: msg(MANIFEST_MESSAGES.description),
      default_locale: 'en',
      permissions,
      // Only the relay this build was made for is granted at install; any other
      // relay is asked for at run time, for its origin only (options page).
      host_permissions: [hostPatternFor(defaultRelay)],
      ...(manifestVersion === 3 ? { optional_host_permissions: optionalHosts } : { optional_permissions: optionalHosts }),
      content_security_policy: manifestVersion === 3 ? { extension_pages: CSP } : CSP,
      // Only the reveal page, and only because a redirect to it needs this. Not use_dynamic_url on Chrome:
      // its rules redirect to the static id, which a dynamic-only page refuses for a pasted link (README).
      web_accessible_resources:
        manifestVersion === 3
          ? [{ resources: ['reveal.html'], matches: ['http://*/*', 'https://*/*'], use_dynamic_url: false }]
          : ['reveal.html'],
      // The toolbar button's title comes from the popup's <meta name="manifest.title">: WXT lets it win over this file.
      commands: {
        'share-clipboard': {
          suggested_key: { default: 'Alt+Shift+L' },
          description: msg(MANIFEST_MESSAGES.shareClipboardCommand),
        },
      },
      ...(browser === 'firefox'
        ? {
            browser_specific_settings: {
              gecko: { id: 'psst@psst.invalid', strict_min_version: '142.0', data_collection_permissions: { required: ['none'] } },
            },
          }
        : {}),
    };
  },
});
