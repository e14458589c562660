// The new link: shown once, with Copy, a QR code and what the recipient will
// see. It is never stored.
import { describeDuration } from '@psst/client/format';
import { useEffect, useRef, useState } from 'preact/hooks';
import { SECRET_FIELD } from './Composer';
import { formatBytes } from './failure-words';
import { QrCode } from './QrCode';
import type { ComposerValues } from './secret-input';

export interface LinkResultProps {
  link: string;
  views: number;
  ttl: number;
  withPassphrase: boolean;
  /** A file secret: its name and size, as the recipient will see them. */
  file?: { name: string; size: number } | undefined;
  copied: boolean;
  onCopy(): Promise<boolean>;
  onDone(): void;
}

/** What a host shows of a link it just created (everything but how the copy went). */
export type CreatedLink = Pick<LinkResultProps, 'link' | 'views' | 'ttl' | 'withPassphrase'> & { file: LinkResultProps['file'] };

export function createdLink(link: string, values: ComposerValues): CreatedLink {
  const { secret } = values;
  return {
    link,
    views: values.views,
    ttl: values.ttl,
    withPassphrase: values.passphrase !== '',
    file: secret.type === 'file' ? { name: secret.file.name, size: secret.file.size } : undefined,
  };
}

export function LinkResult({ link, views, ttl, withPassphrase, file, copied: copiedAtFirst, onCopy, onDone }: LinkResultProps) {
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
      <div class="row">
        <input
          id="link"
          ref={input}
          type="text"
          readOnly
          value={link}
          aria-label="The one-time link"
          {...SECRET_FIELD}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" class="primary" onClick={async () => setCopied(await onCopy())}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p class="hint">This is the only time psst shows the link.</p>
      <h3>The recipient will see</h3>
      <ul class="facts" aria-label="What the recipient will see">
        <li>
          {file ? `A file, ${file.name} (${formatBytes(file.size)}),` : 'A text'} that can be opened{' '}
          {views === 1 ? 'once' : `${views} times`}
        </li>
        <li>Expires in {describeDuration(ttl)} if nobody opens it</li>
        <li>{withPassphrase ? 'Asks for the passphrase' : 'Opens with the link alone, after a click on Reveal'}</li>
      </ul>
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
