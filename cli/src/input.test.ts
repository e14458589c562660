// Text or file: what create sends for given bytes.
import { describe, expect, it } from 'vitest';
import { asText, classifyInput, mimeFor } from './input.js';

describe('text or file', () => {
  const bytes = (...values: number[]) => new Uint8Array(values);

  it('valid UTF-8 without NUL is text; anything else is a file', () => {
    expect(asText(new TextEncoder().encode('héllo 🔑\n'))).toBe('héllo 🔑\n');
    expect(asText(bytes(0xff))).toBeNull();
    expect(asText(bytes(0x61, 0x00, 0x62))).toBeNull();
    expect(asText(bytes(0xc3))).toBeNull(); // cut in the middle of a character
  });

  it('--file and --file-name make a file; names are cleaned, mime types guessed', () => {
    const text = new TextEncoder().encode('plain');
    expect(classifyInput({ bytes: text }, { forceFile: false })).toEqual({ type: 'text', text: 'plain' });
    expect(classifyInput({ bytes: text, fileName: 'a.txt' }, { forceFile: true })).toMatchObject({
      type: 'file',
      name: 'a.txt',
      mime: 'text/plain',
    });
    expect(classifyInput({ bytes: text }, { forceFile: false, fileName: '../x/report.PDF' })).toMatchObject({
      type: 'file',
      name: 'report.PDF',
      mime: 'application/pdf',
    });
    expect(classifyInput({ bytes: bytes(0xff) }, { forceFile: false })).toMatchObject({ type: 'file', name: 'secret.bin' });
    expect(mimeFor('archive.tar')).toBe('application/x-tar');
    expect(mimeFor('noextension')).toBe('application/octet-stream');
  });
});
