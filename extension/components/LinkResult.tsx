// The new link: shown once, with Copy and a QR code. It is never stored.

import { describeDuration, describeViews } from '@psst/client/format';
import { useEffect, useRef, useState } from 'preact/hooks';
import { QrCode } from './QrCode';

export interface LinkResultProps {
  link: string;
  views: number;
  ttl: number;
  withPassphrase: boolean;
  copied: boolean;
  onCopy(): Promise<boolean>;
  onDone(): void;
}

export function LinkResult({ link, views, ttl, withPassphrase, copied: copiedAtFirst, onCopy, onDone }: LinkResultProps) {
  const [copied, setCopied] = useState(copiedAtFirst);
  const [showQr, setShowQr] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // The composer that had focus is gone: move focus to the link, selected, so
  // keyboard and screen-reader users land on what they came for.
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  return (
    <section class="result" aria-labelledby="result-title">
      <h2 id="result-title">{copied ? 'Link copied' : 'Link created'}</h2>
      <p class="hint">
        {describeViews(views)}, expires in {describeDuration(ttl)}. This is the only time psst shows it.
      </p>
      <div class="row">
        <input
          id="link"
          ref={input}
          type="text"
          readOnly
          value={link}
          aria-label="The one-time link"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" class="primary" onClick={async () => setCopied(await onCopy())}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      {withPassphrase && <p class="note">Send the passphrase separately (a call, another app), never next to the link.</p>}
      <div class="row">
        <button type="button" class="secondary" aria-expanded={showQr} onClick={() => setShowQr(!showQr)}>
          {showQr ? 'Hide QR code' : 'Show QR code'}
        </button>
        <button type="button" class="secondary" onClick={onDone}>
          New secret
        </button>
      </div>
      {showQr && <QrCode text={link} label="QR code of the link, for a phone" />}
    </section>
  );
}
