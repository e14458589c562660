import { describe, expect, it } from 'vitest';
import { sanitiseFileName } from './file-name.js';

describe('sanitiseFileName', () => {
  it('keeps an ordinary name as it is', () => {
    expect(sanitiseFileName('report 2026 (final).pdf')).toBe('report 2026 (final).pdf');
    expect(sanitiseFileName('Übersicht – ñ.txt')).toBe('Übersicht – ñ.txt');
  });

  it('drops directories from both kinds of path', () => {
    expect(sanitiseFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitiseFileName('C:\\Users\\me\\key.pem')).toBe('key.pem');
  });

  it('removes control, zero-width and bidirectional-override characters', () => {
    expect(sanitiseFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitiseFileName('a\u0000b\u200Bc\nd\u2066.txt\uFEFF')).toBe('abcd.txt');
  });

  it('does not make hidden files and trims surrounding spaces', () => {
    expect(sanitiseFileName('  .hidden  ')).toBe('hidden');
    expect(sanitiseFileName('...bashrc')).toBe('bashrc');
  });

  it('shortens a long name from the front, keeping its extension and whole characters', () => {
    const clean = sanitiseFileName(`${'🔑'.repeat(200)}.tar.gz`);
    expect(Array.from(clean)).toHaveLength(120);
    expect(clean.endsWith('🔑.tar.gz')).toBe(true);
    expect(clean.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')).not.toMatch(/[\uD800-\uDFFF]/);
  });

  it('falls back to a neutral name when nothing is left', () => {
    expect(sanitiseFileName('')).toBe('secret.bin');
    expect(sanitiseFileName('../..')).toBe('secret.bin');
    expect(sanitiseFileName('dir/')).toBe('secret.bin');
    expect(sanitiseFileName('\u202E')).toBe('secret.bin');
  });
});
