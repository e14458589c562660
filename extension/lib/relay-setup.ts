// Pointing the extension at a relay: normalise the address, ask for host
// permission for that origin only, check /healthz, then save it.

import { checkHealth, type FetchLike } from '@psst/client/relay-client';
import { hostPatternFor, normaliseRelayUrl } from '@psst/client/relay-url';
import { t } from '@psst/i18n';
import { describeFailure } from './describe-failure';

export interface PermissionsLike {
  contains(p: { origins: string[] }): Promise<boolean>;
  request(p: { origins: string[] }): Promise<boolean>;
}

export type RelaySetupResult =
  | { ok: true; relayUrl: string; message: string }
  | { ok: false; saved: boolean; relayUrl?: string; title: string; message: string };

/**
 * Must be called straight from a click: permissions.request needs the user
 * gesture, so it is the first thing awaited.
 */
export async function setUpRelay(
  input: string,
  apis: { permissions: PermissionsLike; fetch: FetchLike; save(relayUrl: string): Promise<void> },
): Promise<RelaySetupResult> {
  let relayUrl: string;
  try {
    relayUrl = normaliseRelayUrl(input);
  } catch (error) {
    return { ok: false, saved: false, ...describeFailure(error) };
  }
  const origins = [hostPatternFor(relayUrl)];
  let granted: boolean;
  try {
    granted = (await apis.permissions.request({ origins })) || (await apis.permissions.contains({ origins }));
  } catch {
    granted = false;
  }
  if (!granted) {
    return {
      ok: false,
      saved: false,
      title: t('hostAccess.refusedTitle'),
      message: t('relaySetup.refusedMessage', { host: new URL(relayUrl).host }),
    };
  }
  await apis.save(relayUrl);
  try {
    await checkHealth(apis.fetch, relayUrl);
  } catch (error) {
    const words = describeFailure(error);
    return { ok: false, saved: true, relayUrl, title: t('relaySetup.savedButProblem', { problem: words.title }), message: words.message };
  }
  return { ok: true, relayUrl, message: t('relaySetup.answers', { relayUrl }) };
}
