// The NPS question after a chat, under the rating, when the workspace asks it
// (GET …/conversations/:id/survey): 0-10 as a radio group with its ends named,
// the survey's text question with an optional box, Send. The server hands a
// survey out once per chat, so it is kept for the tab's life (sessionStorage,
// by conversation) until answered. Its labels come in the customer's language;
// our words are the widget's. Answers go to POST …/surveys/:token; a survey
// with more required questions (422) is finished on its page, /s/<token>, in
// a new tab with the score already chosen (#nps=N).
import type { Api } from '../api';
import type { Nps, SurveyQ } from '../types';
import { h, icon, svg, uid } from './dom';
import { type Item, radios } from './radios';

type S = Record<string, string>;

const OUT = 'M15 3h6v6M10 14 21 3M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6';

const mem: Record<string, Nps | null> = {};

/** The survey of a chat for the tab's life (null: answered or closed). */
function keep(k: string, v: Nps | null): void {
  mem[k] = v;
  try {
    if (v) sessionStorage.setItem(k, JSON.stringify(v));
    else sessionStorage.removeItem(k);
  } catch {}
}

function kept(k: string): Nps | null {
  if (k in mem) return mem[k];
  try {
    return JSON.parse(sessionStorage.getItem(k) || 'null');
  } catch {
    return null;
  }
}

/** A closing line in place of the card: thanks (a check) or why it cannot be answered. */
function note(text: string, tid: string, ok: boolean): HTMLElement {
  return h('div', { class: 'rt' + (ok ? '' : ' nx'), tid, tabindex: -1, role: ok ? null : 'status' }, h('span', { class: 'rk' }, icon(ok ? 'check' : 'alert', 20)), h('p', { class: 'rq', text }));
}

/** The survey page for the rest, in the widget's language, the score chosen. */
function more(s: S, api: Api, sv: Nps, score: number): HTMLElement {
  const w = document.getElementById('switchboard-widget')?.shadowRoot?.querySelector('[lang]');
  const lang = w?.getAttribute('lang') || 'en';
  return h(
    'div',
    { class: 'rc', tid: 'nps-more' },
    h('p', { class: 'rq', text: s.nMoreWhy }),
    h(
      'a',
      { class: 'bt nl', href: `${api.base}${sv.url}?lang=${encodeURIComponent(lang)}#nps=${score}`, target: '_blank', rel: 'noopener noreferrer', tid: 'nps-more-link' },
      s.nMore,
      h('span', { class: 'vh', text: ' ' + s.nTab }),
      svg(OUT, 16),
    ),
  );
}

function card(s: S, api: Api, sv: Nps, q: SurveyQ, k: string): HTMLElement {
  const t = sv.questions.find((x) => x.type === 'text');
  const qid = uid();
  const eid = uid();
  const cid = uid();
  let score = -1;
  const er = h('div', { class: 'er', role: 'alert', tid: 'nps-error' });
  const items = Array.from({ length: 11 }, (_, n): Item => [n, [String(n)], null]);
  const group = radios(items, 'gn', 'nps-option', (n) => {
    score = n;
    er.textContent = '';
  });
  group.setAttribute('aria-labelledby', qid);
  group.setAttribute('aria-describedby', eid);
  const end = (n: number, text: string) => h('span', null, h('span', { class: 'vh', text: `${n} = ` }), text);
  const ta = t ? h('textarea', { class: 'in', id: cid, rows: 2, maxlength: 2000, tid: 'nps-comment', 'aria-required': t.required ? 'true' : null }) : null;
  const send = h('button', { class: 'bt', type: 'submit', tid: 'nps-send' }, s.nSend);
  const to = (el: HTMLElement, focus: HTMLElement = el) => {
    form.replaceWith(el);
    focus.focus();
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const text = ta?.value.trim() || '';
    if (score < 0) {
      er.textContent = s.nPick;
      return group.querySelector<HTMLElement>('[tabindex="0"]')?.focus();
    }
    if (t?.required && !text) {
      er.textContent = s.req;
      return ta!.focus();
    }
    send.disabled = true;
    er.textContent = '';
    try {
      await api.call('POST', `/surveys/${encodeURIComponent(sv.token)}`, { answers: { [q.id]: score, ...(t && text ? { [t.id]: text } : {}) } });
      keep(k, null);
      to(note(s.nThanks, 'nps-thanks', true));
    } catch (x) {
      const { status, fields } = x as { status?: number; fields?: Record<string, string> };
      // Other questions the survey needs: on its page.
      if (status === 422 && Object.keys(fields || {}).some((f) => f !== 'answers.' + q.id && f !== 'answers.' + t?.id)) {
        keep(k, { ...sv, more: score });
        const m = more(s, api, sv, score);
        return to(m, m.querySelector('a')!);
      }
      if (status === 409 || status === 404 || status === 410) {
        keep(k, null);
        return to(note(status === 409 ? s.nDone : s.nGone, 'nps-closed', status === 409));
      }
      er.textContent = s.err;
      send.disabled = false;
    }
  };
  const form = h(
    'form',
    { class: 'rc', tid: 'nps-card', novalidate: true, 'aria-labelledby': qid, onsubmit: submit },
    h('p', { class: 'rq', id: qid, text: q.label }),
    h('div', null, group, h('div', { class: 'ne', id: eid }, end(0, s.nLow), end(10, s.nHigh))),
    ta && h('div', { class: 'fd' }, h('label', { for: cid }, t!.label, !t!.required && ` ${s.nOpt}`), ta),
    er,
    send,
  );
  return form;
}

/** The NPS block for ended chat `id`, or null when none is asked (off, asked lately, answered). */
export async function asked(s: S, api: Api, id: number): Promise<HTMLElement | null> {
  const k = `sb:nps:${api.base}:${id}`;
  let sv = kept(k);
  if (!sv) {
    sv = (await api.call<{ survey: Nps | null }>('GET', `/conversations/${id}/survey`)).survey;
    if (!sv) return null;
    keep(k, sv);
  }
  const q = sv.questions.find((x) => x.type === 'nps');
  if (!q) return null;
  return sv.more != null ? more(s, api, sv, sv.more) : card(s, api, sv, q, k);
}
