// The extension speaks through the browser's i18n: its _locales/<locale>/
// messages.json files are generated from the same catalogues as the pages'
// (toExtensionMessages), and its translator reads them with getMessage.
// Messages keep their {name} placeholders as text (getMessage leaves braces
// alone) and are filled in by formatMessage, so plural forms and numbers
// follow Intl exactly as on the pages.

import type { LanguageCode } from './languages.js';
import { type Catalogue, formatMessage, type Params, pluralCategory, type Translator } from './translate.js';

/** The messages.json name of a key (Chrome allows only [A-Za-z0-9_@]), with a plural form after "__". */
export function messageName(key: string, form?: string): string {
  const name = key.replace(/\./g, '_');
  return form ? `${name}__${form}` : name;
}

export interface ExtensionMessage {
  message: string;
}

/** One language's catalogues as a messages.json object. `$` is doubled: getMessage reads `$x$` as a placeholder. */
export function toExtensionMessages(catalogue: Catalogue): Record<string, ExtensionMessage> {
  const out: Record<string, ExtensionMessage> = {};
  const entry = (text: string) => ({ message: text.replace(/\$/g, '$$$$') });
  for (const [key, message] of Object.entries(catalogue)) {
    if (typeof message === 'string') out[messageName(key)] = entry(message);
    else for (const [form, text] of Object.entries(message)) if (text !== undefined) out[messageName(key, form)] = entry(text);
  }
  return out;
}

/**
 * A translator over the browser's i18n. `getMessage` is `browser.i18n.getMessage`
 * (it returns "" for an unknown name); `lang` is the catalogue language the
 * browser picked (see the `language` message each catalogue carries).
 */
export function createExtensionTranslator(lang: LanguageCode, getMessage: (name: string) => string): Translator {
  return {
    lang,
    t(key: string, params?: Params) {
      const count = params?.count;
      let text = '';
      if (typeof count === 'number') {
        text = getMessage(messageName(key, pluralCategory(lang, count))) || getMessage(messageName(key, 'other'));
      }
      if (!text) text = getMessage(messageName(key));
      return text ? formatMessage(lang, text, params) : key;
    },
  };
}
