// All widget CSS, scoped by the shadow root. Brand colours come in as
// custom properties: --c brand, --ct text on brand, --cs focus ring,
// --cl light tint, --cr brand colour readable on white.
export const css = `
:host{all:initial}
[hidden]{display:none!important}
.w{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2937}
.w *{box-sizing:border-box;margin:0}
button,input,select,textarea{font:inherit;color:inherit}
button{cursor:pointer;border:0;background:none;padding:0}
:focus-visible{outline:2px solid var(--cr);outline-offset:2px}
.hd :focus-visible{outline-color:var(--ct)}
.lb{position:fixed;bottom:20px;right:20px;z-index:2147483000;display:flex;align-items:center;justify-content:center;gap:8px;background:var(--c);color:var(--ct);box-shadow:0 6px 20px rgba(15,23,42,.22),0 2px 6px rgba(15,23,42,.12);transition:transform .2s,box-shadow .2s}
.bubble:hover,.pill:hover{transform:translateY(-2px)}
.l .lb{right:auto;left:20px}
.bubble{width:60px;height:60px;border-radius:50%}
.bubble svg{position:absolute;transition:transform .25s,opacity .2s}
.bubble svg+svg,.o .bubble svg{opacity:0;transform:rotate(-60deg)}
.o .bubble svg+svg{opacity:1;transform:none}
.pill{height:52px;padding:0 22px 0 18px;border-radius:26px;font-weight:600;font-size:15px}
.tab{top:50%;bottom:auto;right:0;writing-mode:vertical-rl;padding:18px 11px;border-radius:12px 0 0 12px;font-weight:600;transform:translateY(-50%)}
.l .tab{left:0;border-radius:0 12px 12px 0}
.o .pill,.o .tab{display:none}
.bd{position:absolute;top:-5px;right:-5px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#e11d48;color:#fff;font-size:12px;font-weight:700;display:flex;align-items:center;justify-content:center;border:2px solid #fff;writing-mode:horizontal-tb}
.p{position:fixed;bottom:96px;right:20px;z-index:2147483001;outline:0;width:370px;height:560px;max-height:calc(100vh - 116px);background:#fff;border-radius:18px;box-shadow:0 20px 60px rgba(15,23,42,.25);display:flex;flex-direction:column;overflow:hidden;opacity:0;visibility:hidden;transform:translateY(16px) scale(.97);transform-origin:bottom right;transition:opacity .2s,transform .25s cubic-bezier(.2,.9,.3,1.1),visibility 0s .25s}
.o .p{opacity:1;visibility:visible;transform:none;transition-delay:0s}
.l .p{right:auto;left:20px;transform-origin:bottom left}
.w:not(.bb) .p{bottom:20px;max-height:calc(100vh - 40px)}
.hd{display:flex;align-items:center;gap:4px;padding:14px 10px 14px 14px;background:var(--c);color:var(--ct);flex:none}
.tt{flex:1;min-width:0;padding:0 4px}
.nm{font-size:16px;font-weight:650;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.ss{font-size:12.5px;opacity:.9;display:flex;align-items:center;gap:6px}
.dt{width:8px;height:8px;border-radius:50%;background:#9ca3af;box-shadow:0 0 0 2px rgba(255,255,255,.7)}
.on .dt{background:#22c55e}
.ib{width:34px;height:34px;border-radius:10px;display:inline-flex;align-items:center;justify-content:center;flex:none;color:inherit;transition:background .15s}
.mn{position:absolute;top:60px;right:12px;z-index:3;background:#fff;border-radius:12px;box-shadow:0 12px 32px rgba(15,23,42,.18);padding:6px;min-width:250px}
.mn button{display:flex;gap:10px;align-items:center;width:100%;padding:10px 12px;border-radius:8px;text-align:left}
.mn button:hover,.ib:hover{background:rgba(127,127,127,.15)}
.rb{flex:none;display:flex;align-items:center;justify-content:center;gap:8px;background:#fff7ed;color:#9a3412;font-size:12px;padding:5px 10px;border-bottom:1px solid #fed7aa}
.sp{width:10px;height:10px;border:2px solid currentColor;border-right-color:transparent;border-radius:50%;animation:sp .8s linear infinite}
@keyframes sp{to{transform:rotate(360deg)}}
.bo{flex:1;min-height:0;display:flex;flex-direction:column;background:#f6f7f9;position:relative}
.v{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:12px}
.card{background:#fff;border-radius:14px;padding:16px;border:1px solid #eceef2;box-shadow:0 1px 2px rgba(15,23,42,.05)}
.big{font-size:17px;font-weight:650;color:#111827;line-height:1.3}
.mut{color:#6b7280;font-size:13px;margin-top:6px}
.ac{display:flex;align-items:center;gap:14px;width:100%;text-align:left;background:#fff;border:1px solid #eceef2;border-radius:14px;padding:14px 16px;box-shadow:0 1px 2px rgba(15,23,42,.05);transition:transform .15s,box-shadow .15s,border-color .15s}
.ac:hover{transform:translateY(-1px);box-shadow:0 6px 16px rgba(15,23,42,.08)}
.ai{width:42px;height:42px;border-radius:12px;background:var(--cl);color:var(--cr);display:flex;align-items:center;justify-content:center;flex:none}
.at b{display:block;font-weight:650;color:#111827;font-size:15px}
.at small{display:block;color:#6b7280;font-size:12.5px}
.pr{background:var(--c);border-color:transparent}
.pr .ai{background:rgba(255,255,255,.2);color:var(--ct)}
.pr .at b,.pr .at small{color:var(--ct)}
.pr .at small{opacity:.85}
.nt{background:#fffbeb;border:1px solid #fde68a;color:#78350f;border-radius:14px;padding:14px 16px}
.nx{margin-top:6px;font-weight:600;font-size:13px}
.bt{height:44px;border-radius:10px;background:var(--c);color:var(--ct);font-weight:600;font-size:14.5px;width:100%;transition:filter .15s}
.bt:hover{filter:brightness(1.07)}
.bt:disabled{opacity:.6;cursor:default}
.cv{flex:1;display:flex;flex-direction:column;min-height:0;background:#fff;position:relative}
.qw{flex:none;text-align:center;font-size:12px;padding:5px 10px;background:#f1f5f9;color:#334155;border-bottom:1px solid #e2e8f0}
.cq .hi .mut{display:none}
.ms{flex:1;overflow-y:auto;padding:16px 14px 8px;display:flex;flex-direction:column}
.ms .hi{align-self:flex-start;max-width:85%;background:#f1f3f6;border-radius:18px 18px 18px 5px;padding:10px 14px;margin-bottom:6px}
.ms .hi .big{font-size:14px;font-weight:400}
.m{display:flex;flex-direction:column;max-width:82%;margin-top:12px}
.m.cont{margin-top:3px}
.cont .who{display:none}
.me{align-self:flex-end;align-items:flex-end}
.them{align-self:flex-start;align-items:flex-start}
.who{font-size:12px;color:#6b7280;margin:0 0 3px 12px;font-weight:600}
.b{padding:9px 14px;border-radius:18px;white-space:pre-wrap;overflow-wrap:anywhere;display:flex;flex-direction:column;gap:6px}
.me .b{background:var(--c);color:var(--ct);border-bottom-right-radius:5px}
.them .b{background:#f1f3f6;color:#111827;border-bottom-left-radius:5px}
.b a{color:inherit;text-decoration:underline}
.b.bare{padding:0;background:none}
.mt{font-size:11px;color:#6b7280;margin:3px 8px 0;display:flex;align-items:center;gap:4px}
.st{display:inline-flex;color:#9ca3af}
.st[data-state=read]{color:var(--cr)}
.st[data-state=failed]{color:#dc2626}
.st[data-state=failed]::after{content:attr(title);margin-left:3px}
.sys{align-self:center;font-size:12px;color:#4b5563;background:#f3f4f6;border-radius:999px;padding:4px 12px;margin:14px 0 2px;text-align:center;max-width:90%}
.sys:has(.bt){border-radius:16px;padding:10px 14px}
.sys .bt{display:block;width:auto;height:36px;padding:0 18px;margin:10px auto 0;font-size:13px}
.im img{display:block;max-width:220px;max-height:220px;border-radius:14px;border:1px solid #eceef2}
.b .fl{display:flex;align-items:center;gap:10px;padding:8px 12px 8px 8px;border-radius:12px;text-decoration:none;background:rgba(255,255,255,.2)}
.them .fl{background:#fff}
.fn{display:flex;flex-direction:column;min-width:0}
.fn b{font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:180px}
.fn small{opacity:.75;font-size:11.5px}
.ty{font-size:12px;color:#6b7280;padding:0 16px 6px;display:flex;align-items:center;gap:8px}
.dots{display:inline-flex;gap:3px;background:#f1f3f6;padding:7px 9px;border-radius:12px}
.dots i{width:5px;height:5px;border-radius:50%;background:#9ca3af;animation:bl 1.2s infinite}
.dots i:nth-child(2){animation-delay:.15s}
.dots i:nth-child(3){animation-delay:.3s}
@keyframes bl{0%,60%,100%{opacity:.35;transform:none}30%{opacity:1;transform:translateY(-2px)}}
.ce{font-size:12px;color:#b91c1c;padding:0 16px 6px}
.ce:empty{display:none}
.cp{padding:8px 12px 12px;flex:none}
.hb{display:block;margin:0 auto 8px;padding:6px 14px;border-radius:999px;border:1px solid var(--c);color:var(--cr);background:#fff;font-size:13px;font-weight:600}
.hb:hover{background:var(--cl)}
.bx{display:flex;align-items:flex-end;gap:2px;border:1px solid #e2e5ea;border-radius:22px;padding:4px 4px 4px 14px;transition:border-color .15s,box-shadow .15s}
.bx:focus-within{border-color:var(--c);box-shadow:0 0 0 3px var(--cs)}
.ta{flex:1;border:0;outline:0;resize:none;max-height:120px;padding:7px 0;line-height:1.4;background:none;min-width:0}
.bx .ib{color:#6b7280;border-radius:50%}
.sb{width:34px;height:34px;border-radius:50%;background:var(--c);color:var(--ct);display:flex;align-items:center;justify-content:center;flex:none;transition:opacity .15s}
.sb:disabled{opacity:.35;cursor:default}
.dz{position:absolute;inset:8px;background:rgba(255,255,255,.94);border:2px dashed var(--c);border-radius:14px;display:flex;align-items:center;justify-content:center;font-weight:600;color:var(--cr);text-align:center;padding:20px}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;opacity:0}
@media (max-width:480px){.w .p{inset:0;width:auto;height:auto;max-height:none;border-radius:0}.o .lb{display:none}.in,.ta{font-size:16px}}
@media (prefers-reduced-motion:reduce){.p,.lb,.bubble svg{transition:none}}
`;

type RGB = [number, number, number];

function rgb(hex: string): RGB {
  let h = hex.slice(1);
  if (h.length === 3) h = h.replace(/./g, '$&$&');
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as RGB;
}

function lum(c: RGB): number {
  const [r, g, b] = c.map((v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Brand colour custom properties; the text colour is chosen by contrast. */
export function colors(color: string): string {
  const c = /^#([0-9a-f]{3}){1,2}$/i.test(color) ? color : '#2563eb';
  const L = lum(rgb(c));
  const onWhite = 1.05 / (L + 0.05);
  const text = onWhite >= (L + 0.05) / 0.05 ? '#fff' : '#111827';
  const [r, g, b] = rgb(c);
  const a = (x: number) => `rgba(${r},${g},${b},${x})`;
  return `--c:${c};--ct:${text};--cs:${a(0.22)};--cl:${a(0.1)};--cr:${onWhite >= 3 ? c : '#374151'}`;
}
