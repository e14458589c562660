// QR codes drawn locally (lean-qr, no network): the link as one SVG path, so
// a phone can scan it off the screen. Error correction M, the mask chosen by
// the ISO penalty rules; byte mode (a link is ASCII).
import { correction, generate, mode } from 'lean-qr';

export interface QrPath {
  /** Modules per side, plus the quiet zone. */
  size: number;
  /** An SVG path of 1×1 squares, one per dark module. */
  d: string;
}

/** The code's modules: `dark(row, col)`, and how many per side. */
export function qrModules(text: string): { count: number; dark(row: number, col: number): boolean } {
  const code = generate(mode.bytes(new TextEncoder().encode(text)), { minCorrectionLevel: correction.M, maxCorrectionLevel: correction.M });
  return { count: code.size, dark: (row, col) => code.get(col, row) };
}

export function qrPathFor(text: string, quietZone = 4): QrPath {
  const { count, dark } = qrModules(text);
  const parts: string[] = [];
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (dark(row, col)) parts.push(`M${col + quietZone} ${row + quietZone}h1v1h-1z`);
    }
  }
  return { size: count + 2 * quietZone, d: parts.join('') };
}

/** Reads the modules back (for tests): true where the path draws a square. */
export function darkModules(path: QrPath): Set<string> {
  const cells = new Set<string>();
  for (const match of path.d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) cells.add(`${match[1]},${match[2]}`);
  return cells;
}
