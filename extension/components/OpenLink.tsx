// The popup's "Open a link" field: paste any psst link, open it in the
// extension's own reveal page (the relay's page never runs).
import { SECRET_FIELD } from '@psst/composer-ui/composer';
import { t } from '@psst/i18n';
import { useState } from 'preact/hooks';
import type { OpenLinkResult } from '../lib/open-link';

export function OpenLink({ onOpen }: { onOpen(link: string): Promise<OpenLinkResult> }) {
  const [link, setLink] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Extract<OpenLinkResult, { ok: false }> | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    let result: OpenLinkResult;
    try {
      result = await onOpen(link);
    } finally {
      // Even when opening throws, the field and its button stay usable.
      setBusy(false);
    }
    if (result.ok) {
      setLink('');
      setProblem(null);
    } else setProblem(result);
  };

  return (
    <form class="open-link" onSubmit={submit} aria-labelledby="open-link-title">
      <h2 id="open-link-title">{t('openLink.title')}</h2>
      <div class="row">
        <input
          id="open-link"
          type="text"
          inputMode="url"
          {...SECRET_FIELD}
          // A link reads left to right in every language, exactly as pasted.
          dir="ltr"
          aria-label={t('openLink.field')}
          placeholder="https://…/s/…#…"
          aria-describedby="open-link-hint"
          aria-invalid={problem !== null}
          value={link}
          onInput={(e) => setLink(e.currentTarget.value)}
        />
        <button type="submit" class="secondary" disabled={busy || link.trim() === ''}>
          {t('openLink.open')}
        </button>
      </div>
      <p id="open-link-hint" class="hint">
        {t('openLink.hint')}
      </p>
      {problem && (
        <p class="problem" role="alert">
          <strong>{t('openLink.problemTitle', { title: problem.title })}</strong> {problem.message}
        </p>
      )}
    </form>
  );
}
