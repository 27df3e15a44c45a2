// Small helpers shared by the console.

export function uuid(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  if (c) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function initials(name: string): string {
  const parts = (name || '').trim().split(/\s+/).filter((p) => /\p{L}/u.test(p));
  if (!parts.length) return '?';
  const first = Array.from(parts[0])[0] ?? '';
  const last = parts.length > 1 ? Array.from(parts[parts.length - 1])[0] ?? '' : '';
  return (first + last).toUpperCase();
}

// Each at least 4.5:1 against the avatars' white initials.
const PALETTE = ['#2563eb', '#7c3aed', '#be185d', '#c2410c', '#15803d', '#0e7490', '#4f46e5', '#b45309', '#0f766e', '#9333ea'];

/** A #rrggbb darkened just enough for white text on it to reach 4.5:1 (WCAG AA); other colours as given. */
export function readableOnWhiteText(color: string): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  let rgb = [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16));
  const lum = (c: number[]) =>
    c.map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  for (let k = 0; k < 20 && 1.05 / (lum(rgb) + 0.05) < 4.6; k++) rgb = rgb.map((v) => Math.round(v * 0.92));
  return '#' + rgb.map((v) => v.toString(16).padStart(2, '0')).join('');
}

export function colorFor(key: string | number): string {
  const s = String(key);
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(h) % PALETTE.length];
}

/** Only accept #rgb / #rrggbb colours coming from the server (they end up in style attributes). */
export function safeColor(c: string | undefined | null, fallback = '#2563eb'): string {
  return c && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(c) ? c : fallback;
}

/** True when a keyboard event comes from a place where the user types text. */
export function isTypingTarget(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'color', 'range'].includes(type);
  }
  return el.isContentEditable;
}

export function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

export function loadJSON<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function saveJSON(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage full or disabled: the in-memory copy still works */
  }
}

export interface ParsedUA {
  browser: string;
  os: string;
  device: 'desktop' | 'mobile' | 'tablet';
}

/** A deliberately small user-agent parser: good enough for a contact panel. */
export function parseUserAgent(ua: string): ParsedUA | null {
  if (!ua) return null;
  const ver = (re: RegExp) => {
    const m = ua.match(re);
    return m ? m[1].split('.')[0] : '';
  };
  let browser = '';
  if (/Edg(e|A|iOS)?\//.test(ua)) browser = 'Edge ' + ver(/Edg(?:e|A|iOS)?\/([\d.]+)/);
  else if (/OPR\/|Opera/.test(ua)) browser = 'Opera ' + ver(/(?:OPR|Version)\/([\d.]+)/);
  else if (/SamsungBrowser\//.test(ua)) browser = 'Samsung Internet ' + ver(/SamsungBrowser\/([\d.]+)/);
  else if (/YaBrowser\//.test(ua)) browser = 'Yandex Browser ' + ver(/YaBrowser\/([\d.]+)/);
  else if (/Firefox\/|FxiOS\//.test(ua)) browser = 'Firefox ' + ver(/(?:Firefox|FxiOS)\/([\d.]+)/);
  else if (/CriOS\//.test(ua)) browser = 'Chrome ' + ver(/CriOS\/([\d.]+)/);
  else if (/Chrome\/|Chromium\//.test(ua)) browser = (/Chromium\//.test(ua) ? 'Chromium ' : 'Chrome ') + ver(/(?:Chrome|Chromium)\/([\d.]+)/);
  else if (/Safari\//.test(ua) && /Version\//.test(ua)) browser = 'Safari ' + ver(/Version\/([\d.]+)/);
  else if (/MSIE |Trident\//.test(ua)) browser = 'Internet Explorer';
  browser = browser.trim();

  let os = '';
  if (/Windows NT 10/.test(ua)) os = 'Windows 10/11';
  else if (/Windows NT 6\.3/.test(ua)) os = 'Windows 8.1';
  else if (/Windows NT 6\.1/.test(ua)) os = 'Windows 7';
  else if (/Windows/.test(ua)) os = 'Windows';
  else if (/iPhone|iPad|iPod/.test(ua)) os = 'iOS ' + (ua.match(/OS (\d+)[_.](\d+)/)?.slice(1, 3).join('.') ?? '');
  else if (/Android/.test(ua)) os = 'Android ' + ver(/Android ([\d.]+)/);
  else if (/CrOS/.test(ua)) os = 'ChromeOS';
  else if (/Mac OS X/.test(ua)) os = 'macOS ' + (ua.match(/Mac OS X (\d+)[_.](\d+)/)?.slice(1, 3).join('.') ?? '');
  else if (/Linux/.test(ua)) os = 'Linux';
  os = os.trim();

  const device: ParsedUA['device'] = /iPad|Tablet/.test(ua) ? 'tablet' : /Mobi|iPhone|Android/.test(ua) ? 'mobile' : 'desktop';
  if (!browser && !os) return null;
  return { browser, os, device };
}
