// A small accessible form: labelled fields, inline errors, busy state.
// In the forms chunk (/widget-forms.js): the widget hands it its strings (S).
import type { FormStrings, Strings } from '../i18n';
import { EMAIL_RE } from '../util';
import { h, uid } from './dom';

/** The widget's strings and language, set by the widget when the chunk loads. */
export const S = { t: {} as Strings & FormStrings, lang: 'en', locale: 'en' };

export type Input = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export class Form {
  el: HTMLFormElement;
  private fields: Record<string, Input> = {};
  private errs: Record<string, HTMLElement> = {};
  private btn: HTMLButtonElement;
  private msg = h('div', { class: 'er', role: 'alert' });

  constructor(
    private tid: string,
    label: string,
    private check: (f: Form) => boolean,
    private send: (f: Form) => Promise<void>,
  ) {
    this.btn = h('button', { class: 'bt', type: 'submit', tid: tid + '-submit' }, label);
    this.el = h('form', { class: 'f', novalidate: true, onsubmit: (e: Event) => this.submit(e) });
    this.el.append(this.btn, this.msg);
  }

  /** Adds a labelled field before the submit button; returns its wrapper. */
  add(name: string, label: string, input: Input, value = ''): HTMLElement {
    const id = uid();
    Object.assign(input, { id, name, value: value || input.value });
    input.classList.add('in');
    input.setAttribute('data-testid', `${this.tid}-${name}`);
    input.setAttribute('aria-describedby', id + 'e');
    if (value) input.setAttribute('value', value);
    const err = h('div', { class: 'er', id: id + 'e' });
    const wrap = h('div', { class: 'fd' }, h('label', { for: id, text: label }), input, err);
    this.fields[name] = input;
    this.errs[name] = err;
    this.el.insertBefore(wrap, this.btn);
    return wrap;
  }

  v(name: string): string {
    return this.fields[name]?.value.trim() || '';
  }

  has(name: string): boolean {
    return name in this.fields;
  }

  /** Marks a field invalid; returns false so checks can be chained. */
  bad(name: string, msg: string): boolean {
    this.errs[name].textContent = msg;
    this.fields[name].setAttribute('aria-invalid', 'true');
    return false;
  }

  need(name: string): boolean {
    return !this.has(name) || !!this.v(name) || this.bad(name, S.t.req);
  }

  email(name: string, required: boolean): boolean {
    const v = this.v(name);
    if (!this.has(name) || (!v && !required)) return true;
    if (!v) return this.bad(name, S.t.req);
    return EMAIL_RE.test(v) || this.bad(name, S.t.badEmail);
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    if (this.btn.disabled) return;
    for (const k in this.fields) {
      this.errs[k].textContent = '';
      this.fields[k].removeAttribute('aria-invalid');
    }
    this.msg.textContent = '';
    if (!this.check(this)) {
      (this.el.querySelector('[aria-invalid]') as Input | null)?.focus();
      return;
    }
    this.btn.disabled = true;
    try {
      await this.send(this);
    } catch {
      this.msg.textContent = S.t.err;
    } finally {
      this.btn.disabled = false;
    }
  }
}

/** Runs every check (so every error shows at once) and tells if all passed. */
export const all = (...ok: boolean[]) => ok.every(Boolean);

export const input = (type: string, auto?: string, ph?: string) =>
  h('input', { type, autocomplete: auto, placeholder: ph });

export const textarea = (ph?: string) => h('textarea', { rows: 3, placeholder: ph });

export function select(opts: [string, string][], value = ''): HTMLSelectElement {
  const s = h('select', null, ...opts.map(([v, label]) => h('option', { value: v, text: label })));
  s.value = value;
  return s;
}
