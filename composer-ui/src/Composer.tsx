// The composer: a text or a file, expiry and views within the relay's limits,
// an optional passphrase with its strength hint, a label. Its state lives
// here, so a failed create loses nothing: the host keeps it mounted and shows
// the failure beside it.
import { type CreatePhase, envelopeBytesFor } from '@psst/client/create-link';
import { estimateStrength, type StrengthLevel } from '@psst/client/passphrase-strength';
import { formatBytes, t } from '@psst/i18n';
import type { RelayConfigResponse } from '@psst/protocol/api';
import type { SecretMeta } from '@psst/protocol/framing';
import { maxBodyBytes } from '@psst/protocol/limits';
import { useEffect, useRef, useState } from 'preact/hooks';
import { LimitFields } from './LimitFields';
import { clampTtl, clampViews } from './limits';
import { type ComposerValues, mimeOf } from './secret-input';

export type { ComposerValues } from './secret-input';

/** What the host is doing with the submitted secret; null when idle. */
export type Progress = { phase: CreatePhase; fraction?: number | undefined } | null;

/**
 * Shows a create's progress through `show`: its first phase at once, then every
 * phase and each whole percent of the key derivation and the proof of work (not every callback).
 * The returned function is the create's onPhase.
 */
export function reportProgress(
  values: ComposerValues,
  show: (progress: Progress) => void,
): (phase: CreatePhase, fraction?: number) => void {
  show({ phase: values.passphrase === '' ? 'encrypting' : 'deriving', fraction: 0 });
  let lastPercent = -1;
  let lastPhase: CreatePhase | null = null;
  return (phase, fraction) => {
    const percent = Math.floor((fraction ?? 0) * 100);
    // Within scrypt or the proof of work, only a new whole percent is worth a render; a new phase always is.
    if (phase === lastPhase && (phase === 'deriving' || phase === 'proving') && percent === lastPercent) return;
    lastPercent = percent;
    lastPhase = phase;
    show({ phase, fraction });
  };
}

export interface ComposerProps {
  config: Readonly<RelayConfigResponse>;
  initialTtl: number;
  initialViews: number;
  progress: Progress;
  onSubmit(values: ComposerValues): void;
  /** Offers "Paste clipboard" (the popup, which may read it). */
  onPaste?: (() => Promise<string | null>) | undefined;
}

/** Fields that hold a secret: no translation, spellcheck, autofill or autocorrection may see or change them. */
export const SECRET_FIELD = {
  // The translate DOM property is a boolean: false renders translate="no".
  translate: false,
  class: 'notranslate',
  spellcheck: false,
  autocomplete: 'off',
  autocapitalize: 'off',
  // Spelled autoCorrect so preact sets the attribute: Chromium's autocorrect DOM property is a boolean, and "off" would turn it on.
  autoCorrect: 'off',
} as const;

const encoder = new TextEncoder();

function metaFor(file: File | null): SecretMeta {
  return file ? { type: 'file', name: file.name, mime: mimeOf(file) } : { type: 'text' };
}

/** The body's size in bytes; a long text is measured only when it could be near the limit. */
function bodyBytes(text: string, file: File | null, limit: number): number {
  if (file) return file.size;
  return text.length * 3 < limit / 2 ? text.length : encoder.encode(text).length;
}

function phaseWords(progress: NonNullable<Progress>, file: File | null): string {
  switch (progress.phase) {
    case 'deriving':
      return t('composer.deriving', { percent: Math.floor((progress.fraction ?? 0) * 100) });
    case 'encrypting':
      return file ? t('composer.encryptingFile', { size: formatBytes(file.size) }) : t('composer.encrypting');
    case 'proving':
      // The relay asked for proof of work (PROTOCOL.md): well under a second of computing, against floods.
      return t('composer.proving', { percent: Math.floor((progress.fraction ?? 0) * 100) });
    case 'uploading':
      return file ? t('composer.uploadingFile', { size: formatBytes(file.size) }) : t('composer.uploading');
  }
}

/** The hint under a typed passphrase: its strength, and to send it apart from the link. */
const STRENGTH_WORDS = {
  weak: 'composer.strength.weak',
  fair: 'composer.strength.fair',
  good: 'composer.strength.good',
  strong: 'composer.strength.strong',
} as const satisfies Record<Exclude<StrengthLevel, 'empty'>, string>;

