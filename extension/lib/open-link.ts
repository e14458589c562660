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

/** Must be called straight from the click: permissions.request needs the user's gesture (see below). */
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
  // Asked before anything is awaited: Firefox lets permissions.request() prompt only while it handles the
  // user's input, which ends at the first await (Chrome allows a few seconds). For a host psst already
  // holds, both browsers answer true at once without a prompt.
  let granted = await apis.permissions.request({ origins }).catch(() => false);
  if (!granted) granted = await apis.permissions.contains({ origins }).catch(() => false);
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
