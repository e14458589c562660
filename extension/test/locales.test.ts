// The built extension speaks every language of the catalogues: both builds
// carry _locales/<locale>/messages.json for each language, exactly as
// generated from i18n/locales (every area), each complete (the browser would
// quietly fall back to English for a missing name), and every __MSG_…__ name
// the manifest uses exists. Needs `pnpm --filter @psst/extension build`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLanguage } from '@psst/i18n/catalogue-files';
import { messageName, toExtensionMessages } from '@psst/i18n/extension';
import { LANGUAGES, SOURCE_LANGUAGE } from '@psst/i18n/languages';
import { describe, expect, it } from 'vitest';

const output = join(import.meta.dirname, '..', '.output');
const english = readLanguage(SOURCE_LANGUAGE);

/** Every string anywhere in the manifest. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe.each(['chrome-mv3', 'firefox-mv2'])('the %s build', (build) => {
  const dir = join(output, build);
  const read = (path: string) => {
    const file = join(dir, path);
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm --filter @psst/extension build\` first`);
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  };

  it('has one messages.json per language, none other', () => {
    expect(readdirSync(join(dir, '_locales')).sort()).toEqual(LANGUAGES.map((language) => language.extensionLocale).sort());
  });

  it.each(LANGUAGES.map((language) => [language.code, language.extensionLocale]))(
    '%s: its messages.json is the catalogues of that language, complete',
    (code, locale) => {
      const language = LANGUAGES.find((l) => l.code === code)!;
      const messages = read(`_locales/${locale}/messages.json`);
      expect(messages).toEqual(toExtensionMessages(readLanguage(language.code)));
      const missing = Object.keys(english).filter((key) => !(messageName(key) in messages || messageName(key, 'other') in messages));
      expect(missing, `${code} lacks these keys (i18n/scripts/missing.mjs ${code})`).toEqual([]);
      expect(messages[messageName('language.code')]).toEqual({ message: code });
    },
  );

  it('names English the default locale and uses only message names that exist', () => {
    const manifest = read('manifest.json');
    expect(manifest.default_locale).toBe('en');
    const used = strings(manifest).flatMap((text) => [...text.matchAll(/__MSG_(\w+)__/g)].map((match) => match[1] as string));
    expect(used.length).toBeGreaterThanOrEqual(4);
    for (const language of LANGUAGES) {
      const messages = read(`_locales/${language.extensionLocale}/messages.json`);
      for (const name of used) expect(messages[name], `${language.code}: ${name}`).toBeDefined();
    }
    expect(manifest.name).toBe(`__MSG_${messageName('manifest.name')}__`);
  });
});
