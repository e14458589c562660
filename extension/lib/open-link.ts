// The popup's "Open a link": any psst link, pasted, opens in the extension's
// reveal page. The relay's host permission is asked for only when psst does not
// hold it yet, and only for that host.

import { hostPatternFor } from '@psst/client/relay-url';
import { t } from '@psst/i18n';
import { readSecretLink } from '@psst/reveal-ui/secret-link';
import type { PermissionsLike } from './relay-setup';
import { revealPageUrl } from './reveal-links';

export interface OpenLinkApis {
  permissions: PermissionsLike;
  /** runtime.getURL('/reveal.html') */
  revealPage: string;
  openTab(url: string): Promise<unknown>;
}

export type OpenLinkResult = { ok: true } | { ok: false; title: string; message: string };

/** Must be called straight from the click: permissions.request needs the user's gesture. */
export async function openLink(input: string, apis: OpenLinkApis): Promise<OpenLinkResult> {
  const text = input.trim();
  const read = readSecretLink(text);
  if (!read.ok) {
    return read.problem === 'incomplete'
      ? {
          ok: false,
          title: t('openLink.incompleteTitle'),
          message: t('openLink.incompleteMessage'),
        }
      : { ok: false, title: t('openLink.notALinkTitle'), message: t('openLink.notALinkMessage') };
  }
  const { origin } = read.link;
  const origins = [hostPatternFor(origin)];
  const host = new URL(origin).host;
  let granted = await apis.permissions.contains({ origins }).catch(() => false);
  if (!granted) granted = await apis.permissions.request({ origins }).catch(() => false);
  if (!granted) {
    return {
      ok: false,
      title: t('hostAccess.refusedTitle'),
      message: t('openLink.refusedMessage', { host }),
    };
  }
  try {
    await apis.openTab(revealPageUrl(apis.revealPage, text));
  } catch {
    return { ok: false, title: t('openLink.tabFailedTitle'), message: t('openLink.tabFailedMessage') };
  }
  return { ok: true };
}
