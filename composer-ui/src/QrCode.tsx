// The link as a QR code, drawn as one SVG path (no canvas, no network). The
// encoder is a chunk of its own, loaded the first time a code is shown: most
// links are never shown as one, and the composer pages stay within budget.
import type { QrPath } from '@psst/client/qr';
import { useEffect, useState } from 'preact/hooks';

export function QrCode({ text, label }: { text: string; label: string }) {
  const [path, setPath] = useState<QrPath | null>(null);
  useEffect(() => {
    let current = true;
    void import('@psst/client/qr').then(({ qrPathFor }) => {
      if (current) setPath(qrPathFor(text));
    });
    return () => {
      current = false;
    };
  }, [text]);
  const size = path?.size ?? 1;
  return (
    <svg class="qr" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label} aria-busy={path === null} shape-rendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      {path && <path d={path.d} fill="#000" />}
    </svg>
  );
}
