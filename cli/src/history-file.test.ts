// Ids from ids and links, without repeating a link.
import { describe, expect, it } from 'vitest';
import type { CliError } from './exit-codes.js';
import { idOf } from './history-file.js';

describe('idOf', () => {
  const id = 'AbCdEfGhIjKlMnOpQrStUw';
  it('takes an id or the id of a link, and never repeats a link in its error', () => {
    expect(idOf(id)).toBe(id);
    expect(idOf(`https://psst.example.org/s/${id}#${'k'.repeat(43)}`)).toBe(id);
    expect(idOf(`https://psst.example.org/prefix/s/${id}`)).toBe(id);
    // 22 characters that are not 16 bytes in canonical base64url: no id (the protocol's isSecretId).
    expect(() => idOf('AbCdEfGhIjKlMnOpQrStUx')).toThrow(/neither a secret id/);
    expect(() => idOf(`https://psst.example.org/s/AbCdEfGhIjKlMnOpQrStUx#${'k'.repeat(43)}`)).toThrow(/neither a secret id/);
    try {
      idOf('https://psst.example.org/x#thekeypart');
      expect.unreachable();
    } catch (error) {
      expect((error as CliError).message).not.toContain('thekeypart');
    }
  });
});
