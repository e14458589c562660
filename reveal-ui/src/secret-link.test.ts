import { describe, expect, it } from 'vitest';
import { readSecretLink, withoutFragment } from './secret-link.js';

describe('the secret link', () => {
  it('drops only the fragment, keeping path and query, for history.replaceState', () => {
    expect(withoutFragment('https://psst.test/s/AAAAAAAAAAAAAAAAAAAAAA#key')).toBe('/s/AAAAAAAAAAAAAAAAAAAAAA');
    expect(withoutFragment('chrome-extension://abc/reveal.html?link=x#key')).toBe('/reveal.html?link=x');
  });

  it('names the id of a link whose key is missing', () => {
    expect(readSecretLink('https://psst.test/s/AAAAAAAAAAAAAAAAAAAAAA')).toEqual({
      ok: false,
      problem: 'incomplete',
      id: 'AAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(readSecretLink('https://psst.test/elsewhere')).toEqual({ ok: false, problem: 'not_a_link' });
  });
});
