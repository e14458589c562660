// The pages' language switcher: a labelled <select> listing every language
// under its own name. The host loads the chosen language's catalogues and
// installs them; every UI listening to onTranslatorChange re-renders in place.
import { currentLanguage, LANGUAGES, type LanguageCode, t } from '@psst/i18n';

export function LanguageSwitcher({ onChange }: { onChange(code: LanguageCode): void }) {
  return (
    <label class="language-switcher">
      {t('language.switcher')}
      <select id="language" value={currentLanguage()} onChange={(e) => onChange(e.currentTarget.value as LanguageCode)}>
        {LANGUAGES.map((language) => (
          <option key={language.code} value={language.code} lang={language.code} dir={language.dir}>
            {language.name}
          </option>
        ))}
      </select>
    </label>
  );
}
