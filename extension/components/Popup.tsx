// The popup: compose and create a link, show it once, list earlier links.
// Everything that touches the browser comes in through `services`.

import { CreateRefusedError } from '@psst/client/create-link';
import type { HistoryEntry } from '@psst/client/history';
import { Composer, type ComposerValues, type Progress, reportProgress } from '@psst/composer-ui/composer';
import { HistoryList } from '@psst/composer-ui/history-list';
import { type CreatedLink, createdLink, LinkResult } from '@psst/composer-ui/link-result';
import { ProblemNotice } from '@psst/composer-ui/problem-notice';
import { t } from '@psst/i18n';
import type { RelayConfigResponse } from '@psst/protocol/api';
import { DEFAULT_RELAY_CONFIG } from '@psst/protocol/responses';
import { useEffect, useState } from 'preact/hooks';
import { describeFailure, type FailureWords } from '../lib/describe-failure';
import type { OpenLinkResult } from '../lib/open-link';
import type { PopupServices } from '../lib/popup-services';
import type { Settings } from '../lib/settings';
import { OpenLink } from './OpenLink';

type Created = CreatedLink & { copied: boolean };

export function Popup({ services, openLink }: { services: PopupServices; openLink?: (link: string) => Promise<OpenLinkResult> }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [progress, setProgress] = useState<Progress>(null);
  const [config, setConfig] = useState<Readonly<RelayConfigResponse>>(DEFAULT_RELAY_CONFIG);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [problem, setProblem] = useState<FailureWords | null>(null);

  useEffect(() => {
    void services.settings().then(setSettings);
    // The composer starts with the protocol's defaults and is bounded by the relay's own settings once they arrive.
    void services.relayConfig().then(
      (known) => setConfig(known.config),
      (error: unknown) => setProblem(describeFailure(error)),
    );
    void services.history().then(setEntries);
    const stop = services.watchHistory(setEntries);
    void services.refreshReceipts().catch(() => {});
    return stop;
  }, [services]);

  const create = async (values: ComposerValues) => {
    const onPhase = reportProgress(values, setProgress);
    setProblem(null);
    try {
      const link = await services.create(values, onPhase);
      const copied = settings?.autoCopy
        ? await services.copy(link).then(
            () => true,
            () => false,
          )
        : false;
      setCreated({ ...createdLink(link, values), copied });
    } catch (error) {
      setProblem(describeFailure(error));
    } finally {
      setProgress(null);
    }
  };

  const paste = async (): Promise<string | null> => {
    try {
      return await services.readClipboard();
    } catch (error) {
      setProblem(describeFailure(error));
      return null;
    }
  };

  const revoke = async (entry: HistoryEntry) => {
    setBusyId(entry.id);
    setProblem(null);
    try {
      await services.revoke(entry);
    } catch (error) {
      setProblem(describeFailure(error));
    } finally {
      setBusyId(null);
    }
  };

  // A relay whose settings say it takes no new secrets is said so before anything is typed.
  const shown = problem ?? (config.createEnabled ? null : describeFailure(new CreateRefusedError('creation_disabled', 'creation is off')));

  return (
    <main class="popup">
      <header class="row spread">
        <h1>psst</h1>
        <button type="button" class="link-button" onClick={() => services.openOptions()}>
          {t('popup.options')}
        </button>
      </header>
      {shown && <ProblemNotice words={shown} focus={problem !== null} onOpenOptions={() => services.openOptions()} />}
      {settings === null ? (
        <p class="hint">{t('popup.loading')}</p>
      ) : created ? (
        <LinkResult
          {...created}
          onCopy={() =>
            services.copy(created.link).then(
              () => true,
              () => false,
            )
          }
          onDone={() => setCreated(null)}
        />
      ) : (
        <Composer
          config={config}
          initialTtl={settings.defaultTtl}
          initialViews={settings.defaultViews}
          progress={progress}
          onSubmit={create}
          onPaste={paste}
        />
      )}
      {openLink && <OpenLink onOpen={openLink} />}
      <HistoryList entries={entries} busyId={busyId} onRevoke={revoke} onClear={() => void services.clearHistory()} />
    </main>
  );
}
