// Makes a sender-chosen file name and mime type safe to show and to offer as a
// download name: no path parts, no control or format characters (every
// Unicode `Cf`: bidi overrides, isolates and marks, zero-width characters,
// soft hyphens, the BOM, tag characters… which can disguise "exe.txt" as
// "txt.exe" or hide text), no line or paragraph separators, not hidden, never
// empty. The browser then applies its own rules for characters the file
// system refuses.

const FALLBACK = 'secret.bin';
const MAX_CHARS = 120;
/** A mime type as RFC 6838 names them: type/subtype of restricted characters, parameters dropped. */
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
const FALLBACK_MIME = 'application/octet-stream';

/** Controls (Cc), format characters (Cf), line and paragraph separators, lone surrogates. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** The text without any invisible character (see INVISIBLE), for anything from a secret's meta shown to a person. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

export function sanitiseFileName(name: string): string {
  const chars = Array.from(stripInvisible(name.normalize('NFC')).split(/[/\\]/).pop() ?? '');
  // Keep the end, where the extension is; whole code points, so no surrogate pair is cut.
  const clean = chars
    .slice(-MAX_CHARS)
    .join('')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  return clean || FALLBACK;
}

/** The mime type to show: lower-cased `type/subtype` without parameters, or application/octet-stream when it is anything else. */
export function sanitiseMime(mime: string): string {
  const clean = stripInvisible(mime).split(';')[0]?.trim().toLowerCase() ?? '';
  return MIME.test(clean) ? clean : FALLBACK_MIME;
}