export function Composer({ config, initialTtl, initialViews, progress, onSubmit, onPaste }: ComposerProps) {
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [ttl, setTtl] = useState(() => clampTtl(initialTtl, config.maxTtlSeconds));
  const [views, setViews] = useState(() => clampViews(initialViews, config.maxViews));
  const [passphrase, setPassphrase] = useState('');
  const [label, setLabel] = useState('');
  const [empty, setEmpty] = useState(false);
  const textArea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  // The page exists to type a secret: start there, as a search box would.
  useEffect(() => textArea.current?.focus(), []);
  // Settings that arrive (or change) later bound what was chosen.
  useEffect(() => {
    setTtl((t) => clampTtl(t, config.maxTtlSeconds));
    setViews((v) => clampViews(v, config.maxViews));
  }, [config.maxTtlSeconds, config.maxViews]);

  const strength = estimateStrength(passphrase);
  const busy = progress !== null;
  const hasPassphrase = passphrase !== '';
  const meta = metaFor(file);
  const size = bodyBytes(text, file, config.maxEnvelopeBytes);
  const tooLarge = envelopeBytesFor(meta, size, hasPassphrase) > config.maxEnvelopeBytes;
  const largest = maxBodyBytes(config.maxEnvelopeBytes, encoder.encode(JSON.stringify(meta)).length, hasPassphrase);

  const submit = (event?: Event) => {
    event?.preventDefault();
    if (busy || tooLarge || !config.createEnabled) return;
    if (!file && text === '') {
      setEmpty(true);
      textArea.current?.focus();
      return;
    }
    onSubmit({ secret: file ? { type: 'file', file } : { type: 'text', text }, ttl, views, passphrase, label });
  };

  const choose = (chosen: File | undefined | null) => {
    if (!chosen) return;
    setFile(chosen);
    setEmpty(false);
  };

  const paste = async () => {
    const pasted = await onPaste?.();
    if (pasted !== null && pasted !== undefined) setText(pasted);
  };

  return (
    <form
      class={`composer${dragging ? ' dragging' : ''}`}
      onSubmit={submit}
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
      }}
      onDragOver={(e) => {
        if (!e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        choose(e.dataTransfer?.files[0]);
      }}
    >
      {file ? (
        <fieldset class="file-card">
          <legend>{t('composer.file')}</legend>
          <strong id="file-name" translate={false} class="notranslate" dir="auto">
            {file.name}
          </strong>
          <span class="hint">{t('composer.fileInfo', { size: formatBytes(file.size), mime: mimeOf(file) })}</span>
          <button type="button" class="secondary" onClick={() => setFile(null)}>
            {t('composer.removeFile')}
          </button>
        </fieldset>
      ) : (
        <>
          <label for="secret">{t('composer.secretLabel')}</label>
          <textarea
            id="secret"
            rows={5}
            dir="auto"
            value={text}
            placeholder={t('composer.secretPlaceholder')}
            ref={textArea}
            aria-invalid={empty}
            aria-describedby={empty ? 'secret-empty' : undefined}
            {...SECRET_FIELD}
            onInput={(e) => {
              setText(e.currentTarget.value);
              setEmpty(false);
            }}
          />
          {empty && (
            <p id="secret-empty" class="error" role="alert">
              {t('composer.secretEmpty')}
            </p>
          )}
        </>
      )}
      <div class="row">
        {onPaste && !file && (
          <button type="button" class="secondary" onClick={paste}>
            {t('composer.paste')}
          </button>
        )}
        <button type="button" class="secondary" onClick={() => fileInput.current?.click()}>
          {file ? t('composer.chooseAnotherFile') : t('composer.shareFile')}
        </button>
        <input
          ref={fileInput}
          id="file"
          type="file"
          hidden
          tabIndex={-1}
          onChange={(e) => {
            choose(e.currentTarget.files?.[0]);
            e.currentTarget.value = '';
          }}
        />
        <span class="hint">{t('composer.sizeHint', { size: formatBytes(largest) })}</span>
      </div>
      {tooLarge && (
        <p class="error" role="alert">
          {file
            ? t('composer.fileTooLarge', { size: formatBytes(file.size), limit: formatBytes(largest) })
            : t('composer.textTooLong', { limit: formatBytes(largest) })}
        </p>
      )}
      <LimitFields
        idPrefix=""
        ttlLabel={t('composer.expiresAfter')}
        ttl={ttl}
        extraChoice={ttl}
        views={views}
        maxTtl={config.maxTtlSeconds}
        maxViews={config.maxViews}
        onTtl={setTtl}
        onViews={setViews}
        viewsEvent="input"
      />
      <label for="passphrase">{t('composer.passphraseLabel')}</label>
      <input
        id="passphrase"
        type="password"
        dir="auto"
        value={passphrase}
        aria-describedby="passphrase-hint"
        {...SECRET_FIELD}
        onInput={(e) => setPassphrase(e.currentTarget.value)}
      />
      <p id="passphrase-hint" class={`hint strength-${strength.level}`} aria-live="polite">
        {strength.level === 'empty' ? t('composer.passphraseHint') : t(STRENGTH_WORDS[strength.level])}
      </p>
      <label for="label">{t('composer.labelLabel')}</label>
      <input
        id="label"
        type="text"
        value={label}
        maxLength={60}
        dir="auto"
        placeholder={t('composer.labelPlaceholder')}
        autocomplete="off"
        onInput={(e) => setLabel(e.currentTarget.value)}
      />
      <button type="submit" class="primary" disabled={busy || !config.createEnabled}>
        {progress ? phaseWords(progress, file) : t('composer.create')}
      </button>
      {/* Determinate while deriving and proving (scrypt and the solver report progress); encrypting and uploading only say they are working. */}
      {progress?.phase === 'deriving' || progress?.phase === 'proving' ? (
        <progress key={progress.phase} max={1} value={progress.fraction ?? 0} aria-label={phaseWords(progress, file)} />
      ) : progress ? (
        <progress key="working" aria-label={phaseWords(progress, file)} />
      ) : null}
      <p class="sr-only" role="status">
        {progress ? phaseWords(progress, file) : ''}
      </p>
    </form>
  );
}
