import { describe, expect, it } from 'vitest';
import { bucketSize, FramingError, frameContent, padContent, parseContent, unpadContent } from './framing.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('framing and padding', () => {
  it('chooses the bucket as PROTOCOL.md says', () => {
    expect(bucketSize(0)).toBe(256);
    expect(bucketSize(256)).toBe(256);
    expect(bucketSize(257)).toBe(512);
    expect(bucketSize(65_536)).toBe(65_536);
    expect(bucketSize(65_537)).toBe(131_072);
    expect(bucketSize(131_073)).toBe(196_608);
  });

  it('pads with zeros and unpads to the same content', () => {
    const content = frameContent({ type: 'text' }, enc('hello'));
    const padded = padContent(content);
    expect(padded.length).toBe(256);
    expect(padded.subarray(4 + content.length).every((b) => b === 0)).toBe(true);
    expect(unpadContent(padded)).toEqual(content);
  });

  it('rejects a content length larger than the padded plaintext', () => {
    const padded = new Uint8Array(256);
    new DataView(padded.buffer).setUint32(0, 253);
    expect(() => unpadContent(padded)).toThrow(FramingError);
  });

  it('rejects meta that is not a JSON object with a known type', () => {
    const frame = (meta: string) => {
      const m = enc(meta);
      const out = new Uint8Array(4 + m.length);
      new DataView(out.buffer).setUint32(0, m.length);
      out.set(m, 4);
      return out;
    };
    for (const bad of ['[]', '"text"', 'null', '{"type":"video"}', '{', '{}']) {
      expect(() => parseContent(frame(bad)), bad).toThrow(FramingError);
    }
    expect(parseContent(frame('{"type":"text","extra":1}')).meta).toEqual({ type: 'text' });
  });

  it('rejects a meta length past the end of the content', () => {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setUint32(0, 100);
    expect(() => parseContent(out)).toThrow(FramingError);
  });
});
