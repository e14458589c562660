// One line on the browser extension: links to its zips when the operator put
// them in this site's /downloads/ folder (a HEAD request to this same origin
// tells), otherwise where the README explains it. Nothing remote is loaded.
import type { FetchLike } from '@psst/client/relay-client';
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
    <footer class="footer extension-note">
      The psst browser extension turns selected text into a link with a right-click, and opens psst links with its own code, so a changed
      page on a server cannot read them.{' '}
      {shipped.length > 0 ? (
        <>
          Get it for{' '}
          {shipped.map((zip, i) => (
            <span key={zip.path}>
              {i > 0 ? ' or ' : ''}
              <a href={zip.path} download>
                {zip.browser}
              </a>
            </span>
          ))}{' '}
          (load it unpacked, as its README explains).
        </>
      ) : (
        <>How to install it: "Using psst" in the README of psst's sources.</>
      )}
    </footer>
  );
}
