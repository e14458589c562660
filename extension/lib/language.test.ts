// @vitest-environment happy-dom
// Each context reads its language from the catalogue the browser picked (the
// `language.code` message), falls back to English, and sets lang and dir.

import { currentLanguage, t } from '@psst/i18n';
import { readLanguage } from '@psst/i18n/catalogue-files';
import { toExtensionMessages } from '@psst/i18n/extension';
import { useLanguage } from '@psst/i18n/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { installBrowserLanguage } from './language';

afterEach(() => useLanguage('en'));

/** browser.i18n.getMessage over the messages.json the build generates for `lang` ("" for an unknown name). */
function i18nFor(messages: Record<string, { message: string }>) {
  return { getMessage: (name: string) => messages[name]?.message.replace(/\$\$/g, '$') ?? '' };
}

describe('installBrowserLanguage', () => {
  it('speaks the language of the catalogue the browser picked, and marks the document', () => {
    const messages = { ...toExtensionMessages(readLanguage('en')), language_code: { message: 'ar' } };
    expect(installBrowserLanguage(i18nFor(messages), document)).toBe('ar');
    expect(currentLanguage()).toBe('ar');
    expect(document.documentElement.lang).toBe('ar');
    expect(document.documentElement.dir).toBe('rtl');
    // Through getMessage, with Arabic's plural rules ("two" is not in these English messages: "other") and numbers.
    const n = (value: number) => new Intl.NumberFormat('ar').format(value);
    expect(t('notification.viewedLeftMessage', { count: 2, views: 3 })).toBe(
      `Someone opened your psst link (${n(2)} of ${n(3)} views left).`,
    );
  });

  it('reads words and plural forms through getMessage', () => {
    installBrowserLanguage(i18nFor(toExtensionMessages(readLanguage('en'))), document);
    expect(document.documentElement.dir).toBe('ltr');
    expect(t('menu.openLink')).toBe('Open with psst');
    expect(t('notification.shared', { count: 1, duration: '1 hour' })).toBe('Link copied: 1 view, expires in 1 hour');
    expect(t('notification.shared', { count: 3, duration: '1 day' })).toBe('Link copied: 3 views, expires in 1 day');
  });

  it('falls back to English when the catalogue names no language psst knows', () => {
    expect(installBrowserLanguage({ getMessage: () => '' })).toBe('en');
    expect(currentLanguage()).toBe('en');
  });
});
