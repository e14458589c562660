// The link as a QR code, drawn as one SVG path (no canvas, no network).
import { qrPathFor } from '@psst/client/qr';
import { useMemo } from 'preact/hooks';

export function QrCode({ text, label }: { text: string; label: string }) {
  const path = useMemo(() => qrPathFor(text), [text]);
  return (
    <svg class="qr" viewBox={`0 0 ${path.size} ${path.size}`} role="img" aria-label={label} shape-rendering="crispEdges">
      <rect width={path.size} height={path.size} fill="#fff" />
      <path d={path.d} fill="#000" />
    </svg>
  );
}
