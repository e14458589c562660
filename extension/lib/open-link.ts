// The popup's "Open a link": any psst link, pasted, opens in the extension's
// reveal page. The relay's host permission is asked for only when psst does not
// hold it yet, and only for that host.

import { hostPatternFor } from '@psst/client/relay-url';
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
          title: 'This link is incomplete',
          message: 'The key (the part after #) is missing or damaged. Copy the whole link again.',
        }
      : { ok: false, title: 'This is not a psst link', message: 'A psst link looks like https://psst.example.org/s/…#… — copy it whole.' };
  }
  const { origin } = read.link;
  const origins = [hostPatternFor(origin)];
  const host = new URL(origin).host;
  let granted = await apis.permissions.contains({ origins }).catch(() => false);
  if (!granted) granted = await apis.permissions.request({ origins }).catch(() => false);
  if (!granted) {
    return {
      ok: false,
      title: 'Permission not granted',
      message: `psst can open links of ${host} only once you allow it to contact that host. Nothing was opened.`,
    };
  }
  try {
    await apis.openTab(revealPageUrl(apis.revealPage, text));
  } catch {
    return { ok: false, title: 'Could not open the link', message: 'The browser did not open a new tab for it. Try again.' };
  }
  return { ok: true };
}
