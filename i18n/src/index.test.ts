// formatBytes: the one way every UI (reveal page, composer, extension) writes a size.
import { afterEach, describe, expect, it } from 'vitest';
import { formatBytes, number } from './index.js';
import { LANGUAGES } from './languages.js';
import { useLanguage } from './testing.js';

describe('formatBytes', () => {
  // English again after each case, also when one fails halfway in another language.
  afterEach(() => useLanguage('en'));

  it('counts in bytes, kB and MB of 1024, whole kilobytes and megabytes to one decimal', () => {
    useLanguage('en');
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(1023)).toBe('1,023 bytes');
    expect(formatBytes(1536)).toBe('2 kB');
    // The most a 1 MiB relay takes in one bucket: a limit just under 960 KiB reads as 960, not 959.9.
    expect(formatBytes(982_990)).toBe('960 kB');
    expect(formatBytes(1_048_576)).toBe('1 MB');
    expect(formatBytes(1.5 * 1_048_576)).toBe('1.5 MB');
  });

  it('uses the language’s unit names, separators and spaces', () => {
    useLanguage('fr');
    // French sets a narrow no-break space between the number and its unit.
    expect(formatBytes(12 * 1_048_576)).toBe('12\u202fMo');
    expect(formatBytes(1.5 * 1_048_576)).toBe('1,5\u202fMo');
    expect(formatBytes(2)).toBe('2\u00a0octets');
    useLanguage('uk');
    expect(formatBytes(5)).toBe('5 байтів');
    expect(formatBytes(12 * 1024)).toBe('12 кБ');
  });

  it.each(LANGUAGES.map((language) => language.code))('names three different units in %s, with its digits', (code) => {
    useLanguage(code);
    const sizes = [12, 12 * 1024, 12 * 1_048_576].map(formatBytes);
    expect(new Set(sizes).size).toBe(3);
    for (const size of sizes) expect(size).toContain(number(12));
  });
});
