// The public survey page (/s/<token>, served from dist/survey/index.html): what
// a customer sees when they open a survey link. Plain DOM, no console bundle.
// GET /api/v1/public/surveys/<token> → the questions (or: answered, 404, 410
// expired); POST the answers → thanks, 409 already answered, 410 expired, 422
// a problem under its question ("answers.q1"). Every text goes in as text.
import './survey.css';
import { LANG_CODES, type Lang } from '../shared/languages';
import { fill, MAX_TEXT, SURVEY_STRINGS, type SurveyStrings } from './strings';

type QuestionType = 'nps' | 'rating' | 'choice' | 'text';
interface Question {
  id: string;
  type: QuestionType;
  label: string;
  required: boolean;
  scale?: '3' | '5';
  /** The values answers are given in (the options as written)… */
  options?: string[];
  /** …and what the customer reads: the same options in their language where translated. */
  option_labels?: string[];
  multiple?: boolean;
}
interface PublicSurvey {
  /** `language`: the one the labels are in, '' when the survey is read as written. */
  survey: { name: string; language?: string; questions: Question[] };
  answered: boolean;
  expires_at: number;
}
type Answer = number | string | string[];

/** The language: ?lang= when it is one of ours, else the browser's first one we speak, else English. */
export function pickLang(search: string, prefs: readonly string[]): Lang {
  const isLang = (x: string): x is Lang => (LANG_CODES as readonly string[]).includes(x);
  const asked = new URLSearchParams(search).get('lang')?.toLowerCase() ?? '';
  if (isLang(asked)) return asked;
  for (const p of prefs) {
    const code = (p || '').toLowerCase().split('-')[0];
    if (isLang(code)) return code;
  }
  return 'en';
}

const lang = pickLang(location.search, navigator.languages?.length ? navigator.languages : [navigator.language]);
const S: SurveyStrings = SURVEY_STRINGS[lang];
document.documentElement.lang = lang;

