// The end of a chat, under its last message: the satisfaction question (1-3
// faces, 1-5 stars or thumbs, as the workspace asks; a radio group with arrow
// keys), an optional comment, then the thanks with the score given; under it
// the NPS question when the workspace asks one (ui/nps.ts); always
// "Start a new conversation" and "E-mail me the transcript". Built apart as
// /widget-end.js and loaded when a chat ends (widget.js stays small), so it
// brings its English words and its CSS. All text goes in as text nodes (h),
// the customer's comment included.
import type { Api } from '../api';
import type { EndStrings } from '../i18n';
import type { Rating, Survey } from '../types';
import { h, icon, svg, uid } from './dom';
import { FCSS } from './fcss';
import { asked } from './nps';
import { type Item, radios } from './radios';

const EN: EndStrings = {
  rQ: 'How satisfied were you with the live chat experience today on a scale of 1 to {n}?',
  rQt: 'Were you satisfied with the live chat experience today?',
  r1: 'Not satisfied',
  r2: 'OK',
  r3: 'Very satisfied',
  rStar: 'Rating: {n} of {max}',
  rUp: 'Satisfied',
  rDown: 'Not satisfied',
  rCmt: 'Anything you would like to add? (optional)',
  rSend: 'Send rating',
  rPick: 'Please choose a rating.',
  rThanks: 'Thank you for your feedback!',
  rYou: 'Your rating:',
  rNew: 'Start a new conversation',
  rMail: 'E-mail me the transcript',
  rNotEnded: 'The chat is still open — you can rate it once it has ended.',
  rOff: 'Ratings are turned off for this chat.',
  rDone: 'This chat has already been rated.',
  rLong: 'Please keep your comment under 1,000 characters.',
  nLow: 'Not at all likely',
  nHigh: 'Extremely likely',
  nOpt: '(optional)',
  nSend: 'Send answer',
  nPick: 'Please choose a score from 0 to 10.',
  nThanks: 'Thank you — your answer helps us improve.',
  nDone: 'This survey has already been answered. Thank you!',
  nGone: 'This survey is no longer open.',
  nMoreWhy: 'To send your answers, please answer a few more questions on the survey page.',
  nMore: 'Answer a few more questions',
  nTab: '(opens in a new tab)',
};

const CSS = `.en{display:flex;flex-direction:column;gap:10px;margin:14px 0 4px;outline:0}
.rc,.rt{border:1px solid #e5e7eb;background:#f9fafb;border-radius:14px;padding:14px;display:flex;flex-direction:column;gap:12px}
.rq{font-weight:650;color:#111827;font-size:14.5px;line-height:1.35}
.rg{display:grid;grid-template-columns:repeat(3,1fr);gap:8px}
.gthumbs{grid-template-columns:1fr 1fr}
.rg button{display:flex;flex-direction:column;align-items:center;gap:6px;padding:10px 4px 8px;min-height:44px;border:1.5px solid #d1d5db;border-radius:12px;background:#fff;color:#374151;font-size:12.5px;font-weight:600;line-height:1.25;text-align:center;overflow-wrap:anywhere;transition:border-color .15s,background .15s}
.rg button:hover{border-color:#9ca3af}
.rg button.on{border-color:var(--c);background:var(--cl);color:#111827;box-shadow:0 0 0 1px var(--c)}
.g3 [data-score="1"] svg,.g3[data-score="1"] svg,.gthumbs [data-score="0"] svg,.gthumbs[data-score="0"] svg{color:#dc2626}
.g3 [data-score="2"] svg,.g3[data-score="2"] svg{color:#b45309}
.g3 [data-score="3"] svg,.g3[data-score="3"] svg,.gthumbs [data-score="1"] svg,.gthumbs[data-score="1"] svg{color:#15803d}
.g5{display:flex;gap:2px;justify-content:center}
.g5 button{border:0;background:none;padding:4px;flex:none;border-radius:8px}
.g5 button.on{background:none;box-shadow:none}
.rg.g5 svg,.rs.g5 svg{color:#6b7280}
.g5 .on svg,.rs.g5 svg.on{color:#b45309;fill:#fbbf24}
.rc .fd label{font-weight:500}
.rc textarea.in{min-height:60px}
.rt{flex-direction:row;align-items:flex-start;background:#f0fdf4;border-color:#bbf7d0;outline:0}
.rk{flex:none;width:34px;height:34px;border-radius:50%;background:#dcfce7;color:#15803d;display:flex;align-items:center;justify-content:center}
.rv{margin-top:4px;color:#374151;font-size:13px;display:flex;flex-wrap:wrap;align-items:center;gap:4px}
.rs{display:inline-flex;align-items:center;gap:4px;font-weight:600;color:#111827}
.rm{display:block;margin-top:6px;color:#374151;font-size:13px;font-style:italic;white-space:pre-wrap;overflow-wrap:anywhere;display:-webkit-box;-webkit-line-clamp:4;-webkit-box-orient:vertical;overflow:hidden}
.ea{display:flex;flex-direction:column;gap:8px}
.ea .bt2{margin:0;width:100%;display:flex;align-items:center;justify-content:center;gap:8px;padding:0 12px}
.gn{grid-template-columns:repeat(11,minmax(0,1fr));gap:3px}
.rg.gn button{padding:0;justify-content:center;border-radius:8px;font-size:14px;font-variant-numeric:tabular-nums;transition:border-color .15s}
.rg.gn button.on{background:var(--c);color:var(--ct);box-shadow:none}
.gn button:focus-visible{position:relative;z-index:1}
.ne{display:flex;justify-content:space-between;gap:12px;margin-top:6px;color:#4b5563;font-size:12px;line-height:1.3}
.ne span+span{text-align:right}
.nl{display:flex;align-items:center;justify-content:center;gap:8px;padding:0 12px;text-decoration:none}
.rt.nx{background:#f9fafb;border-color:#e5e7eb}
.nx .rk{background:#f3f4f6;color:#4b5563}`;

