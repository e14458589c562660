// Makes a sender-chosen file name safe to offer as a download name: no path
// parts, no control, zero-width or bidirectional-override characters (which
// can disguise "exe.txt" as "txt.exe"), not hidden, never empty. The browser
// then applies its own rules for characters the file system refuses.

const FALLBACK = 'secret.bin';
const MAX_CHARS = 120;

/** C0/C1 controls, zero-width characters, bidi marks, overrides and isolates, and the BOM. */
const isInvisible = (cp: number): boolean =>
  cp < 32 || (cp > 126 && cp < 160) || (cp > 8202 && cp < 8208) || (cp > 8233 && cp < 8239) || (cp > 8293 && cp < 8298) || cp === 65279;

export function sanitiseFileName(name: string): string {
  const chars = Array.from(name.split(/[/\\]/).pop() ?? '').filter((c) => !isInvisible(c.codePointAt(0) ?? 0));
  // Keep the end, where the extension is; whole code points, so no surrogate pair is cut.
  const clean = chars
    .slice(-MAX_CHARS)
    .join('')
    .replace(/^[\s.]+|\s+$/g, '');
  return clean || FALLBACK;
}
