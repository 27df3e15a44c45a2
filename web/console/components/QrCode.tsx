// A QR code drawn as inline SVG (qrcode's encoder, no canvas, no network).
import { create } from 'qrcode';
import { useMemo } from 'preact/hooks';

export function QrCode({ text, size = 184, label, testid }: { text: string; size?: number; label: string; testid?: string }) {
  const { n, path } = useMemo(() => {
    const qr = create(text, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    let d = '';
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        if (qr.modules.get(y, x)) d += `M${x + 4} ${y + 4}h1v1h-1z`;
      }
    }
    return { n: n + 8, path: d };
  }, [text]);
  return (
    <svg
      class="qr-code"
      width={size}
      height={size}
      viewBox={`0 0 ${n} ${n}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
      data-testid={testid}
    >
      <rect width={n} height={n} fill="#fff" />
      <path d={path} fill="#111827" />
    </svg>
  );
}
