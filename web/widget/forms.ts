// Entry of /widget-forms.js, the widget's lazy chunk of forms (ui/forms.ts), handed
// to the widget that loaded it; `init` gives it the widget's strings, language and
// shadow root (for its CSS).
import type { Strings } from './i18n';
import { h } from './ui/dom';
import { FCSS } from './ui/fcss';
import { S } from './ui/form';
import { ask, callback, chips, confirmation, CSS, EN, offline, popup, prechat, transcript } from './ui/forms';

let css = false;
function init(t: Strings, lang: string, locale: string, root: Node): void {
  Object.assign(S, { t: { ...EN, ...t }, lang, locale });
  if (!css) root.appendChild(h('style', { text: FCSS + CSS }));
  css = true;
}
const forms = { init, ask, callback, chips, confirmation, offline, popup, prechat, transcript };
export type Forms = typeof forms;
(window as unknown as { SwitchboardForms?: (f: Forms) => void }).SwitchboardForms?.(forms);
