import { describe, expect, it } from 'vitest';
import { chooseLanguage } from './language.js';

describe('chooseLanguage', () => {
  it('takes the stored choice when psst speaks it', () => {
    expect(chooseLanguage('ar', ['de-DE', 'en'])).toBe('ar');
    expect(chooseLanguage('pt-BR', [])).toBe('pt-BR');
  });

  it('else follows navigator.languages, else English', () => {
    expect(chooseLanguage(null, ['de-AT', 'en'])).toBe('de');
    expect(chooseLanguage('klingon', ['fr-CA'])).toBe('fr');
    expect(chooseLanguage('', ['sv'])).toBe('en');
  });
});
