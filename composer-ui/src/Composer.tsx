// The composer: a text or a file, expiry and views within the relay's limits,
// an optional passphrase with its strength hint, a label. Its state lives
// here, so a failed create loses nothing: the host keeps it mounted and shows
// the failure beside it.
import { type CreatePhase, envelopeBytesFor } from '@psst/client/create-link';
import { estimateStrength } from '@psst/client/passphrase-strength';
import type { RelayConfigResponse } from '@psst/protocol/api';
import type { SecretMeta } from '@psst/protocol/framing';
import { maxBodyBytes } from '@psst/protocol/limits';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatBytes } from './failure-words';
import { LimitFields } from './LimitFields';
import { clampTtl, clampViews } from './limits';
import { type ComposerValues, mimeOf } from './secret-input';

export type { ComposerValues } from './secret-input';

/** What the host is doing with the submitted secret; null when idle. */
export type Progress = { phase: CreatePhase; fraction?: number | undefined } | null;

/**
 * Shows a create's progress through `show`: its first phase at once, then every
 * phase and each whole percent of the key derivation (not every scrypt callback).
 * The returned function is the create's onPhase.
 */
export function reportProgress(
  values: ComposerValues,
  show: (progress: Progress) => void,
): (phase: CreatePhase, fraction?: number) => void {
  show({ phase: values.passphrase === '' ? 'encrypting' : 'deriving', fraction: 0 });
  let lastPercent = -1;
  return (phase, fraction) => {
    const percent = Math.floor((fraction ?? 0) * 100);
    if (phase === 'deriving' && percent === lastPercent) return;
    lastPercent = percent;
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
      return `Strengthening the passphrase… ${Math.floor((progress.fraction ?? 0) * 100)} %`;
    case 'encrypting':
      return file ? `Encrypting ${formatBytes(file.size)}…` : 'Encrypting…';
    case 'uploading':
      return file ? `Uploading ${formatBytes(file.size)}…` : 'Uploading…';
  }
}

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
          <legend>File</legend>
          <strong id="file-name" translate={false} class="notranslate">
            {file.name}
          </strong>
          <span class="hint">
            {formatBytes(file.size)} · {mimeOf(file)}
          </span>
          <button type="button" class="secondary" onClick={() => setFile(null)}>
            Remove file
          </button>
        </fieldset>
      ) : (
        <>
          <label for="secret">Secret</label>
          <textarea
            id="secret"
            rows={5}
            value={text}
            placeholder="Type or paste the secret, or drop a file here"
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
              Type the secret or choose a file first.
            </p>
          )}
        </>
      )}
      <div class="row">
        {onPaste && !file && (
          <button type="button" class="secondary" onClick={paste}>
            Paste clipboard
          </button>
        )}
        <button type="button" class="secondary" onClick={() => fileInput.current?.click()}>
          {file ? 'Choose another file' : 'Share a file…'}
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
        <span class="hint">Up to {formatBytes(largest)} · Ctrl+Enter creates the link</span>
      </div>
      {tooLarge && (
        <p class="error" role="alert">
          {file ? `This file is ${formatBytes(file.size)}` : 'This text is too long'}: this relay accepts up to {formatBytes(largest)}.
        </p>
      )}
      <LimitFields
        idPrefix=""
        ttlLabel="Expires after"
        ttl={ttl}
        extraChoice={ttl}
        views={views}
        maxTtl={config.maxTtlSeconds}
        maxViews={config.maxViews}
        onTtl={setTtl}
        onViews={setViews}
        viewsEvent="input"
      />
      <label for="passphrase">Passphrase (optional)</label>
      <input
        id="passphrase"
        type="password"
        value={passphrase}
        aria-describedby="passphrase-hint"
        {...SECRET_FIELD}
        onInput={(e) => setPassphrase(e.currentTarget.value)}
      />
      <p id="passphrase-hint" class={`hint strength-${strength.level}`} aria-live="polite">
        {passphrase === ''
          ? 'Adds a second factor: the link alone will not open it.'
          : `${strength.hint} Send the passphrase separately, not with the link.`}
      </p>
      <label for="label">Label (optional, kept only in this browser)</label>
      <input
        id="label"
        type="text"
        value={label}
        maxLength={60}
        placeholder="e.g. Wi-Fi for Sam"
        autocomplete="off"
        onInput={(e) => setLabel(e.currentTarget.value)}
      />
      <button type="submit" class="primary" disabled={busy || !config.createEnabled}>
        {progress ? phaseWords(progress, file) : 'Create link'}
      </button>
      {/* Determinate while deriving (scrypt reports its progress); encrypting and uploading only say they are working. */}
      {progress?.phase === 'deriving' ? (
        <progress key="deriving" max={1} value={progress.fraction ?? 0} aria-label={phaseWords(progress, file)} />
      ) : progress ? (
        <progress key="working" aria-label={phaseWords(progress, file)} />
      ) : null}
      <p class="sr-only" role="status">
        {progress ? phaseWords(progress, file) : ''}
      </p>
    </form>
  );
}
