import { describe, expect, it } from 'vitest';
import { linkFromRevealPage, redirectRulesFor, redirectTargetFor, revealPageUrl } from './reveal-links';

const PAGE = 'chrome-extension://abcdef/reveal.html';
const ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const KEY = 'k'.repeat(43);

describe('links opened by the extension', () => {
  it('puts the link in the query and keeps the key in the fragment', () => {
    const url = revealPageUrl(PAGE, `https://psst.example.org/s/${ID}#${KEY}`);
    expect(url).toBe(`${PAGE}?link=https://psst.example.org/s/${ID}#${KEY}`);
    const parsed = new URL(url);
    expect(parsed.hash).toBe(`#${KEY}`);
    expect(linkFromRevealPage(parsed.search, parsed.hash)).toBe(`https://psst.example.org/s/${ID}#${KEY}`);
  });

  it('reads a percent-encoded link too, and nothing else', () => {
    expect(linkFromRevealPage(`?link=${encodeURIComponent(`http://127.0.0.1:8787/s/${ID}`)}`, '#x')).toBe(
      `http://127.0.0.1:8787/s/${ID}#x`,
    );
    expect(linkFromRevealPage('', '#x')).toBe('');
    expect(linkFromRevealPage('?link=javascript:alert(1)', '')).toBe('');
  });

  it('makes one rule per granted relay host, none for wildcards', () => {
    const rules = redirectRulesFor(
      ['http://127.0.0.1/*', 'https://psst.example.org/*', 'https://*/*', 'http://*/*', 'http://127.0.0.1/*'],
      PAGE,
    );
    expect(rules.map((r) => r.condition.regexFilter)).toHaveLength(2);
    expect(rules.map((r) => r.id)).toEqual([1, 2]);
    expect(rules[0]?.action.redirect.regexSubstitution).toBe(`${PAGE}?link=\\0`);
  });

  it('redirects exactly the links of granted hosts, any port and path prefix', () => {
    const granted = ['http://127.0.0.1/*', 'https://psst.example.org/*'];
    const rule = (url: string) => redirectTargetFor(url, granted, PAGE);
    expect(rule(`http://127.0.0.1:8787/s/${ID}#${KEY}`)).toBe(`${PAGE}?link=http://127.0.0.1:8787/s/${ID}#${KEY}`);
    expect(rule(`https://psst.example.org/team/s/${ID}`)).toBe(`${PAGE}?link=https://psst.example.org/team/s/${ID}`);
    expect(rule(`https://psst.example.org/s/${ID}?x=1`)).toBeUndefined();
    expect(rule(`https://psst.example.org/assets/index.js`)).toBeUndefined();
    expect(rule(`http://psst.example.org/s/${ID}`)).toBeUndefined(); // the grant is for https only
    expect(rule(`https://psst.example.org.evil.test/s/${ID}`)).toBeUndefined();
    expect(rule(`http://localhost:8787/s/${ID}`)).toBeUndefined();
  });
});
