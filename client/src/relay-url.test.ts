import { describe, expect, it } from 'vitest';
import { hostPatternFor, isLoopbackHost, normaliseRelayUrl, RelayUrlError } from './relay-url.js';

describe('relay url', () => {
  it('normalises trailing slashes and keeps a path prefix', () => {
    expect(normaliseRelayUrl(' https://psst.example.org/ ')).toBe('https://psst.example.org');
    expect(normaliseRelayUrl('https://example.org/psst//')).toBe('https://example.org/psst');
    expect(normaliseRelayUrl('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
  });

  it('rejects other schemes, credentials, queries and garbage', () => {
    for (const bad of ['ftp://x.org', 'https://u:p@x.org', 'https://x.org/?a=1', 'https://x.org/#k', 'not a url']) {
      expect(() => normaliseRelayUrl(bad)).toThrow(RelayUrlError);
    }
  });

  it('builds a host pattern without the port', () => {
    expect(hostPatternFor('http://127.0.0.1:8787')).toBe('http://127.0.0.1/*');
    expect(hostPatternFor('https://example.org/psst')).toBe('https://example.org/*');
    expect(hostPatternFor('http://[::1]:9000')).toBe('http://[::1]/*');
  });

  it('accepts plain http only for a relay on this computer', () => {
    for (const ok of ['http://127.0.0.1:8787', 'http://127.1.2.3', 'http://[::1]:9000', 'http://localhost:8787', 'http://psst.localhost']) {
      expect(normaliseRelayUrl(ok)).toBe(ok);
    }
    for (const bad of [
      'http://relay.example',
      'http://10.0.0.1:8787',
      'http://127.0.0.1.evil.example',
      'http://[::2]',
      'http://localhost.evil.example',
    ]) {
      expect(() => normaliseRelayUrl(bad), bad).toThrow(/Use https:\/\//);
    }
    expect(normaliseRelayUrl('https://relay.example')).toBe('https://relay.example');
    expect(isLoopbackHost('127.256.0.1')).toBe(false);
  });
});
