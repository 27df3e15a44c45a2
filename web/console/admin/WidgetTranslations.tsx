// The inbox editor's widget translations: one tab per language (en/it/ru/hu/pl) with the
// widget's title, greeting, offline message, pop-up message and each topic's label. Empty
// means "the inbox's own" (shown as the placeholder). Sent as `widget.translations`; the
// server's 400 names a field (widget.translations.it.topics.Returns …), said at that field.
import { useRef } from 'preact/hooks';
import { LANGS, t, type Lang } from '../i18n';
import type { WidgetLook, WidgetTranslation } from '../types';
import { FieldError } from '../components/Common';

export const TR_FIELDS = ['title', 'greeting', 'offline_message', 'popup_message'] as const;
type TrField = (typeof TR_FIELDS)[number];
const FIELD_LABEL = {
  title: 'inboxes.trTitleField',
  greeting: 'inboxes.greeting',
  offline_message: 'inboxes.trOffline',
  popup_message: 'inboxes.trPopup',
} as const;
const MAX = 500;
const TOPIC_MAX = 200;

export type Translations = NonNullable<WidgetLook['translations']>;

/** What to send: trimmed, empty fields, topics no longer in `topics` and empty languages left out. */
export function translationsBody(tr: Translations | undefined, topics: string[]): Translations {
  const out: Translations = {};
  for (const { code } of LANGS) {
    const d = tr?.[code];
    if (!d) continue;
    const one: WidgetTranslation = {};
    for (const f of TR_FIELDS) {
      const v = (d[f] ?? '').trim();
      if (v) one[f] = v;
    }
    const tp: Record<string, string> = {};
    for (const topic of topics) {
      const v = (d.topics?.[topic] ?? '').trim();
      if (v) tp[topic] = v;
    }
    if (Object.keys(tp).length) one.topics = tp;
    if (Object.keys(one).length) out[code] = one;
  }
  return out;
}

/** The field a 400 names: "widget.translations.<lang>.<field>" or "….topics.<topic>" (the longest match), else null. */
export function translationErrorField(message: string, topics: string[]): { lang: Lang; path: string } | null {
  for (const { code } of LANGS) {
    const at = `widget.translations.${code}`;
    if (!message.startsWith(at)) continue;
    const topic = topics
      .filter((tp) => message.startsWith(`${at}.topics.${tp}`))
      .sort((a, b) => b.length - a.length)[0];
    if (topic) return { lang: code, path: `${at}.topics.${topic}` };
    const f = TR_FIELDS.find((x) => message.startsWith(`${at}.${x}`));
    if (f) return { lang: code, path: `${at}.${f}` };
    if (message.startsWith(`${at}.topics`)) return { lang: code, path: `${at}.topics` };
    return { lang: code, path: at };
  }
  if (message.startsWith('widget.translations')) return { lang: 'en', path: 'widget.translations' };
  return null;
}

function filled(d: WidgetTranslation | undefined): number {
  if (!d) return 0;
  return TR_FIELDS.filter((f) => (d[f] ?? '').trim()).length + Object.values(d.topics ?? {}).filter((v) => v.trim()).length;
}

