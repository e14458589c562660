// QR codes drawn locally (qrcode-generator, no network): the link as one SVG
// path, so a phone can scan it off the screen.
import qrcode from 'qrcode-generator';

export interface QrPath {
  /** Modules per side, plus the quiet zone. */
  size: number;
  /** An SVG path of 1×1 squares, one per dark module. */
  d: string;
}

export function qrPathFor(text: string, quietZone = 4): QrPath {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const count = qr.getModuleCount();
  const parts: string[] = [];
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (qr.isDark(row, col)) parts.push(`M${col + quietZone} ${row + quietZone}h1v1h-1z`);
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
