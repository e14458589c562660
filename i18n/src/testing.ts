// For unit tests of the UIs: installs the source language (every area) as the
// active translator, or any other language, read from the files on disk.

import { readLanguage } from './catalogue-files.js';
import { setTranslator } from './index.js';
import { type LanguageCode, SOURCE_LANGUAGE } from './languages.js';
import { createTranslator } from './translate.js';

export function useLanguage(lang: LanguageCode = SOURCE_LANGUAGE): void {
  setTranslator(createTranslator(lang, readLanguage(lang)));
}
