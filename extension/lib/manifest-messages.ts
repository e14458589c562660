// The manifest's words (name, description, toolbar title, keyboard command) as
// catalogue keys: wxt.config.ts writes them as __MSG_name__ references, which
// the browser fills in from the _locales generated from the same catalogues.
import type { MessageKey } from '@psst/i18n';

export const MANIFEST_MESSAGES = {
  name: 'manifest.name',
  description: 'manifest.description',
  actionTitle: 'manifest.actionTitle',
  shareClipboardCommand: 'manifest.shareClipboardCommand',
} as const satisfies Record<string, MessageKey>;
