// The popup: compose and create a link, show it once, list earlier links.
// Everything that touches the browser comes in through `services`.

import type { HistoryEntry } from '@psst/client/history';
import { useEffect, useState } from 'preact/hooks';
import { describeFailure, type FailureWords } from '../lib/describe-failure';
import type { PopupServices } from '../lib/popup-services';
import type { Settings } from '../lib/settings';
import { Composer, type ComposerValues } from './Composer';
import { HistoryList } from './HistoryList';
import { LinkResult } from './LinkResult';

interface Created {
  link: string;
  views: number;
  ttl: number;
  withPassphrase: boolean;
  copied: boolean;
}

export function Popup({ services }: { services: PopupServices }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [busy, setBusy] = useState(false);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [problem, setProblem] = useState<FailureWords | null>(null);

  useEffect(() => {
    void services.settings().then(setSettings);
    void services.history().then(setEntries);
    const stop = services.watchHistory(setEntries);
    void services.refreshReceipts().catch(() => {});
    return stop;
  }, [services]);

  const create = async (values: ComposerValues) => {
    setBusy(true);
    setProblem(null);
    try {
      const link = await services.create(values);
      const copied = settings?.autoCopy
        ? await services.copy(link).then(
            () => true,
            () => false,
          )
        : false;
      setCreated({ link, views: values.views, ttl: values.ttl, withPassphrase: values.passphrase !== '', copied });
    } catch (error) {
      setProblem(describeFailure(error));
    } finally {
      setBusy(false);
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

  return (
    <div class="popup">
      <header class="row spread">
        <h1>psst</h1>
        <button type="button" class="link-button" onClick={() => services.openOptions()}>
          Options
        </button>
      </header>
      {problem && (
        <div class="problem" role="alert">
          <strong>{problem.title}</strong>
          <p>{problem.message}</p>
          {problem.openOptions && (
            <button type="button" class="secondary" onClick={() => services.openOptions()}>
              Open options
            </button>
          )}
        </div>
      )}
      {settings === null ? (
        <p class="hint">Loading…</p>
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
        <Composer initialTtl={settings.defaultTtl} initialViews={settings.defaultViews} busy={busy} onSubmit={create} onPaste={paste} />
      )}
      <HistoryList entries={entries} busyId={busyId} onRevoke={revoke} onClear={() => void services.clearHistory()} />
    </div>
  );
}
