import { encodeB64u } from '@psst/protocol/b64u';
import { correction, generate, mode } from 'lean-qr';
import qrcode from 'qrcode-generator';
import { describe, expect, it } from 'vitest';
import { darkModules, qrModules, qrPathFor } from './qr.js';

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

describe('qr against an independent encoder', () => {
  it('encodes links exactly as qrcode-generator does, up to the choice of mask', () => {
    for (let i = 0; i < 40; i++) {
      const id = encodeB64u(new Uint8Array(16).fill(i * 13));
      const key = encodeB64u(new Uint8Array(32).map((_, j) => (i * 31 + j * 7) % 256));
      const text = `https://psst.example.com/s/${id}#${key}`;
      const mine = qrModules(text);
      const reference = qrcode(0, 'M');
      reference.addData(text, 'Byte');
      reference.make();
      expect(mine.count).toBe(reference.getModuleCount());
      // The two pick a mask by the same penalty rules in slightly different ways; every other bit
      // (data, error correction, format and version information) must agree.
      const asMask = (mask: number) =>
        generate(mode.bytes(new TextEncoder().encode(text)), {
          minCorrectionLevel: correction.M,
          maxCorrectionLevel: correction.M,
          mask: mask as 0,
        });
      const matches = [0, 1, 2, 3, 4, 5, 6, 7].some((mask) => {
        const code = asMask(mask);
        for (let row = 0; row < code.size; row++)
          for (let col = 0; col < code.size; col++) if (code.get(col, row) !== reference.isDark(row, col)) return false;
        return true;
      });
      expect(matches, text).toBe(true);
    }
  });
});
