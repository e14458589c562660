// The page's three kinds of content: what is waiting (with the Reveal button),
// the revealed secret, and a message for every other state.

import { sanitiseFileName, sanitiseMime } from '@psst/client/file-name';
import type { RevealedSecret, View } from '@psst/client/reveal-flow';
import { formatBytes, t } from '@psst/i18n';
import type { LookResponse } from '@psst/protocol/api';
import { MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Busy } from './App.js';
import { derivingWords, expiresWords, messageFor, wrongPassphraseWords } from './words.js';

export function WaitingView(props: {
  look: LookResponse;
  attemptsLeft: number | undefined;
  wrongCount: number;
  busy: Busy;
  onReveal(passphrase: string): void;
}) {
  const { look, attemptsLeft, busy } = props;
  const [passphrase, setPassphrase] = useState('');
  const [empty, setEmpty] = useState(false);
  const needsPassphrase = look.kdf !== null;
  const error = empty ? t('waiting.passphraseEmpty') : attemptsLeft !== undefined ? wrongPassphraseWords(attemptsLeft) : null;
  const inputRef = useRef<HTMLInputElement>(null);

  // After a wrong passphrase the field is focused and selected, ready for another try.
  useEffect(() => {
    if (props.wrongCount > 0) inputRef.current?.select();
  }, [props.wrongCount]);

  const submit = (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (needsPassphrase && passphrase === '') {
      setEmpty(true);
      inputRef.current?.focus();
      return;
    }
    setEmpty(false);
    props.onReveal(passphrase);
  };

  return (
    <form class="stack" onSubmit={submit} noValidate>
      <h1 tabIndex={-1}>{t('waiting.title')}</h1>
      <ul class="facts">
        <li>{t('waiting.views', { count: look.viewsLeft })}</li>
        <li>{expiresWords(new Date(look.expiresAt))}</li>
        {needsPassphrase && <li>{t('waiting.passphraseNeeded')}</li>}
      </ul>
      <p class="muted">{t('waiting.notConsumed')}</p>
      {needsPassphrase && (
        <div class="field">
          <label for="passphrase">{t('waiting.passphraseLabel')}</label>
          <input
            ref={inputRef}
            id="passphrase"
            type="password"
            autocomplete="off"
            autocapitalize="off"
            autoCorrect="off"
            spellcheck={false}
            translate={false}
            class="notranslate"
            value={passphrase}
            disabled={busy !== null}
            aria-invalid={error !== null}
            aria-describedby={error ? 'passphrase-error passphrase-hint' : 'passphrase-hint'}
            data-autofocus={props.wrongCount > 0 ? '' : undefined}
            onInput={(e) => setPassphrase(e.currentTarget.value)}
          />
          {error && (
            <p id="passphrase-error" class="error" role="alert">
              {error}
            </p>
          )}
          <p id="passphrase-hint" class="hint">
            {t('waiting.passphraseHint', { count: MAX_PASSPHRASE_ATTEMPTS })}
          </p>
        </div>
      )}
      <button type="submit" class="button primary" disabled={busy !== null}>
        {busy?.phase === 'deriving' ? derivingWords(busy.progress) : busy ? t('waiting.revealing') : t('waiting.reveal')}
      </button>
      {busy?.phase === 'deriving' && <progress max={100} value={busy.progress} aria-label={derivingWords(busy.progress)} />}
    </form>
  );
}

export function RevealedView(props: { secret: RevealedSecret; viewsLeft: number; clipboard: Pick<Clipboard, 'writeText'> | undefined }) {
  const { secret, viewsLeft } = props;
  return (
    <div class="stack">
      <h1 tabIndex={-1}>{secret.type === 'text' ? t('revealed.titleText') : t('revealed.titleFile')}</h1>
      {secret.type === 'text' ? <SecretText text={secret.text} clipboard={props.clipboard} /> : <SecretFile file={secret} />}
      <p class={viewsLeft === 0 ? 'note' : 'note muted'}>
        {viewsLeft === 0 ? t('revealed.destroyed') : t('revealed.viewsLeft', { count: viewsLeft })}
      </p>
    </div>
  );
}

function SecretText({ text, clipboard }: { text: string; clipboard: Pick<Clipboard, 'writeText'> | undefined }) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const preRef = useRef<HTMLPreElement>(null);

  useEffect(() => {
    if (copy !== 'copied') return;
    const timer = setTimeout(() => setCopy('idle'), 2500);
    return () => clearTimeout(timer);
  }, [copy]);

  const onCopy = async () => {
    try {
      if (!clipboard) throw new Error('no clipboard');
      await clipboard.writeText(text);
      setCopy('copied');
    } catch {
      // Select the text so the reader can copy it with the keyboard instead.
      const pre = preRef.current;
      if (pre) window.getSelection()?.selectAllChildren(pre);
      setCopy('failed');
    }
  };

  return (
    <>
      {/* Rendered as a text node: whitespace kept by CSS, never parsed as HTML. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (axe: scrollable-region-focusable) */}
      <section class="secret" aria-label={t('revealed.titleText')} tabIndex={0}>
        {/* Never translated, spell-checked or corrected by the browser: a secret is shown as it was sent. */}
        <pre ref={preRef} dir="auto" translate={false} class="notranslate" spellcheck={false} autocapitalize="off" autoCorrect="off">
          {text === '' ? t('revealed.empty') : text}
        </pre>
      </section>
      <div class="row">
        <button type="button" class="button primary" onClick={onCopy}>
          {copy === 'copied' ? t('revealed.copied') : t('revealed.copy')}
        </button>
        <span class={copy === 'failed' ? 'error' : 'muted'} role="status">
          {copy === 'copied' ? t('revealed.copiedStatus') : copy === 'failed' ? t('revealed.copyFailed') : ''}
        </span>
      </div>
    </>
  );
}

function SecretFile({ file }: { file: Extract<RevealedSecret, { type: 'file' }> }) {
  const name = sanitiseFileName(file.name);
  // Always application/octet-stream: a same-origin blob must never be rendered as HTML or SVG.
  const url = useMemo(() => URL.createObjectURL(new Blob([file.bytes], { type: 'application/octet-stream' })), [file]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <div class="file">
      <p class="file-name" dir="auto" translate={false}>
        {name}
      </p>
      <p class="muted">{t('revealed.fileInfo', { size: formatBytes(file.bytes.length), mime: sanitiseMime(file.mime) })}</p>
      <a class="button primary" href={url} download={name}>
        <Isolated text={t('revealed.download')} slot="{name}" value={name} />
      </a>
    </div>
  );
}

export function MessageView({
  view,
  onRetry,
}: {
  view: Exclude<View, { kind: 'waiting' | 'revealed' }>;
  onRetry: (() => void) | undefined;
}) {
  const message = messageFor(view);
  return (
    <div class={`stack message ${message.tone}`}>
      <h1 tabIndex={-1}>{message.title}</h1>
      {message.body && <p>{message.body}</p>}
      {message.retry && onRetry && (
        <button type="button" class="button" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/** A sentence with a user's text in its `slot`, that text isolated (<bdi>) so its own direction cannot reorder the words around it. */
function Isolated({ text, slot, value }: { text: string; slot: string; value: string }) {
  const [before, after] = text.split(slot);
  return (
    <>
      {before}
      <bdi>{value}</bdi>
      {after}
    </>
  );
}
