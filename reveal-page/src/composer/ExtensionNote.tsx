// One line on the browser extension: links to its zips when the operator put
// them in this site's /downloads/ folder (a HEAD request to this same origin
// tells), otherwise where the README explains it. Nothing remote is loaded.
import type { FetchLike } from '@psst/client/relay-client';
import { currentLanguage, t } from '@psst/i18n';
import { useEffect, useState } from 'preact/hooks';

export const EXTENSION_ZIPS = [
  { browser: 'Chrome', path: '/downloads/psst-chrome.zip' },
  { browser: 'Firefox', path: '/downloads/psst-firefox.zip' },
] as const;

export function ExtensionNote({ fetch }: { fetch: FetchLike }) {
  const [shipped, setShipped] = useState<(typeof EXTENSION_ZIPS)[number][]>([]);
  useEffect(() => {
    void Promise.all(
      EXTENSION_ZIPS.map((zip) =>
        fetch(zip.path, { method: 'HEAD', cache: 'no-store', credentials: 'omit' }).then(
          (r) => (r.ok ? zip : null),
          () => null,
        ),
      ),
    ).then((found) => setShipped(found.filter((z) => z !== null)));
  }, []);
  return (
    <span class="extension-note">
      {t('webComposer.extension')} {shipped.length > 0 ? <GetIt zips={shipped} /> : t('webComposer.howToInstall')}
    </span>
  );
}

/** "Get it for Chrome or Firefox (…)": one sentence with the links in its {browsers} slot, listed the language's way. */
function GetIt({ zips }: { zips: (typeof EXTENSION_ZIPS)[number][] }) {
  const [before, after] = t('webComposer.getExtension').split('{browsers}');
  const list = new Intl.ListFormat(currentLanguage(), { type: 'disjunction' }).formatToParts(zips.map((zip) => zip.browser));
  let next = 0;
  return (
    <>
      {before}
      {list.map((part) => {
        if (part.type === 'literal') return part.value;
        const zip = zips[next++] as (typeof EXTENSION_ZIPS)[number];
        return (
          <a key={zip.path} href={zip.path} download>
            {zip.browser}
          </a>
        );
      })}
      {after}
    </>
  );
}
