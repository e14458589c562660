import { describe, expect, it } from 'vitest';
import { encodeB64u } from './b64u.js';
import { LinkError } from './errors.js';
import { buildLink, isSecretId, parseLink } from './link.js';

const key = Uint8Array.from({ length: 32 }, (_, i) => i);
const k = encodeB64u(key);
const id = 'AAECAwQFBgcICQoLDA0ODw';

function reasonOf(link: string): string | undefined {
  try {
    parseLink(link);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(LinkError);
    return (e as LinkError).reason;
  }
}

describe('link', () => {
  it('builds and parses https and http links', () => {
    for (const origin of ['https://psst.example', 'http://127.0.0.1:8787', 'https://psst.example/']) {
      const link = buildLink(origin, id, key);
      expect(link).toBe(`${origin.replace(/\/$/, '')}/s/${id}#${k}`);
      const parsed = parseLink(link);
      expect(parsed.origin).toBe(origin.replace(/\/$/, ''));
      expect(parsed.id).toBe(id);
      expect(parsed.key).toEqual(key);
    }
  });

  it('keeps an origin’s path prefix', () => {
    const link = buildLink('https://example.org/tools/psst', id, key);
    expect(link).toBe(`https://example.org/tools/psst/s/${id}#${k}`);
    expect(parseLink(link).origin).toBe('https://example.org/tools/psst');
  });

  it('rejects a link without a fragment', () => {
    expect(reasonOf(`https://psst.example/s/${id}`)).toBe('missing_key');
    expect(reasonOf(`https://psst.example/s/${id}#`)).toBe('missing_key');
  });

  it('rejects a short, long or non-canonical key', () => {
    expect(reasonOf(`https://psst.example/s/${id}#${k.slice(0, 42)}`)).toBe('malformed_key');
    expect(reasonOf(`https://psst.example/s/${id}#${k}A`)).toBe('malformed_key');
    expect(reasonOf(`https://psst.example/s/${id}#${k.slice(0, 42)}B`)).toBe('malformed_key');
  });

  it('rejects extra path segments and query strings', () => {
    expect(reasonOf(`https://psst.example/s/${id}/extra#${k}`)).toBe('wrong_path');
    expect(reasonOf(`https://psst.example/x/${id}#${k}`)).toBe('wrong_path');
    expect(reasonOf(`https://psst.example/s/${id}?x=1#${k}`)).toBe('wrong_path');
  });

  it('rejects percent-encoded junk in the id or key', () => {
    expect(reasonOf(`https://psst.example/s/%41${id.slice(1)}#${k}`)).toBe('malformed_id');
    expect(reasonOf(`https://psst.example/s/${id}#%41${k.slice(1)}`)).toBe('malformed_key');
    expect(reasonOf(`https://psst.example/s/${id.slice(0, 21)}%2F#${k}`)).toBe('malformed_id');
  });

  it('rejects other schemes and non-URLs', () => {
    expect(reasonOf(`ftp://psst.example/s/${id}#${k}`)).toBe('malformed_url');
    expect(reasonOf('not a link')).toBe('malformed_url');
    expect(reasonOf(`javascript:alert(1)//s/${id}#${k}`)).toBe('malformed_url');
  });

  it('accepts only canonical 22-character ids', () => {
    expect(isSecretId(id)).toBe(true);
    expect(isSecretId(id.slice(0, 21))).toBe(false);
    expect(isSecretId(`${id.slice(0, 21)}B`)).toBe(false);
    expect(() => buildLink('https://psst.example', 'short', key)).toThrow(LinkError);
    expect(() => buildLink('https://psst.example', id, key.subarray(1))).toThrow(LinkError);
  });
});