const FACE = 'M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20zM9 9v1m6-1v1';
const PATHS: Record<string, string> = {
  sad: FACE + 'm-7 7s1.5-2 4-2 4 2 4 2',
  meh: FACE + 'm-6.5 6h7',
  happy: FACE + 'm-7 4s1.5 2.5 4 2.5 4-2.5 4-2.5',
  star: 'm12 2.5 2.9 6 6.6.9-4.8 4.6 1.2 6.5-5.9-3.1-5.9 3.1 1.2-6.5-4.8-4.6 6.6-.9z',
  up: 'M7 10v12m8-16.1L14 10h5.8a2 2 0 0 1 1.9 2.6l-2.3 8a2 2 0 0 1-1.9 1.4H4a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2h2.8a2 2 0 0 0 1.8-1.1L12 2a3.1 3.1 0 0 1 3 3.9z',
  down: 'M17 14V2M9 18.1 10 14H4.2a2 2 0 0 1-1.9-2.6l2.3-8A2 2 0 0 1 6.5 2H20a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2h-2.8a2 2 0 0 0-1.8 1.1L12 22a3.1 3.1 0 0 1-3-3.9z',
};

/** What the widget lends this module. `t`: its strings in the visitor's language (a pack has ours too). */
export interface EndHost {
  api: Api;
  t: Record<string, string>;
  transcript(): void;
  /** Starts a new conversation. */
  fresh(): void;
}

type S = EndStrings & Record<string, string>;
const fmt = (s: string, v: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k) => String(v[k] ?? ''));

/** [score, icon, label] of each choice, in the order shown. */
type Choice = [number, string, string];

function choices(s: S, scale: string): Choice[] {
  if (scale === '5') return [1, 2, 3, 4, 5].map((n) => [n, 'star', fmt(s.rStar, { n, max: 5 })]);
  if (scale === 'thumbs') return [[1, 'up', s.rUp], [0, 'down', s.rDown]];
  return [[1, 'sad', s.r1], [2, 'meh', s.r2], [3, 'happy', s.r3]];
}

/** The score given, as its choice looked: the face or thumb and its words, or the stars and n/5. */
function given(s: S, r: Rating): HTMLElement {
  if (r.scale === '5') {
    const stars = [1, 2, 3, 4, 5].map((i) => {
      const e = svg(PATHS.star, 16);
      if (i <= r.score) e.classList.add('on');
      return e;
    });
    return h('span', { class: 'rs g5', role: 'img', 'aria-label': fmt(s.rStar, { n: r.score, max: 5 }) }, ...stars, ` ${r.score}/5`);
  }
  const c = choices(s, r.scale).find(([n]) => n === r.score);
  return h('span', { class: 'rs g' + r.scale, 'data-score': r.score }, c && svg(PATHS[c[1]], 18), c ? c[2] : String(r.score));
}

/** The server's refusal in the visitor's words (409 codes, 422 fields). */
function problem(s: S, x: unknown): string {
  const e = x as { status?: number; code?: string; fields?: Record<string, string> };
  if (e?.status === 409) return ({ not_ended: s.rNotEnded, survey_off: s.rOff, already_rated: s.rDone } as Record<string, string>)[e.code || ''] || s.err;
  if (e?.status === 422) return e.fields?.comment ? s.rLong : s.rPick;
  return s.err;
}

