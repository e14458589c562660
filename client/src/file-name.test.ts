import { describe, expect, it } from 'vitest';
import { sanitiseFileName, sanitiseMime } from './file-name.js';

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

/** Names a hostile sender might choose, each with what a recipient must see. */
const HOSTILE: [string, string][] = [
  ['invoice\u202Egpj.exe', 'invoicegpj.exe'], // RIGHT-TO-LEFT OVERRIDE
  ['photo\u2067gpj.exe\u2069', 'photogpj.exe'], // RIGHT-TO-LEFT ISOLATE … POP DIRECTIONAL ISOLATE
  ['a\u200Eb\u200Fc\u061Cd.txt', 'abcd.txt'], // LRM, RLM, ARABIC LETTER MARK
  ['pay\u00ADroll.xlsx', 'payroll.xlsx'], // SOFT HYPHEN
  ['w\u2060o\u2061r\u2062d\u2063\u2064.doc', 'word.doc'], // WORD JOINER and the invisible operators
  ['tag\u{E0001}\u{E0065}\u{E006E}\u{E007F}.txt', 'tag.txt'], // TAG characters (hidden text)
  ['sh\u180Eell.sh', 'shell.sh'], // MONGOLIAN VOWEL SEPARATOR
  ['inter\uFFF9linear\uFFFB.txt', 'interlinear.txt'], // interlinear annotation controls
  ['\u{1D173}music\u{1D17A}.txt', 'music.txt'], // musical symbol format controls
  ['line\u2028break\u2029.txt', 'linebreak.txt'], // LINE and PARAGRAPH SEPARATOR
  ['bell\u0007\u001B[31mred\u009B.txt', 'bell[31mred.txt'], // C0 and C1 controls (an ANSI escape loses its ESC)
  ['lone\uD800surrogate.txt', 'lonesurrogate.txt'],
  ['\u200B\u200C\u200D\uFEFF', 'secret.bin'], // nothing visible at all
  ['report.pdf\u0000.exe', 'report.pdf.exe'], // NUL: the whole name is shown, nothing is cut at it
  ['trailing dot.exe.', 'trailing dot.exe'],
  ['../\u202E../evil', 'evil'],
];

describe('sanitiseFileName against hostile names', () => {
  it.each(HOSTILE)('cleans %j', (name, shown) => {
    const clean = sanitiseFileName(name);
    expect(clean).toBe(shown);
    expect(clean).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u);
  });

  it('keeps a name with spaces and non-ASCII letters as it is (composed to NFC)', () => {
    expect(sanitiseFileName('Prüfbericht März 2026 — 日本語.pdf')).toBe('Prüfbericht März 2026 — 日本語.pdf');
    expect(sanitiseFileName('cafe\u0301.txt')).toBe('café.txt');
    // ZERO WIDTH JOINER is Cf too: a joined emoji falls apart into its visible parts.
    expect(sanitiseFileName('👩\u200D💻 notes.md')).toBe('👩💻 notes.md');
  });
});

describe('sanitiseMime', () => {
  it('keeps a plain type/subtype, lower-cased and without parameters', () => {
    expect(sanitiseMime('application/pdf')).toBe('application/pdf');
    expect(sanitiseMime('Text/Plain; charset=utf-8')).toBe('text/plain');
    expect(sanitiseMime('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
  });

  it('removes format and control characters and refuses anything that is not a mime type', () => {
    expect(sanitiseMime('image/\u202Epng')).toBe('image/png');
    expect(sanitiseMime('text/html\u0000')).toBe('text/html');
    expect(sanitiseMime('')).toBe('application/octet-stream');
    expect(sanitiseMime('not a type')).toBe('application/octet-stream');
    expect(sanitiseMime('<script>/x')).toBe('application/octet-stream');
    expect(sanitiseMime(`a/${'b'.repeat(300)}`)).toBe('application/octet-stream');
  });
});
