// The message format: a string with {name} placeholders, or, for a count, an
// object of CLDR plural forms ("one", "few", "many", "other", ...) chosen with
// Intl.PluralRules from the `count` parameter. Numbers are formatted with
// Intl.NumberFormat in the message's language; nothing is ever concatenated.

import type { LanguageCode } from './languages.js';

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { readonly other: string };
export type Message = string | PluralForms;
/** One area's messages in one language: key → message. Keys are `[A-Za-z0-9_.]`. */
export type Catalogue = Readonly<Record<string, Message>>;
export type Params = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function cached<T>(map: Map<string, T>, lang: string, make: () => T): T {
  let value = map.get(lang);
  if (!value) {
    value = make();
    map.set(lang, value);
  }
  return value;
}

/** The plural form of `count` in `lang` ("one", "few", ...). */
export function pluralCategory(lang: string, count: number): Intl.LDMLPluralRule {
  return cached(pluralRules, lang, () => new Intl.PluralRules(lang)).select(count);
}

export function formatNumber(lang: string, value: number): string {
  return cached(numberFormats, lang, () => new Intl.NumberFormat(lang)).format(value);
}

/** The text of a message for these parameters: the plural form, then the placeholders filled in. */
export function formatMessage(lang: string, message: Message, params: Params = {}): string {
  let text: string;
  if (typeof message === 'string') text = message;
  else {
    const count = params.count;
    text = (typeof count === 'number' ? message[pluralCategory(lang, count)] : undefined) ?? message.other;
  }
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(lang, value) : value;
  });
}

/** Every placeholder name a message uses (in all its plural forms), sorted. */
export function placeholdersOf(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  const names = new Set<string>();
  for (const text of texts) for (const match of (text ?? '').matchAll(PLACEHOLDER)) names.add(match[1] as string);
  return [...names].sort();
}

export interface Translator {
  readonly lang: LanguageCode;
  /** The words for `key`, in this translator's language. */
  t(key: string, params?: Params): string;
}

/** A translator over catalogues held in memory (the pages load the active language's files). */
export function createTranslator(lang: LanguageCode, ...catalogues: Catalogue[]): Translator {
  const messages: Record<string, Message> = Object.assign({}, ...catalogues);
  return {
    lang,
    t(key, params) {
      const message = messages[key];
      // A missing key shows itself rather than an empty line; the catalogue tests keep this from shipping.
      return message === undefined ? key : formatMessage(lang, message, params);
    },
  };
}
