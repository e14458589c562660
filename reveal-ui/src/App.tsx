// The reveal UI: reads the link, Looks, waits for the click, reveals. It holds
// the current view; the views themselves are in views.tsx. Two hosts mount it:
// the static reveal page and the extension's reveal page, each with its PageEnv.

import { createRelayClient, type RelayClient } from '@psst/client/reveal-client';
import { lookUp, revealSecret, type View } from '@psst/client/reveal-flow';
import { type LanguageCode, onTranslatorChange, t } from '@psst/i18n';
import type { ParsedLink } from '@psst/protocol/link';
import { useEffect, useRef, useState } from 'preact/hooks';
import { LanguageSwitcher } from './LanguageSwitcher.js';
import { readSecretLink, recallRevealed, rememberRevealed } from './secret-link.js';
import { MessageView, RevealedView, WaitingView } from './views.js';
import { statusFor } from './words.js';

/** What the UI needs from its host, passed in so tests (and each host) can provide it. */
export interface PageEnv {
  /** The psst link to open, `{relay}/s/{id}#{k}` (the page's own address on the static page). */
  href: string;
  fetch: typeof fetch;
  /** Takes the key out of the address bar and the history entry, without a navigation (history.replaceState). */
  forgetKey(): void;
  storage?: Storage | undefined;
  clipboard?: Pick<Clipboard, 'writeText'> | undefined;
  /** A quiet line under the tagline saying which code opened the link (the extension's page says so). */
  hostNote?: string | undefined;
  /** Shows the language switcher in the footer and is called with the reader's choice (the pages; the extension follows the browser). */
  onLanguage?: ((code: LanguageCode) => void) | undefined;
}

export type Busy = { phase: 'deriving' | 'revealing'; progress: number } | null;

export function App({ env }: { env: PageEnv }) {
  const [link] = useState(() => readSecretLink(env.href));
  const [client] = useState<RelayClient | null>(() => (link.ok ? createRelayClient(link.link.origin, env.fetch) : null));
  const [view, setView] = useState<View>(() => initialView(link, env.storage));
  const [busy, setBusy] = useState<Busy>(null);
  const [wrongCount, setWrongCount] = useState(0);
  const mainRef = useRef<HTMLElement>(null);
  // Set synchronously, so a double click cannot send a second Reveal before the re-render disables the button.
  const inFlight = useRef(false);
  // Another language installed by the host: render again in place, keeping every state (a revealed secret stays).
  const [, setLanguageChanges] = useState(0);
  useEffect(() => onTranslatorChange(() => setLanguageChanges((n) => n + 1)), []);

  const look = (parsed: ParsedLink, relay: RelayClient) => {
    setView({ kind: 'looking' });
    void lookUp(parsed, relay).then(setView);
  };

  useEffect(() => {
    if (link.ok && client) look(link.link, client);
  }, []);

  // Focus follows the result, so keyboard and screen reader users land on what changed.
  useEffect(() => {
    if (view.kind === 'looking') return;
    const target = mainRef.current?.querySelector<HTMLElement>('[data-autofocus]') ?? mainRef.current?.querySelector<HTMLElement>('h1');
    target?.focus();
  }, [view.kind, wrongCount]);

  const onReveal = async (passphrase: string) => {
    if (!link.ok || !client || view.kind !== 'waiting' || inFlight.current) return;
    inFlight.current = true;
    let lastPercent = -1;
    const outcome = await revealSecret(link.link, view.look, client, passphrase, (phase, fraction) => {
      const percent = Math.floor(fraction * 100);
      if (phase === 'deriving' && percent === lastPercent) return;
      lastPercent = percent;
      setBusy({ phase, progress: percent });
    }).finally(() => {
      inFlight.current = false;
    });
    setBusy(null);
    if ('wrongPassphrase' in outcome) {
      setView({ kind: 'waiting', look: view.look, attemptsLeft: outcome.wrongPassphrase });
      setWrongCount((n) => n + 1);
      return;
    }
    if (outcome.view.kind === 'revealed') {
      // The key is no longer needed: take it out of the address bar and the history entry.
      env.forgetKey();
      rememberRevealed(env.storage, link.link.id, new Date());
    }
    setView(outcome.view);
  };

  const retry = link.ok && client ? () => look(link.link, client) : undefined;

  return (
    <>
      <header class="brand">
        <span class="logo" aria-hidden="true" />
        psst
      </header>
      <main ref={mainRef} class="card" aria-busy={view.kind === 'looking' || busy !== null}>
        {view.kind === 'waiting' ? (
          <WaitingView look={view.look} attemptsLeft={view.attemptsLeft} wrongCount={wrongCount} busy={busy} onReveal={onReveal} />
        ) : view.kind === 'revealed' ? (
          <RevealedView secret={view.secret} viewsLeft={view.viewsLeft} clipboard={env.clipboard} />
        ) : (
          <MessageView view={view} onRetry={retry} />
        )}
      </main>
      <footer class="footer">
        {t('tagline')}
        {env.hostNote && <span class="host-note">{env.hostNote}</span>}
        {env.onLanguage && <LanguageSwitcher onChange={env.onLanguage} />}
      </footer>
      <p class="sr-only" role="status" aria-live="polite">
        {statusFor(view, busy)}
      </p>
    </>
  );
}

function initialView(link: ReturnType<typeof readSecretLink>, storage: Storage | undefined): View {
  if (link.ok) return { kind: 'looking' };
  const revealedAt = link.id ? recallRevealed(storage, link.id) : null;
  return revealedAt ? { kind: 'invalid', problem: link.problem, revealedAt } : { kind: 'invalid', problem: link.problem };
}
