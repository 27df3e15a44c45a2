// Interface strings. English is built in; it, ru, hu, pl are loaded on demand
// from lang/*.ts (built to /widget-lang/*.js) to keep widget.js small.
// Register: polite customer service (Italian "Lei", Russian «Вы», Hungarian "Ön").
import { LANG_CODES } from '../shared/languages';
import type { Look } from './types';

const en = {
  chat: 'Chat',
  chatSub: 'Talk to our team in real time',
  cb: 'Call me back',
  cbSub: "Leave your number and we'll call you",
  openL: 'Open chat',
  closeL: 'Close chat',
  pill: 'Chat with us',
  online: 'Online',
  offline: 'Offline',
  wait: 'Estimated wait: about {n} min',
  waitNow: 'Estimated wait: less than a minute',
  off_closed: "We're offline right now — leave a message and we'll reply by e-mail.",
  off_holiday: "We're closed today for a holiday — leave a message and we'll reply by e-mail.",
  off_no_agents: "No one is available right now — leave a message and we'll reply by e-mail.",
  next: 'We open again: {t}',
  topic: 'Topic',
  req: 'Please fill in this field.',
  compose: 'Write a message…',
  send: 'Send',
  attach: 'Attach a file',
  big: 'This file is too large — the limit is 10 MB.',
  type: 'This file type is not supported. You can send images, PDF, text, CSV, ZIP, Word and Excel files.',
  slow: 'You are sending quickly — we will send it in a moment.',
  upFail: "We couldn't upload the file. Please try again.",
  upl: 'Uploading {name}…',
  typing: '{name} is typing…',
  agent: 'Support',
  recon: 'Reconnecting…',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not sent',
  leave: 'Send message',
  tr: 'Send me the transcript by e-mail',
  back: 'Back',
  more: 'More options',
  err: 'Something went wrong. Please try again.',
  drop: 'Drop the file here to send it',
  hello: 'Hi! How can we help?',
  cbReq: 'Request a call-back',
  human: 'Talk to a person',
  leaveSub: "Write to us — we'll reply by e-mail",
};

export type Strings = typeof en;

/**
 * System notices ({code, args} of a system event), worded by the packs only:
 * in English the event's body already is the text. `_by` when args.by is set.
 */
export interface Notices {
  n_joined: string;
  n_closed: string;
  n_closed_by: string;
  n_reopened: string;
  n_reopened_by: string;
  n_returned_to_queue: string;
  n_transferred_to_agent: string;
  n_transferred_to_team: string;
  n_agent_disconnected: string;
  n_hold: string;
  n_overflow: string;
}
/** The end of a chat (rating, NPS, next steps): English in ui/rating.ts, loaded with it when a chat ends. */
export interface EndStrings {
  rQ: string;
  rQt: string;
  r1: string;
  r2: string;
  r3: string;
  rStar: string;
  rUp: string;
  rDown: string;
  rCmt: string;
  rSend: string;
  rPick: string;
  rThanks: string;
  rYou: string;
  rNew: string;
  rMail: string;
  rNotEnded: string;
  rOff: string;
  rDone: string;
  rLong: string;
  /** The NPS question after a chat: the scale's ends, the text question's "(optional)", the answer sent, refused or wanting the survey page. */
  nLow: string;
  nHigh: string;
  nOpt: string;
  nSend: string;
  nPick: string;
  nThanks: string;
  nDone: string;
  nGone: string;
  nMoreWhy: string;
  nMore: string;
  nTab: string;
}
/** The bot's message dressing (ui/bot.ts) and the offline form's article suggestions: English in ui/bot.ts, in the lazy chunk. */
export interface BotStrings {
  sgTitle: string;
  sgYes: string;
  sgNo: string;
  sgGlad: string;
  sgBack: string;
  openHc: string;
  fbQ: string;
  yes: string;
  no: string;
  fbThx: string;
}
/** "Your conversations" on the start screen (ui/past.ts, in the lazy chunk). */
export interface PastStrings {
  pTitle: string;
  pOpen: string;
  pClosed: string;
  pNone: string;
}
/** The forms' words (ui/forms.ts, in the forms chunk): English there. */
export interface FormStrings {
  name: string;
  email: string;
  pick: string;
  msg: string;
  msgPh: string;
  start: string;
  badEmail: string;
  badPhone: string;
  badTime: string;
  thanks: string;
  offThanks: string;
  phone: string;
  when: string;
  asap: string;
  today: string;
  tomorrow: string;
  from: string;
  to: string;
  reqCall: string;
  cbThanks: string;
  trSend: string;
  trThanks: string;
  done: string;
  slot: string;
  cbTz: string;
  cbNone: string;
  ctQ: string;
  ctHand: string;
  ctOff: string;
  ctWait: string;
  ctGo: string;
  dismiss: string;
}
export type Pack = Strings & FormStrings & Notices & EndStrings & BotStrings & PastStrings;





const LANGS: readonly string[] = LANG_CODES;

export let t: Strings & Partial<Notices> = en;
export let lang = 'en';
/** BCP 47 tag for Intl: the browser's own variant when it matches (en-GB → 24 h clock). */
export let locale = 'en';

/** data-lang attribute, else the inbox setting unless "auto", else the browser, else English. */
export function pickLang(attr: string | undefined, configured: string | undefined): void {
  const nav = navigator.language || 'en';
  const cands = [attr, configured !== 'auto' ? configured : '', nav, 'en'];
  lang = cands.map((c) => (c || '').slice(0, 2).toLowerCase()).find((c) => LANGS.includes(c)) || 'en';
  locale = nav.toLowerCase().startsWith(lang) ? nav : lang;
}

/** Loads the language pack (a script, so no CORS is needed); English if it fails. */
export function loadLang(base: string): Promise<void> {
  if (lang === 'en') return Promise.resolve();
  return new Promise((done) => {
    (window as unknown as { SwitchboardLang: unknown }).SwitchboardLang = (l: string, s: Pack) => {
      if (l === lang) t = { ...en, ...s };
      done();
    };
    const el = document.createElement('script');
    el.src = `${base}/widget-lang/${lang}.js`;
    el.onerror = () => done();
    document.head.append(el);
    setTimeout(done, 5000);
  });
}

type Key = 'greeting' | 'title' | 'offline_message' | 'popup_message';
/** An inbox text in the visitor's language, else as configured. */
export const tr = (w: Look, k: Key): string => (w.translations?.[lang]?.[k] as string) || w[k] || '';
/** A topic's label in the visitor's language (the canonical topic is what is sent). */
export const topicL = (w: Look, x: string): string => w.translations?.[lang]?.topics?.[x] || x;

export function fmt(s: string, vars: Record<string, string | number>): string {
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

/** "Estimated wait: …" for a number of seconds. */
export const waitFor = (s: number) => (s < 60 ? t.waitNow : fmt(t.wait, { n: Math.round(s / 60) }));

const dtf = (o: Intl.DateTimeFormatOptions, d: Date | number) => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', ...o }).format(d);

/** Message time: HH:MM today, with the date on other days. */
export function time(ms: number): string {
  const d = new Date(ms);
  return dtf(d.toDateString() === new Date().toDateString() ? {} : { day: 'numeric', month: 'short' }, d);
}

export const dayTime = (ms: number) => dtf({ weekday: 'long' }, ms);

/** "HH:MM" (or "8:00 AM") for minutes after midnight. */
export const clock = (min: number) => dtf({}, new Date(2020, 0, 1, 0, min));
