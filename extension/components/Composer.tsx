// The composer: the secret, expiry, views, an optional passphrase and label.

import { estimateStrength } from '@psst/client/passphrase-strength';
import { useEffect, useRef, useState } from 'preact/hooks';
import { LimitFields } from './LimitFields';

export interface ComposerValues {
  text: string;
  ttl: number;
  views: number;
  passphrase: string;
  label: string;
}

export interface ComposerProps {
  initialTtl: number;
  initialViews: number;
  busy: boolean;
  onSubmit(values: ComposerValues): void;
  onPaste(): Promise<string | null>;
}

export function Composer({ initialTtl, initialViews, busy, onSubmit, onPaste }: ComposerProps) {
  const [text, setText] = useState('');
  const [ttl, setTtl] = useState(initialTtl);
  const [views, setViews] = useState(initialViews);
  const [passphrase, setPassphrase] = useState('');
  const [label, setLabel] = useState('');
  const textArea = useRef<HTMLTextAreaElement>(null);
  // The popup exists to type a secret: start there, as a search box would.
  useEffect(() => textArea.current?.focus(), []);
  const strength = estimateStrength(passphrase);

  const submit = (event?: Event) => {
    event?.preventDefault();
    if (!busy) onSubmit({ text, ttl, views, passphrase, label });
  };

  const paste = async () => {
    const pasted = await onPaste();
    if (pasted !== null) setText(pasted);
  };

  return (
    <form class="composer" onSubmit={submit}>
      <label for="secret">Secret</label>
      <textarea
        id="secret"
        rows={4}
        value={text}
        placeholder="Type or paste the secret"
        spellcheck={false}
        ref={textArea}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
        }}
      />
      <div class="row">
        <button type="button" class="secondary" onClick={paste}>
          Paste clipboard
        </button>
        <span class="hint">Ctrl+Enter creates the link</span>
      </div>
      <LimitFields
        idPrefix=""
        ttlLabel="Expires after"
        ttl={ttl}
        extraChoice={initialTtl}
        views={views}
        onTtl={setTtl}
        onViews={setViews}
        viewsEvent="input"
      />
      <label for="passphrase">Passphrase (optional)</label>
      <input
        id="passphrase"
        type="password"
        autoComplete="off"
        value={passphrase}
        aria-describedby="passphrase-hint"
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
        onInput={(e) => setLabel(e.currentTarget.value)}
      />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Encrypting…' : 'Create link'}
      </button>
    </form>
  );
}
