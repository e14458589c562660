// Makes a sender-chosen file name safe to offer as a download name: no path
// parts, no control or bidirectional-override characters, nothing a file
// system refuses, not hidden, and not too long.

const FALLBACK = 'secret.bin';
const MAX_LENGTH = 120;

/** C0/C1 controls, zero-width characters, bidi marks, overrides and isolates, and the BOM. */
function isInvisible(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0xfeff
  );
}

export function sanitiseFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  let clean = Array.from(base.normalize('NFC'))
    .filter((c) => !isInvisible(c.codePointAt(0) ?? 0))
    .join('')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  const chars = Array.from(clean); // code points, so a surrogate pair is never cut in half
  if (chars.length > MAX_LENGTH) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : '';
    clean = chars.slice(0, MAX_LENGTH - Array.from(ext).length).join('') + ext;
  }
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(clean)) clean = `_${clean}`;
  return clean === '' ? FALLBACK : clean;
}
