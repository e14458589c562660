// Hosts the shared reveal UI in the extension: says quietly that the
// extension's own code opened the link, and first asks for the relay's host
// permission when the link's host has none (a link opened from the context menu
// or the popup; redirected links always have it). Nothing is requested before.
import { hostPatternFor } from '@psst/client/relay-url';
import { t } from '@psst/i18n';
import { parseLink } from '@psst/protocol/link';
import { App, type PageEnv } from '@psst/reveal-ui/app';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PermissionsLike } from '../lib/relay-setup';

export function RevealHost(props: { href: string; permissions: PermissionsLike; env: Omit<PageEnv, 'href' | 'hostNote'> }) {
  const [relay] = useState(() => relayOf(props.href));
  const [access, setAccess] = useState<'checking' | 'needed' | 'refused' | 'granted'>(relay ? 'checking' : 'granted');
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (!relay) return;
    void props.permissions.contains({ origins: [relay.pattern] }).then(
      (granted) => setAccess(granted ? 'granted' : 'needed'),
      () => setAccess('needed'),
    );
  }, []);

  useEffect(() => {
    if (access === 'needed' || access === 'refused') headingRef.current?.focus();
  }, [access]);

  if (access === 'granted') return <App env={{ ...props.env, href: props.href, hostNote: t('revealHost.hostNote') }} />;

  const allow = async () => {
    if (!relay) return;
    // Straight from the click: permissions.request needs the user's gesture.
    const granted = await props.permissions.request({ origins: [relay.pattern] }).catch(() => false);
    setAccess(granted ? 'granted' : 'refused');
  };

  const host = relay?.host ?? '';
  return (
    <>
      <header class="brand">
        <span class="logo" aria-hidden="true" />
        psst
      </header>
      <main class="card" aria-busy={access === 'checking'}>
        {access === 'checking' ? (
          <div class="stack message info">
            <h1 tabIndex={-1}>{t('looking.title')}</h1>
          </div>
        ) : (
          <div class={`stack message ${access === 'refused' ? 'warn' : 'info'}`}>
            <h1 ref={headingRef} tabIndex={-1}>
              {access === 'refused' ? t('hostAccess.refusedTitle') : t('revealHost.allowTitle', { host })}
            </h1>
            <p>{access === 'refused' ? t('revealHost.refusedBody', { host }) : t('revealHost.allowBody', { host })}</p>
            <button type="button" class="button primary" onClick={allow}>
              {t('revealHost.allow', { host })}
            </button>
          </div>
        )}
      </main>
      <footer class="footer">
        {t('tagline')}
        <span class="host-note">{t('revealHost.hostNote')}</span>
      </footer>
    </>
  );
}

/** The relay's host and permission pattern for a well-formed link; null lets the UI explain what is wrong, asking nothing. */
function relayOf(href: string): { host: string; pattern: string } | null {
  try {
    const { origin } = parseLink(href);
    return { host: new URL(origin).host, pattern: hostPatternFor(origin) };
  } catch {
    return null;
  }
}
