#!/usr/bin/env node
// What a translator still has to do: for each language (or the ones named),
// the keys it lacks, has left over, or whose placeholders or plural forms
// differ from English, with the English message. Exits 1 when anything is left.
//   node i18n/scripts/missing.mjs [lang ...] [--json]
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'locales');
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const wanted = args.filter((arg) => !arg.startsWith('--'));
const areas = readdirSync(join(dir, 'en')).filter((name) => name.endsWith('.json'));
const read = (lang, file) => {
  try {
    return JSON.parse(readFileSync(join(dir, lang, file), 'utf8'));
  } catch {
    return {};
  }
};
const placeholders = (message) =>
  [
    ...new Set(
      (typeof message === 'string' ? [message] : Object.values(message)).flatMap((text) =>
        [...text.matchAll(/\{([A-Za-z][A-Za-z0-9]*)\}/g)].map((m) => m[1]),
      ),
    ),
  ]
    .sort()
    .join(',');

const report = {};
let left = 0;
for (const lang of readdirSync(dir).filter((name) => name !== 'en' && (wanted.length === 0 || wanted.includes(name)))) {
  const forms = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.slice().sort().join(',');
  for (const file of areas) {
    const source = read('en', file);
    const target = read(lang, file);
    const problems = {};
    for (const [key, message] of Object.entries(source)) {
      const have = target[key];
      if (have === undefined) problems[key] = { missing: message };
      else if (placeholders(have) !== placeholders(message)) problems[key] = { placeholders: placeholders(message), english: message };
      else if (typeof message !== 'string' && (typeof have === 'string' || Object.keys(have).sort().join(',') !== forms))
        problems[key] = { pluralForms: forms, english: message };
    }
    for (const key of Object.keys(target)) if (!(key in source)) problems[key] = { leftOver: true };
    if (Object.keys(problems).length > 0) {
      report[`${lang}/${file}`] = problems;
      left += Object.keys(problems).length;
    }
  }
}
if (asJson) console.log(JSON.stringify(report, null, 2));
else
  for (const [file, problems] of Object.entries(report))
    console.log(`${file}: ${Object.keys(problems).length} to do: ${Object.keys(problems).join(' ')}`);
process.exit(left > 0 ? 1 : 0);
