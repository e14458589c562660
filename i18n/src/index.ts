// The translator every UI calls: `t(key, params)`. The host (the reveal page,
// the web composer, the extension) installs one at start with setTranslator:
// the pages fetch only the active language's catalogue file (reveal-page's Vite plugin), the
// extension reads its generated _locales through browser.i18n (extension.ts).

import type common from '../locales/en/common.json';
import type composer from '../locales/en/composer.json';
import type extension from '../locales/en/extension.json';
import type reveal from '../locales/en/reveal.json';
import { type LanguageCode, languageOf, SOURCE_LANGUAGE } from './languages.js';
import { formatNumber, type Params, type Translator } from './translate.js';

export { LANGUAGES, type Language, type LanguageCode, languageOf, matchLanguage, SOURCE_LANGUAGE } from './languages.js';
export type { Catalogue, Message, Params, PluralForms, Translator } from './translate.js';
export { createTranslator, formatMessage, placeholdersOf, pluralCategory } from './translate.js';

/** Every key of the source catalogues: a typo in a t() call fails the typecheck. */
export type MessageKey = keyof typeof common | keyof typeof reveal | keyof typeof composer | keyof typeof extension;

const untranslated: Translator = { lang: SOURCE_LANGUAGE, t: (key) => key };
let current: Translator = untranslated;
const listeners = new Set<(translator: Translator) => void>();

/** Installs the translator every t() call then uses, and tells the listeners (a UI re-renders). */
export function setTranslator(translator: Translator): void {
  current = translator;
  for (const listener of listeners) listener(translator);
}

/** Calls `listener` whenever the language changes; returns the function that stops it. */
export function onTranslatorChange(listener: (translator: Translator) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The words for `key` in the active language. */
export function t(key: MessageKey, params?: Params): string {
  return current.t(key, params);
}

/** The active language's code, for Intl and for `lang` attributes. */
export function currentLanguage(): LanguageCode {
  return current.lang;
}

/** The active language's writing direction, for the `dir` attribute of the page. */
export function currentDirection(): 'ltr' | 'rtl' {
  return languageOf(current.lang).dir;
}

/** A number in the active language's digits and separators. */
export function number(value: number): string {
  return formatNumber(current.lang, value);
}

/** A calendar date and time in the reader's language and time zone. */
export function formatDate(date: Date): string {
  return new Intl.DateTimeFormat(current.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** "in 3 hours", "2 days ago"; rounded before the unit is chosen, so 59.7 minutes reads "in 1 hour". */
export function formatRelative(target: Date, now: Date = new Date()): string {
  const seconds = Math.round((target.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 60) return t(target < now ? 'time.lessThanMinuteAgo' : 'time.inLessThanMinute');
  const sign = Math.sign(seconds);
  const minutes = Math.round(Math.abs(seconds) / 60);
  const hours = Math.round(Math.abs(seconds) / 3600);
  const rtf = new Intl.RelativeTimeFormat(current.lang, { numeric: 'auto' });
  if (minutes < 60) return rtf.format(sign * minutes, 'minute');
  if (hours < 24) return rtf.format(sign * hours, 'hour');
  return rtf.format(sign * Math.round(Math.abs(seconds) / 86_400), 'day');
}

/**
 * A size in bytes, kB or MB (1024-based, as the limits are stated and file managers count), with the
 * language's unit names: 1 → "1 byte", 1536 → "2 kB", 1572864 → "1.5 MB". Kilobytes are whole, so a
 * limit just under a round number reads "960 kB", not "959.9 kB"; megabytes keep one decimal.
 */
export function formatBytes(bytes: number): string {
  const unit = (value: number, name: 'byte' | 'kilobyte' | 'megabyte', digits: number) =>
    new Intl.NumberFormat(current.lang, {
      style: 'unit',
      unit: name,
      unitDisplay: name === 'byte' ? 'long' : 'short',
      maximumFractionDigits: digits,
    }).format(value);
  if (bytes < 1024) return unit(bytes, 'byte', 0);
  if (bytes < 1024 * 1024) return unit(bytes / 1024, 'kilobyte', 0);
  return unit(bytes / 1024 / 1024, 'megabyte', 1);
}