const root = document.getElementById('app')!;
const token = /^\/s\/([^/?#]+)\/?$/.exec(location.pathname)?.[1] ?? '';
const API = `/api/v1/public/surveys/${encodeURIComponent(decodeURIComponentSafe(token))}`;
/** #nps=N (0-10), from the chat widget: that score already chosen. */
const npsGiven = ((m) => (m ? Number(m[1]) : undefined))(/(?:^#|&)nps=(10|\d)(?:&|$)/.exec(location.hash));

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// ---- a small element builder: attributes and text only (never HTML) ----------------------

type Child = Node | string | null | undefined | false;
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | number | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

function page(...children: Child[]): HTMLElement {
  const main = h('main', { class: 'sv-page', id: 'main' }, ...children);
  root.replaceChildren(main, h('p', { class: 'sv-footer' }, S.footer));
  return main;
}

/** A whole-page state: loading, thanks, already answered, closed, not found. */
let surveyName = '';

function state(kind: 'loading' | 'thanks' | 'answered' | 'expired' | 'notfound' | 'error', title: string, text: string, focus = false): void {
  const heading = h('h1', { tabindex: -1, id: 'sv-state-title' }, title);
  document.title = surveyName ? `${title} · ${surveyName}` : title;
  page(
    h(
      'section',
      { class: `sv-card sv-state sv-state-${kind}`, 'data-state': kind, 'aria-labelledby': 'sv-state-title', role: kind === 'loading' ? 'status' : undefined },
      h('span', { class: 'sv-state-icon', 'aria-hidden': 'true' }, kind === 'thanks' || kind === 'answered' ? '✓' : kind === 'loading' ? '' : '!'),
      surveyName && kind !== 'loading' ? h('p', { class: 'sv-kicker' }, surveyName) : null,
      heading,
      text ? h('p', {}, text) : null,
    ),
  );
  if (focus) heading.focus();
}

// ---- the questions --------------------------------------------------------------------------

interface Field {
  q: Question;
  box: HTMLFieldSetElement;
  error: HTMLElement;
  value: () => Answer | undefined;
  first: () => HTMLElement | null;
  inputs: () => HTMLElement[];
}

/** A row of numbered choices (NPS 0–10, a rating 1–3 / 1–5) as radio buttons, the scale's ends named under it. */
function scale(q: Question, from: number, to: number, low: string, high: string, describedBy: string[], given?: number): { el: HTMLElement; value: () => number | undefined } {
  const name = `sv-${q.id}`;
  const row = h('div', { class: `sv-scale sv-scale-${to - from + 1}` });
  for (let n = from; n <= to; n++) {
    const input = h('input', { type: 'radio', name, value: n, id: `${name}-${n}`, required: q.required, checked: n === given });
    row.append(h('label', { class: 'sv-pill', for: `${name}-${n}` }, input, h('span', {}, String(n))));
  }
  const endsId = `${name}-ends`;
  describedBy.push(endsId);
  // The words under the ends are what the eye reads; the "n =" is for screen readers.
  const ends = h('div', { class: 'sv-ends', id: endsId }, h('span', {}, h('span', { class: 'sv-sr' }, `${from} = `), low), h('span', {}, h('span', { class: 'sv-sr' }, `${to} = `), high));
  const el = h('div', { class: 'sv-scale-wrap' }, row, ends);
  return {
    el,
    value: () => {
      const c = row.querySelector<HTMLInputElement>('input:checked');
      return c ? Number(c.value) : undefined;
    },
  };
}

function field(q: Question): Field {
  const id = `sv-${q.id}`;
  const legendId = `${id}-legend`;
  const errorId = `${id}-error`;
  const describedBy: string[] = [];
  const legend = h(
    'legend',
    { id: legendId, class: 'sv-legend' },
    h('span', { class: 'sv-label' }, q.label),
    q.required ? h('span', { class: 'sv-req', 'aria-hidden': 'true' }, ' *') : null,
    q.required ? h('span', { class: 'sv-sr' }, ` (${S.required})`) : null,
  );
  const error = h('p', { class: 'sv-error', id: errorId, 'data-testid': 'sv-error' });
  let body: HTMLElement;
  let value: () => Answer | undefined;

  if (q.type === 'nps' || q.type === 'rating') {
    const top = q.type === 'nps' ? 10 : q.scale === '3' ? 3 : 5;
    const nps = q.type === 'nps';
    const s = scale(q, nps ? 0 : 1, top, nps ? S.npsLow : S.ratingLow, nps ? S.npsHigh : S.ratingHigh, describedBy, nps ? npsGiven : undefined);
    body = s.el;
    value = s.value;
  } else if (q.type === 'choice') {
    const multiple = !!q.multiple;
    const hintId = `${id}-hint`;
    describedBy.push(hintId);
    const list = h('div', { class: 'sv-options' });
    // The value sent is the option as written; the words shown, its translation.
    (q.options ?? []).forEach((o, k) => {
      const input = h('input', { type: multiple ? 'checkbox' : 'radio', name: id, value: o, id: `${id}-${k}`, required: q.required && !multiple });
      list.append(h('label', { class: 'sv-option', for: `${id}-${k}` }, input, h('span', {}, q.option_labels?.[k] || o)));
    });
    body = h('div', {}, h('p', { class: 'sv-hint', id: hintId }, multiple ? S.chooseSeveral : S.chooseOne), list);
    value = () => {
      const checked = [...list.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
      if (multiple) return checked.length ? checked : undefined;
      return checked[0];
    };
  } else {
    const countId = `${id}-count`;
    const ta = h('textarea', { id: `${id}-text`, rows: 4, maxlength: MAX_TEXT, 'aria-labelledby': legendId, 'aria-describedby': `${countId} ${errorId}`, required: q.required });
    const count = h('span', { class: 'sv-count', id: countId }, fill(S.charsLeft, { n: fmt(MAX_TEXT) }));
    ta.addEventListener('input', () => {
      const left = MAX_TEXT - ta.value.length;
      count.textContent = fill(S.charsLeft, { n: fmt(left) });
      count.classList.toggle('is-low', left <= 100);
    });
    body = h('div', { class: 'sv-text' }, ta, count);
    value = () => {
      const v = ta.value.trim();
      return v ? v : undefined;
    };
  }
  describedBy.push(errorId);
  const box = h('fieldset', { class: `sv-q sv-q-${q.type}`, id: `${id}-box`, 'aria-describedby': describedBy.join(' '), 'data-question': q.id, 'data-testid': 'sv-question' }, legend, body, error);
  const inputs = () => [...box.querySelectorAll<HTMLElement>('input, textarea')];
  // An answer given clears the question's error.
  box.addEventListener('change', () => setError(f, ''));
  box.addEventListener('input', () => setError(f, ''));
  const f: Field = { q, box, error, value, inputs, first: () => box.querySelector<HTMLInputElement>('input:checked') ?? inputs()[0] ?? null };
  return f;
}

function setError(f: Field, text: string): void {
  if (f.error.textContent === text) return;
  f.error.textContent = text;
  f.box.classList.toggle('is-invalid', !!text);
  for (const i of f.inputs()) {
    if (text) i.setAttribute('aria-invalid', 'true');
    else i.removeAttribute('aria-invalid');
  }
}

function fmt(n: number): string {
  try {
    return new Intl.NumberFormat(lang).format(n);
  } catch {
    return String(n);
  }
}

function form(data: PublicSurvey): void {
  const { name, questions } = data.survey;
  surveyName = name;
  document.title = name;
  const fields = questions.map(field);
  const alert = h('p', { class: 'sv-alert', role: 'alert', 'data-testid': 'sv-alert' });
  alert.hidden = true;
  const submit = h('button', { type: 'submit', class: 'sv-submit', 'data-testid': 'sv-submit' }, S.submit);
  const formEl = h('form', { class: 'sv-form', novalidate: true, 'aria-labelledby': 'sv-title' }, ...fields.map((f) => f.box), alert, submit);
  page(
    h(
      'div',
      { class: 'sv-card' },
      h('header', { class: 'sv-head' }, h('h1', { id: 'sv-title' }, name), questions.some((q) => q.required) ? h('p', { class: 'sv-note' }, S.requiredNote) : null),
      formEl,
    ),
  );

  let sending = false;
  const showAlert = (text: string) => {
    alert.textContent = text;
    alert.hidden = !text;
  };
  const focusFirstInvalid = () => {
    const bad = fields.find((f) => f.error.textContent);
    if (bad) {
      bad.box.scrollIntoView({ block: 'center', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
      bad.first()?.focus({ preventScroll: true });
    }
  };

  formEl.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (sending) return;
    const answers: Record<string, Answer> = {};
    let missing = false;
    for (const f of fields) {
      const v = f.value();
      if (v === undefined) {
        if (f.q.required) {
          setError(f, S.errRequired);
          missing = true;
        } else setError(f, '');
      } else {
        answers[f.q.id] = v;
        setError(f, typeof v === 'string' && f.q.type === 'text' && v.length > MAX_TEXT ? fill(S.errTooLong, { n: fmt(MAX_TEXT) }) : '');
      }
    }
    if (missing || fields.some((f) => f.error.textContent)) {
      showAlert(S.errForm);
      focusFirstInvalid();
      return;
    }
    showAlert('');
    sending = true;
    submit.disabled = true;
    submit.textContent = S.sending;
    formEl.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch(API, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ answers }), credentials: 'omit' });
      const body = await res.json().catch(() => null);
      if (res.ok) return state('thanks', S.thanksTitle, S.thanksText, true);
      const code = body?.error?.code;
      if (res.status === 409 && code === 'already_answered') return state('answered', S.answeredTitle, S.answeredText, true);
      if (res.status === 410) return state('expired', S.expiredTitle, S.expiredText, true);
      if (res.status === 404) return state('notfound', S.notFoundTitle, S.notFoundText, true);
      if (res.status === 422 && body?.error?.fields) {
        const problems: Record<string, string> = body.error.fields;
        let placed = false;
        for (const f of fields) {
          const p = problems[`answers.${f.q.id}`];
          if (p) {
            setError(f, /required/i.test(p) ? S.errRequired : /2,?000|characters/i.test(p) ? fill(S.errTooLong, { n: fmt(MAX_TEXT) }) : S.errInvalid);
            placed = true;
          }
        }
        showAlert(placed ? S.errForm : S.errGeneric);
        focusFirstInvalid();
      } else showAlert(res.status === 429 ? S.errBusy : S.errGeneric);
    } catch {
      showAlert(S.errNetwork);
    }
    sending = false;
    submit.disabled = false;
    submit.textContent = S.submit;
    formEl.removeAttribute('aria-busy');
  });
}

async function start(): Promise<void> {
  state('loading', S.loading, '');
  if (!token) return state('notfound', S.notFoundTitle, S.notFoundText);
  let res: Response;
  try {
    // The labels in the page's language where the survey is translated into it.
    res = await fetch(`${API}?lang=${lang}`, { headers: { Accept: 'application/json' }, credentials: 'omit' });
  } catch {
    return state('error', S.errNetwork, '');
  }
  if (res.status === 404) return state('notfound', S.notFoundTitle, S.notFoundText);
  if (res.status === 410) return state('expired', S.expiredTitle, S.expiredText);
  const data = (await res.json().catch(() => null)) as PublicSurvey | null;
  if (!res.ok || !data?.survey) return state('error', res.status === 429 ? S.errBusy : S.errGeneric, '');
  if (data.answered) {
    surveyName = data.survey.name;
    document.title = data.survey.name;
    return state('answered', S.answeredTitle, S.answeredText);
  }
  form(data);
}

void start();
