// The new link: shown once, with Copy, a QR code and what the recipient will
// see. It is never stored.
import { formatBytes, t } from '@psst/i18n';
import { useEffect, useRef, useState } from 'preact/hooks';
import { SECRET_FIELD } from './Composer';
import { formatDuration } from './failure-words';
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
      <h2 id="result-title">{copied ? t('result.copiedTitle') : t('result.createdTitle')}</h2>
      <div class="row">
        <input
          id="link"
          ref={input}
          type="text"
          readOnly
          value={link}
          aria-label={t('result.linkLabel')}
          {...SECRET_FIELD}
          dir="ltr"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" class="primary" onClick={async () => setCopied(await onCopy())}>
          {copied ? t('result.copied') : t('result.copy')}
        </button>
      </div>
      <p class="hint">{t('result.onlyTime')}</p>
      <h3>{t('result.recipientTitle')}</h3>
      <ul class="facts" aria-label={t('result.recipientLabel')}>
        <li>
          {file ? t('result.file', { count: views, name: file.name, size: formatBytes(file.size) }) : t('result.text', { count: views })}
        </li>
        <li>{t('result.expires', { duration: formatDuration(ttl) })}</li>
        <li>{withPassphrase ? t('result.asksPassphrase') : t('result.linkAlone')}</li>
      </ul>
      {withPassphrase && <p class="note">{t('result.passphraseNote')}</p>}
      <div class="row">
        <button type="button" class="secondary" aria-expanded={showQr} onClick={() => setShowQr(!showQr)}>
          {showQr ? t('result.hideQr') : t('result.showQr')}
        </button>
        <button type="button" class="secondary" onClick={onDone}>
          {t('result.newSecret')}
        </button>
      </div>
      {showQr && <QrCode text={link} label={t('result.qrLabel')} />}
    </section>
  );
}
