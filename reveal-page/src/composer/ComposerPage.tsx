// The web composer at / and /new: the shared composer UI on the relay's own
// origin. The secret is encrypted in this page; only the envelope and the
// verifiers go to the relay. The host's environment comes in as `env`.
import { CreateRefusedError, createLink, prepareCreate } from '@psst/client/create-link';
import { entryFromCreate, type HistoryEntry } from '@psst/client/history';
import { type FetchLike, loadRelayConfig } from '@psst/client/relay-client';
import { Composer, type ComposerValues, type Progress, reportProgress } from '@psst/composer-ui/composer';
import { describeRelayFailure, type FailureWords } from '@psst/composer-ui/failure-words';
import { HistoryList } from '@psst/composer-ui/history-list';
import { type CreatedLink, createdLink, LinkResult } from '@psst/composer-ui/link-result';
import { ProblemNotice } from '@psst/composer-ui/problem-notice';
import { readSecret } from '@psst/composer-ui/secret-input';
import { type LanguageCode, onTranslatorChange, t } from '@psst/i18n';
import type { RelayConfigResponse } from '@psst/protocol/api';
import { DEFAULT_VIEWS } from '@psst/protocol/limits';
import { DEFAULT_RELAY_CONFIG } from '@psst/protocol/responses';
import { LanguageSwitcher } from '@psst/reveal-ui/language-switcher';
import { useEffect, useState } from 'preact/hooks';
import { ExtensionNote } from './ExtensionNote';
import { loadHistory, refreshHistory, rememberLink, revokeLink, saveHistory } from './web-history';

export interface ComposerEnv {
  /** The relay: this page's own origin. */
  origin: string;
  fetch: FetchLike;
  /** localStorage, for "Your links"; undefined when the browser refuses it. */
  storage: Storage | undefined;
  clipboard?: Pick<Clipboard, 'writeText'> | undefined;
  online(): boolean;
  now(): Date;
  /** Shows the language switcher and is called with the reader's choice. */
  onLanguage?: ((code: LanguageCode) => void) | undefined;
}

const DEFAULT_TTL_SECONDS = 3600;

export function ComposerPage({ env }: { env: ComposerEnv }) {
  const [config, setConfig] = useState<Readonly<RelayConfigResponse> | null>(null);
  const [progress, setProgress] = useState<Progress>(null);
  const [created, setCreated] = useState<CreatedLink | null>(null);
  // The failure itself, not its words, so a language switch translates a shown failure too.
  const [problem, setProblem] = useState<{ error: unknown; online: boolean } | null>(null);
  const [entries, setEntries] = useState<HistoryEntry[]>(() => loadHistory(env.storage));
  const [busyId, setBusyId] = useState<string | null>(null);
  // Another language installed: render again in place, keeping what was typed and the link just made.
  const [, setLanguageChanges] = useState(0);
  useEffect(() => onTranslatorChange(() => setLanguageChanges((n) => n + 1)), []);
  const deps = { fetch: env.fetch, storage: env.storage, now: env.now };
  const words = (error: unknown, online = env.online()): FailureWords =>
    describeRelayFailure(error, { online }) ?? {
      title: t('webComposer.failed.title'),
      message: t('webComposer.failed.body'),
    };

  const refresh = () => void refreshHistory(deps).then(setEntries);

  useEffect(() => {
    prepareCreate();
    void loadRelayConfig(env.fetch, env.origin).then(
      (known) => setConfig(known.config),
      (error: unknown) => {
        setConfig(DEFAULT_RELAY_CONFIG);
        setProblem({ error, online: env.online() });
      },
    );
    refresh();
    // Receipts while the page is open: when it comes back into view, and every 30 s while it is seen.
    const onVisible = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    const onStorage = () => setEntries(loadHistory(env.storage));
    const timer = setInterval(onVisible, 30_000);
    document.addEventListener('visibilitychange', onVisible);
    addEventListener('storage', onStorage);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      removeEventListener('storage', onStorage);
    };
  }, []);

  const create = async (values: ComposerValues) => {
    if (!config) return;
    setProblem(null);
    const onPhase = reportProgress(values, setProgress);
    try {
      const secret = await readSecret(values.secret);
      const { link, created: answer } = await createLink(env.fetch, {
        relayUrl: env.origin,
        secret,
        ttl: values.ttl,
        views: values.views,
        passphrase: values.passphrase,
        config,
        onPhase,
      });
      const entry = entryFromCreate(env.origin, answer, { views: values.views, label: values.label }, env.now());
      setEntries(rememberLink(deps, entry));
      setCreated(createdLink(link, values));
    } catch (error) {
      setProblem({ error, online: env.online() });
    } finally {
      setProgress(null);
    }
  };

  const revoke = async (entry: HistoryEntry) => {
    setBusyId(entry.id);
    setProblem(null);
    try {
      setEntries(await revokeLink(deps, entry));
    } catch (error) {
      setProblem({ error, online: env.online() });
    } finally {
      setBusyId(null);
    }
  };

  const shown = problem
    ? words(problem.error, problem.online)
    : config && !config.createEnabled
      ? words(new CreateRefusedError('creation_disabled', 'creation is off'))
      : null;

  return (
    <>
      <header class="brand">
        <span class="logo" aria-hidden="true" />
        psst
      </header>
      <main class="card composer-page" aria-busy={config === null || progress !== null} data-ready={config ? '' : undefined}>
        <h1>{t('webComposer.title')}</h1>
        <p class="muted">{t('webComposer.intro')}</p>
        {shown && <ProblemNotice words={shown} focus={problem !== null} failure={problem ?? undefined} />}
        {config === null ? (
          <p class="hint">{t('webComposer.loading')}</p>
        ) : created ? (
          <LinkResult
            {...created}
            copied={false}
            onCopy={async () => {
              try {
                if (!env.clipboard) return false;
                await env.clipboard.writeText(created.link);
                return true;
              } catch {
                return false;
              }
            }}
            onDone={() => setCreated(null)}
          />
        ) : (
          <Composer config={config} initialTtl={DEFAULT_TTL_SECONDS} initialViews={DEFAULT_VIEWS} progress={progress} onSubmit={create} />
        )}
      </main>
      <section class="card">
        <HistoryList
          entries={entries}
          busyId={busyId}
          onRevoke={revoke}
          onClear={() => setEntries(clearAll(env.storage))}
          onRefresh={refresh}
        />
      </section>
      {/* One footer (contentinfo landmark) for both, as on the reveal page: axe's landmark-no-duplicate-contentinfo and region. */}
      <footer class="footer">
        <ExtensionNote fetch={env.fetch} />
        {env.onLanguage && <LanguageSwitcher onChange={env.onLanguage} />}
      </footer>
    </>
  );
}

function clearAll(storage: Storage | undefined): HistoryEntry[] {
  saveHistory(storage, []);
  return [];
}