function question(s: S, api: Api, id: number, sv: Survey, done: (r: Rating) => void): HTMLElement {
  const q = uid();
  const cid = uid();
  let score = -1;
  const er = h('div', { class: 'er', role: 'alert', tid: 'rating-error' });
  const stars = sv.scale === '5';
  const items = choices(s, sv.scale).map(([n, ic, label]): Item => [n, [svg(PATHS[ic], stars ? 34 : 36), !stars && h('span', { text: label })], stars ? label : null]);
  const group = radios(items, 'g' + sv.scale, 'rating-option', (n) => {
    score = n;
    er.textContent = '';
  }, stars);
  group.setAttribute('aria-labelledby', q);
  const ta = sv.comment ? h('textarea', { class: 'in', id: cid, rows: 2, maxlength: 1000, tid: 'rating-comment' }) : null;
  const send = h('button', { class: 'bt', type: 'submit', tid: 'rating-send' }, s.rSend);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (score < 0) {
      er.textContent = s.rPick;
      return group.querySelector<HTMLElement>('[tabindex="0"]')?.focus();
    }
    send.disabled = true;
    er.textContent = '';
    try {
      const body = { score, comment: ta?.value.trim() || undefined };
      done((await api.call<{ rating: Rating }>('POST', `/conversations/${id}/rating`, body)).rating);
    } catch (x) {
      er.textContent = problem(s, x);
      // Refused for good (turned off, rated already): nothing left to send.
      const code = (x as { code?: string })?.code;
      send.disabled = code === 'survey_off' || code === 'already_rated';
    }
  };
  return h(
    'form',
    { class: 'rc', tid: 'rating-card', novalidate: true, 'aria-labelledby': q, onsubmit: submit },
    h('p', { class: 'rq', id: q, text: sv.scale === 'thumbs' ? s.rQt : fmt(s.rQ, { n: sv.scale }) }),
    group,
    ta && h('div', { class: 'fd' }, h('label', { for: cid, text: s.rCmt }), ta),
    er,
    send,
  );
}

function thanks(s: S, r: Rating): HTMLElement {
  return h(
    'div',
    { class: 'rt', tid: 'rating-thanks', tabindex: -1 },
    h('span', { class: 'rk' }, icon('check', 20)),
    h('div', null, h('p', { class: 'rq', text: s.rThanks }), h('p', { class: 'rv', tid: 'rating-given' }, s.rYou + ' ', given(s, r)), r.comment && h('q', { class: 'rm', text: r.comment })),
  );
}

/** The block shown once chat `id` has ended: the rating, the NPS question under it when asked, the next steps. */
export function ending(host: EndHost, id: number): HTMLElement {
  const s = { ...EN, ...host.t } as S;
  const acts = h(
    'div',
    { class: 'ea' },
    h('button', { class: 'bt', type: 'button', tid: 'new-chat', onclick: () => host.fresh() }, s.rNew),
    h('button', { class: 'bt bt2', type: 'button', tid: 'email-transcript', onclick: () => host.transcript() }, icon('mail', 18), s.rMail),
  );
  // Where the rating and the NPS question go once the server has answered.
  let rate: Element = h('i', { hidden: true });
  const nps = h('i', { hidden: true });
  const box = h('div', { class: 'en', tid: 'chat-end', tabindex: -1 }, h('style', { text: FCSS + CSS }), rate, nps, acts);
  box.dataset.end = '1';
  const swap = (el: HTMLElement, focus: boolean) => {
    rate.replaceWith(el);
    rate = el;
    if (focus) el.focus();
  };
  /** A question shown: in sight (the block's top at the list's, or the list's end if it all fits); the focus on it if the block had it. */
  const show = (put: () => void) => {
    const had = (box.getRootNode() as ShadowRoot).activeElement === box;
    put();
    const list = box.parentElement;
    if (list) list.scrollTop += box.getBoundingClientRect().top - list.getBoundingClientRect().top - 8;
    if (had) box.querySelector<HTMLElement>('[role=radio]')?.focus();
  };
  host.api
    .call<{ survey: Survey; can_rate: boolean; rating: Rating | null }>('GET', `/conversations/${id}/rating`)
    .then((r) => {
      if (r.rating) return swap(thanks(s, r.rating), false);
      if (r.can_rate) show(() => swap(question(s, host.api, id, r.survey, (rt) => swap(thanks(s, rt), true)), false));
    })
    .catch(() => 0);
  asked(s, host.api, id)
    .then((el) => el && show(() => nps.replaceWith(el)))
    .catch(() => 0);
  return box;
}
