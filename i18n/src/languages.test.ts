import { describe, expect, it } from 'vitest';
import { createExtensionTranslator, toExtensionMessages } from './extension.js';
import { matchLanguage } from './languages.js';
import { createTranslator, formatMessage } from './translate.js';

describe('matchLanguage', () => {
  it.each([
    [['fr-CA', 'en'], 'fr'],
    [['pt-PT'], 'pt-BR'],
    [['pt_br'], 'pt-BR'],
    [['zh-Hans-CN'], 'zh-CN'],
    [['zh-TW', 'ja'], 'ja'],
    [['sv', 'de-AT'], 'de'],
    [['ar-EG'], 'ar'],
    [['sv'], 'en'],
    [[], 'en'],
  ])('%j → %s', (preferred, expected) => {
    expect(matchLanguage(preferred)).toBe(expected);
  });
});

describe('formatMessage', () => {
  const views = { one: 'once', few: '{count} razy (few)', many: '{count} razy (many)', other: '{count} razy' };
  it('chooses the plural form with Intl.PluralRules and formats the count', () => {
    expect(formatMessage('pl', views, { count: 1 })).toBe('once');
    expect(formatMessage('pl', views, { count: 3 })).toBe('3 razy (few)');
    expect(formatMessage('pl', views, { count: 5 })).toBe('5 razy (many)');
    expect(formatMessage('pl', views, { count: 1.5 })).toBe('1,5 razy');
    expect(formatMessage('en', 'up to {size} of {count}', { size: '4 MB', count: 12345 })).toBe('up to 4 MB of 12,345');
  });
  it('leaves an unknown placeholder visible', () => {
    expect(formatMessage('en', 'Hello {name}')).toBe('Hello {name}');
  });
});

describe('the extension messages', () => {
  it('round-trips through messages.json names, with $ escaped', () => {
    const catalogue = { 'a.price': 'costs $5 for {who}', 'a.views': { one: 'once', other: '{count} times' } };
    const messages = toExtensionMessages(catalogue);
    expect(messages).toEqual({
      a_price: { message: 'costs $$5 for {who}' },
      a_views__one: { message: 'once' },
      a_views__other: { message: '{count} times' },
    });
    // What getMessage returns: the message with `$$` read as `$`.
    const getMessage = (name: string) => messages[name]?.message.replace(/\$\$/g, '$') ?? '';
    const extension = createExtensionTranslator('en', getMessage);
    const pages = createTranslator('en', catalogue);
    for (const [key, params] of [
      ['a.price', { who: 'you' }],
      ['a.views', { count: 1 }],
      ['a.views', { count: 4 }],
      ['a.missing', {}],
    ] as const) {
      expect(extension.t(key, params)).toBe(pages.t(key, params));
    }
  });
});