export function TranslationsSection({
  look,
  setLook,
  topics,
  lang,
  onLang,
  errors,
  clearError,
}: {
  look: WidgetLook;
  setLook: (l: WidgetLook) => void;
  topics: string[];
  lang: Lang;
  onLang: (l: Lang) => void;
  /** By field path (widget.translations.it.greeting). */
  errors: Record<string, string>;
  clearError: (path: string) => void;
}) {
  const tabs = useRef<HTMLDivElement>(null);
  const tr = look.translations ?? {};
  const d = tr[lang] ?? {};
  const at = `widget.translations.${lang}`;
  const langName = LANGS.find((l) => l.code === lang)?.name ?? lang;
  const badLangs = new Set(Object.keys(errors).map((k) => k.split('.')[2]).filter(Boolean));
  const ownErr = errors[at] ?? errors[`${at}.topics`] ?? errors['widget.translations'];

  function set(next: WidgetTranslation, path: string) {
    setLook({ ...look, translations: { ...tr, [lang]: next } });
    clearError(path);
  }

  function onTabKey(e: KeyboardEvent) {
    const i = LANGS.findIndex((l) => l.code === lang);
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % LANGS.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + LANGS.length) % LANGS.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = LANGS.length - 1;
    if (j < 0) return;
    e.preventDefault();
    onLang(LANGS[j].code);
    requestAnimationFrame(() => tabs.current?.querySelector<HTMLElement>(`[data-lang="${LANGS[j].code}"]`)?.focus());
  }

  const original: Record<TrField, string> = {
    title: t('inboxes.trTitleDefault'),
    greeting: look.greeting.trim() || t('inboxes.greetingPlaceholder'),
    offline_message: t('inboxes.trOfflineDefault'),
    popup_message: look.greeting.trim() || t('inboxes.greetingPlaceholder'),
  };

  return (
    <section class="card form-section" aria-labelledby="sec-translations" data-testid="inbox-translations">
      <h2 id="sec-translations">{t('inboxes.translations')}</h2>
      <p class="muted small">{t('inboxes.trHint')}</p>
      <div class="lang-tabs wt-tabs" role="tablist" aria-label={t('inboxes.trLanguage')} ref={tabs} onKeyDown={onTabKey}>
        {LANGS.map((l) => {
          const n = filled(tr[l.code]);
          const bad = badLangs.has(l.code);
          const active = l.code === lang;
          return (
            <button
              key={l.code}
              type="button"
              role="tab"
              id={`wt-tab-${l.code}`}
              aria-selected={active ? 'true' : 'false'}
              aria-controls="wt-panel"
              tabIndex={active ? 0 : -1}
              lang={l.code}
              data-lang={l.code}
              class={'lang-tab' + (active ? ' is-active' : '') + (bad ? ' is-invalid' : '')}
              onClick={() => onLang(l.code)}
              data-testid={'inbox-tr-tab-' + l.code}
            >
              {l.name}
              {n > 0 && (
                <span class="lang-tab-count" title={t('inboxes.trFilled', { n })}>
                  <span aria-hidden="true">{n}</span>
                  <span class="sr-only"> ({t('inboxes.trFilled', { n })})</span>
                </span>
              )}
              {bad && <span class="sr-only"> ({t('inboxes.trHasErrors')})</span>}
            </button>
          );
        })}
      </div>
      <div class="wt-panel" id="wt-panel" role="tabpanel" aria-labelledby={`wt-tab-${lang}`} data-testid="inbox-tr-panel" data-lang={lang}>
        <FieldError id="wt-own-err" error={ownErr} testid="inbox-tr-error" />
        <div class="wt-grid">
          {TR_FIELDS.map((f) => {
            const path = `${at}.${f}`;
            const err = errors[path];
            const id = `wt-${f}`;
            const long = f !== 'title';
            const common = {
              id,
              lang,
              value: d[f] ?? '',
              maxLength: MAX,
              placeholder: original[f],
              'aria-invalid': err ? ('true' as const) : undefined,
              'aria-describedby': err ? `${id}-err` : undefined,
              'data-field': path,
              'data-testid': 'inbox-tr-' + f,
              onInput: (e: Event) => set({ ...d, [f]: (e.currentTarget as HTMLInputElement).value }, path),
            };
            return (
              <div class={'field' + (long ? ' wt-wide' : '')} key={f}>
                <label class="field-label" for={id}>
                  {t(FIELD_LABEL[f])} <span class="wt-lang">({langName})</span>
                </label>
                {long ? <textarea rows={2} {...common} /> : <input type="text" {...common} />}
                <FieldError id={`${id}-err`} error={err} testid={`inbox-tr-${f}-error`} />
              </div>
            );
          })}
        </div>
        <h3 class="subheading">{t('inboxes.trTopics', { lang: langName })}</h3>
        {topics.length ? (
          <ul class="wt-topics">
            {topics.map((tp, i) => {
              const path = `${at}.topics.${tp}`;
              const err = errors[path];
              const id = `wt-topic-${i}`;
              return (
                <li key={tp} class="wt-topic">
                  <label class="wt-topic-orig" for={id} title={tp}>
                    {tp}
                  </label>
                  <div class="wt-topic-field">
                    <input
                      type="text"
                      id={id}
                      lang={lang}
                      value={d.topics?.[tp] ?? ''}
                      maxLength={TOPIC_MAX}
                      placeholder={tp}
                      aria-invalid={err ? 'true' : undefined}
                      aria-describedby={err ? `${id}-err` : undefined}
                      data-field={path}
                      data-testid="inbox-tr-topic"
                      data-topic={tp}
                      onInput={(e) => set({ ...d, topics: { ...(d.topics ?? {}), [tp]: e.currentTarget.value } }, path)}
                    />
                    <FieldError id={`${id}-err`} error={err} testid="inbox-tr-topic-error" />
                  </div>
                </li>
              );
            })}
          </ul>
        ) : (
          <p class="muted small">{t('inboxes.noTopics')}</p>
        )}
      </div>
    </section>
  );
}
