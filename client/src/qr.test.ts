import { describe, expect, it } from 'vitest';
import { darkModules, qrPathFor } from './qr.js';

describe('qr', () => {
  it('draws a QR code with finder patterns and a quiet zone', () => {
    const path = qrPathFor(`http://127.0.0.1:8787/s/AbCdEfGhIjKlMnOpQrStUw#${'k'.repeat(43)}`);
    const cells = darkModules(path);
    const modules = path.size - 8;
    expect(modules % 4).toBe(1); // 17 + 4 × version
    // Top-left finder pattern: a 7×7 ring starting after the 4-module quiet zone.
    for (let i = 0; i < 7; i++) {
      expect(cells.has(`${4 + i},4`)).toBe(true);
      expect(cells.has(`4,${4 + i}`)).toBe(true);
    }
    expect(cells.has('3,3')).toBe(false);
    expect(cells.has(`${5},${5}`)).toBe(false);
  });

  it('changes with the text', () => {
    expect(qrPathFor('a').d).not.toBe(qrPathFor('b').d);
  });
});
