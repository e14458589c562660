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
    expect(sanitiseFileName('a\u0000b\u200Bc\nd.txt')).toBe('abcd.txt');
  });

  it('replaces characters file systems refuse and trims dots and spaces', () => {
    expect(sanitiseFileName('a<b>c:d"e|f?g*.txt')).toBe('a_b_c_d_e_f_g_.txt');
    expect(sanitiseFileName('  .hidden  ')).toBe('hidden');
    expect(sanitiseFileName('name. . ')).toBe('name');
  });

  it('prefixes reserved Windows device names', () => {
    expect(sanitiseFileName('CON.txt')).toBe('_CON.txt');
    expect(sanitiseFileName('lpt1')).toBe('_lpt1');
  });

  it('shortens a long name but keeps its extension and whole characters', () => {
    const name = `${'🔑'.repeat(200)}.tar.gz`;
    const clean = sanitiseFileName(name);
    expect(Array.from(clean)).toHaveLength(120);
    expect(clean.endsWith('.gz')).toBe(true);
    expect(clean.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')).not.toMatch(/[\uD800-\uDFFF]/);
  });

  it('falls back to a neutral name when nothing is left', () => {
    expect(sanitiseFileName('')).toBe('secret.bin');
    expect(sanitiseFileName('../..')).toBe('secret.bin');
    expect(sanitiseFileName('\u202E')).toBe('secret.bin');
  });
});
