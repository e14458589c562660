// The options page: the relay address (with its permission and a health
// check), default expiry and views, auto-copy and receipt notifications.
import type { KnownRelayConfig } from '@psst/client/relay-client';
import { LimitFields } from '@psst/composer-ui/limit-fields';
import { t } from '@psst/i18n';
import type { RelayConfigResponse } from '@psst/protocol/api';
import { DEFAULT_RELAY_CONFIG } from '@psst/protocol/responses';
import { useEffect, useState } from 'preact/hooks';
import type { RelaySetupResult } from '../lib/relay-setup';
import { DEFAULT_RELAY_URL, type Settings } from '../lib/settings';

export interface OptionsServices {
  settings(): Promise<Settings>;
  setUpRelay(input: string): Promise<RelaySetupResult>;
  save<K extends Exclude<keyof Settings, 'relayUrl'>>(key: K, value: Settings[K]): Promise<void>;
  /** The saved relay's settings, which bound the default expiry and views. */
  relayConfig?(): Promise<KnownRelayConfig>;
}

export function Options({ services }: { services: OptionsServices }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [relayInput, setRelayInput] = useState('');
  const [relayStatus, setRelayStatus] = useState<RelaySetupResult | null>(null);
  const [checking, setChecking] = useState(false);
  const [saved, setSaved] = useState('');
  const [config, setConfig] = useState<Readonly<RelayConfigResponse>>(DEFAULT_RELAY_CONFIG);
  const loadConfig = () =>
    void services.relayConfig?.().then(
      (known) => setConfig(known.config),
      () => {},
    );

  useEffect(() => {
    void services.settings().then((s) => {
      setSettings(s);
      setRelayInput(s.relayUrl);
    });
    loadConfig();
  }, [services]);

  if (!settings) return <p>{t('popup.loading')}</p>;

  const checkRelay = async (event: Event, input = relayInput) => {
    event.preventDefault();
    setChecking(true);
    const result = await services.setUpRelay(input);
    setRelayStatus(result);
    if (result.ok || result.saved) {
      setSettings({ ...settings, relayUrl: result.relayUrl! });
      setRelayInput(result.relayUrl!);
      loadConfig();
    }
    setChecking(false);
  };

  const save = async <K extends Exclude<keyof Settings, 'relayUrl'>>(key: K, value: Settings[K]) => {
    await services.save(key, value);
    setSettings({ ...settings, [key]: value });
    setSaved(t('options.saved'));
  };

  return (
    <main class="options">
      <h1>{t('options.title')}</h1>
      <form onSubmit={checkRelay} aria-labelledby="relay-title">
        <h2 id="relay-title">{t('options.relay')}</h2>
        <label for="relay">{t('options.relayAddress')}</label>
        <div class="row">
          <input id="relay" type="url" dir="ltr" value={relayInput} required onInput={(e) => setRelayInput(e.currentTarget.value)} />
          <button type="submit" class="primary" disabled={checking}>
            {checking ? t('options.checking') : t('options.saveAndCheck')}
          </button>
        </div>
        <p class="hint">{t('options.relayHint')}</p>
        {settings.relayUrl !== DEFAULT_RELAY_URL && (
          <button type="button" class="link-button" onClick={(e) => checkRelay(e, DEFAULT_RELAY_URL)}>
            {t('options.useDefaultRelay', { relayUrl: DEFAULT_RELAY_URL })}
          </button>
        )}
        {relayStatus && (
          <p class={relayStatus.ok ? 'ok' : 'problem'} role="status">
            {relayStatus.ok ? relayStatus.message : t('options.relayProblem', { title: relayStatus.title, message: relayStatus.message })}
          </p>
        )}
      </form>
      <section aria-labelledby="defaults-title">
        <h2 id="defaults-title">{t('options.newLinks')}</h2>
        <LimitFields
          idPrefix="default-"
          ttlLabel={t('options.expireAfter')}
          ttl={settings.defaultTtl}
          extraChoice={settings.defaultTtl}
          views={settings.defaultViews}
          maxTtl={config.maxTtlSeconds}
          maxViews={config.maxViews}
          onTtl={(seconds) => save('defaultTtl', seconds)}
          onViews={(views) => save('defaultViews', views)}
          viewsEvent="change"
        />
        <label class="check">
          <input id="auto-copy" type="checkbox" checked={settings.autoCopy} onChange={(e) => save('autoCopy', e.currentTarget.checked)} />
          {t('options.autoCopy')}
        </label>
        <label class="check">
          <input
            id="receipt-notifications"
            type="checkbox"
            checked={settings.receiptNotifications}
            onChange={(e) => save('receiptNotifications', e.currentTarget.checked)}
          />
          {t('options.receiptNotifications')}
        </label>
        <label class="check">
          <input
            id="open-links-in-extension"
            type="checkbox"
            checked={settings.openLinksInExtension !== false}
            onChange={(e) => save('openLinksInExtension', e.currentTarget.checked)}
          />
          {t('options.openLinksInExtension')}
        </label>
        <p class="hint" role="status">
          {saved}
        </p>
      </section>
    </main>
  );
}
