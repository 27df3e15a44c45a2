// The sections of the inbox editor (InboxForm.tsx): general, opening hours,
// widget look, pre-chat form and topics, embed code. Each edits its part of the
// form through value / onChange; InboxForm validates and saves the whole.
import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import { LANGS, t, weekdayName, type Lang } from '../i18n';
import type { ButtonStyle, HoursRange, Hours, Inbox, PrechatField, PrechatMode, WidgetLanguage, WidgetLook } from '../types';
import { IconX } from '../components/Icons';
import { FieldError, onEnter } from '../components/Common';
import { EmbedSnippet } from './EmbedSnippet';
import { WidgetPreview } from './WidgetPreview';

export const COMMON_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Amsterdam',
  'Europe/Brussels',
  'Europe/Vienna',
  'Europe/Zurich',
  'Europe/Stockholm',
  'Europe/Warsaw',
  'Europe/Prague',
  'Europe/Budapest',
  'Europe/Bucharest',
  'Europe/Athens',
  'Europe/Helsinki',
  'Europe/Kyiv',
  'Europe/Istanbul',
  'Europe/Moscow',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
  'America/Sao_Paulo',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Toronto',
  'America/Mexico_City',
];

export const OTHER = '__other__';
export const FIELDS: PrechatField[] = ['name', 'email', 'topic'];
// Monday first in the editor; the wire format keeps 0 = Sunday.
export const DAYS = [1, 2, 3, 4, 5, 6, 0];
const LANGUAGES: readonly { code: WidgetLanguage; name: string }[] = LANGS;
/** The five languages as <option>s (the widget's language and the preview's). */
const languageOptions = LANGUAGES.map((l) => (
  <option key={l.code} value={l.code}>
    {l.name}
  </option>
));

export function validZone(z: string): boolean {
  if (!z) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: z });
    return true;
  } catch {
    return false;
  }
}

export function defaultZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export const DEFAULT_LOOK: WidgetLook = {
  color: '#2563eb',
  position: 'right',
  greeting: '',
  language: 'auto',
  button_style: 'bubble',
};

export interface DayRow {
  open: boolean;
  from: string;
  to: string;
}

export function daysFrom(h: Hours | undefined): Record<number, DayRow> {
  const rows: Record<number, DayRow> = {};
  for (let d = 0; d < 7; d++) rows[d] = { open: d >= 1 && d <= 5, from: '09:00', to: '18:00' };
  if (h?.weekly?.length) {
    for (let d = 0; d < 7; d++) rows[d].open = false;
    for (const r of h.weekly) {
      if (r.day < 0 || r.day > 6) continue;
      // One range per day in the editor: the first one wins.
      if (!rows[r.day].open) rows[r.day] = { open: true, from: r.open, to: r.close };
    }
  }
  return rows;
}

// ---- general ---------------------------------------------------------------------

export interface GeneralForm {
  name: string;
  zoneChoice: string;
  zoneText: string;
}

/** The time zone the general section names: a listed one, or the typed one for "other". */
export const zoneOf = (g: GeneralForm) => (g.zoneChoice === OTHER ? g.zoneText.trim() : g.zoneChoice);

export function generalForm(inbox: Inbox | null): GeneralForm {
  const zone = inbox?.timezone || defaultZone();
  const listed = COMMON_ZONES.includes(zone);
  return { name: inbox?.name ?? '', zoneChoice: listed ? zone : OTHER, zoneText: listed ? '' : zone };
}

export function GeneralSection({ value, onChange, nameRef }: { value: GeneralForm; onChange: (v: GeneralForm) => void; nameRef: Ref<HTMLInputElement> }) {
  const { name, zoneChoice, zoneText } = value;
  const zoneOk = validZone(zoneOf(value));
  const setName = (name: string) => onChange({ ...value, name });
  const setZoneChoice = (zoneChoice: string) => onChange({ ...value, zoneChoice });
  const setZoneText = (zoneText: string) => onChange({ ...value, zoneText });
  return (
    <section class="card form-section" aria-labelledby="sec-general">
      <h2 id="sec-general">{t('inboxes.general')}</h2>
      <div class="form-grid">
        <label class="field">
          <span class="field-label">{t('inboxes.name')}</span>
          <input
            ref={nameRef}
            required
            maxLength={100}
            value={name}
            placeholder={t('inboxes.namePlaceholder')}
            onInput={(e) => setName(e.currentTarget.value)}
            data-testid="inbox-name"
          />
        </label>
        <div class="field">
          <label class="field-label" for="inbox-tz">
            {t('inboxes.timezone')}
          </label>
          <select id="inbox-tz" value={zoneChoice} onChange={(e) => setZoneChoice(e.currentTarget.value)} data-testid="inbox-timezone">
            {COMMON_ZONES.map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, ' ')}
              </option>
            ))}
            <option value={OTHER}>{t('inboxes.timezoneOther')}</option>
          </select>
          {zoneChoice === OTHER && (
            <input
              class="mt-6"
              value={zoneText}
              placeholder="Europe/Rome"
              aria-label={t('inboxes.timezoneCustom')}
              aria-invalid={zoneText && !zoneOk ? 'true' : undefined}
              onInput={(e) => setZoneText(e.currentTarget.value)}
              data-testid="inbox-timezone-text"
            />
          )}
          {zoneChoice === OTHER && zoneText && !zoneOk && <span class="field-error">{t('inboxes.timezoneInvalid')}</span>}
        </div>
      </div>
    </section>
  );
}

// ---- opening hours -----------------------------------------------------------------

export interface HoursForm {
  alwaysOpen: boolean;
  days: Record<number, DayRow>;
  holidays: string[];
}

export function hoursForm(inbox: Inbox | null): HoursForm {
  return {
    alwaysOpen: inbox ? !inbox.business_hours?.weekly?.length : false,
    days: daysFrom(inbox?.business_hours),
    holidays: inbox?.business_hours?.holidays ?? [],
  };
}

/** The error in the opening hours, or null. */
export function hoursError(h: HoursForm): string | null {
  if (h.alwaysOpen) return null;
  const open = DAYS.filter((d) => h.days[d].open);
  if (!open.length) return t('inboxes.noOpenDays');
  for (const d of open) {
    if (!h.days[d].from || !h.days[d].to || h.days[d].to <= h.days[d].from) return t('inboxes.badRange', { day: weekdayName(d) });
  }
  return null;
}

/** The opening hours as the server takes them. */
export function hoursBody(h: HoursForm): Hours {
  const weekly: HoursRange[] = h.alwaysOpen
    ? []
    : [0, 1, 2, 3, 4, 5, 6].filter((d) => h.days[d].open).map((d) => ({ day: d, open: h.days[d].from, close: h.days[d].to }));
  return { weekly, holidays: h.holidays };
}

export function HoursSection({ value, onChange }: { value: HoursForm; onChange: (v: HoursForm) => void }) {
  const { alwaysOpen, days, holidays } = value;
  const [newHoliday, setNewHoliday] = useState('');

  function setDay(d: number, patch: Partial<DayRow>) {
    onChange({ ...value, days: { ...days, [d]: { ...days[d], ...patch } } });
  }

  function addHoliday() {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(newHoliday)) return;
    if (!holidays.includes(newHoliday)) onChange({ ...value, holidays: [...holidays, newHoliday].sort() });
    setNewHoliday('');
  }

  return (
    <section class="card form-section" aria-labelledby="sec-hours">
      <h2 id="sec-hours">{t('inboxes.hours')}</h2>
      <p class="muted small">{t('inboxes.hoursHint')}</p>
      <div class="radio-row" role="radiogroup" aria-label={t('inboxes.hours')}>
        <label class="radio">
          <input type="radio" name="hours-mode" checked={alwaysOpen} onChange={() => onChange({ ...value, alwaysOpen: true })} data-testid="inbox-always-open" />
          {t('inboxes.alwaysOpen')}
        </label>
        <label class="radio">
          <input type="radio" name="hours-mode" checked={!alwaysOpen} onChange={() => onChange({ ...value, alwaysOpen: false })} data-testid="inbox-custom-hours" />
          {t('inboxes.customHours')}
        </label>
      </div>
      {!alwaysOpen && (
        <table class="hours-table" data-testid="inbox-hours">
          <tbody>
            {DAYS.map((d) => {
              const row = days[d];
              const bad = row.open && row.to <= row.from;
              return (
                <tr key={d} class={row.open ? '' : 'is-closed'} data-day={d}>
                  <th scope="row">{weekdayName(d)}</th>
                  <td>
                    <label class="switch">
                      <input type="checkbox" checked={row.open} onChange={(e) => setDay(d, { open: e.currentTarget.checked })} data-testid={`inbox-day-${d}-open`} />
                      <span class="switch-track" aria-hidden="true" />
                      <span class="switch-label">{row.open ? t('inboxes.open') : t('inboxes.closed')}</span>
                    </label>
                  </td>
                  <td>
                    {row.open && (
                      <span class="time-range">
                        <input
                          type="time"
                          value={row.from}
                          onInput={(e) => setDay(d, { from: e.currentTarget.value })}
                          aria-label={`${weekdayName(d)} — ${t('inboxes.opensAt')}`}
                          data-testid={`inbox-day-${d}-from`}
                        />
                        <span aria-hidden="true">–</span>
                        <input
                          type="time"
                          value={row.to}
                          onInput={(e) => setDay(d, { to: e.currentTarget.value })}
                          aria-label={`${weekdayName(d)} — ${t('inboxes.closesAt')}`}
                          aria-invalid={bad ? 'true' : undefined}
                          data-testid={`inbox-day-${d}-to`}
                        />
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h3 class="subheading">{t('inboxes.holidays')}</h3>
      <p class="muted small">{t('inboxes.holidaysHint')}</p>
      <div class="inline-add">
        <input
          type="date"
          value={newHoliday}
          onInput={(e) => setNewHoliday(e.currentTarget.value)}
          onKeyDown={onEnter(addHoliday)}
          aria-label={t('inboxes.holidayDate')}
          data-testid="inbox-holiday-input"
        />
        <button type="button" class="btn btn-secondary btn-sm" onClick={addHoliday} disabled={!newHoliday} data-testid="inbox-holiday-add">
          {t('inboxes.addHoliday')}
        </button>
      </div>
      {holidays.length ? (
        <ul class="chips" data-testid="inbox-holidays">
          {holidays.map((h) => (
            <li key={h} class="chip">
              <span class="chip-name">{fmtIsoDate(h)}</span>
              <button type="button" class="chip-remove" onClick={() => onChange({ ...value, holidays: holidays.filter((x) => x !== h) })} aria-label={`${t('common.remove')} ${h}`}>
                <IconX size={12} />
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted small">{t('inboxes.noHolidays')}</p>
      )}
    </section>
  );
}

// ---- widget look -------------------------------------------------------------------

export const COLOR_RE = /^#[0-9a-f]{6}$/i;
const SWATCHES = ['#2563eb', '#4f46e5', '#0d9488', '#16a34a', '#ea580c', '#db2777', '#111827'];

/** `colorText` is the colour as typed: the look takes it once it is a valid #rrggbb. */
export const POPUP_MAX = 600;

export function WidgetSection({
  look,
  setLook,
  colorText,
  setColorText,
  previewLang,
  setPreviewLang,
  errors,
  clearError,
}: {
  look: WidgetLook;
  setLook: (l: WidgetLook) => void;
  colorText: string;
  setColorText: (c: string) => void;
  previewLang: Lang;
  setPreviewLang: (l: Lang) => void;
  errors: Record<string, string>;
  clearError: (path: string) => void;
}) {
  const popupOn = typeof look.popup_delay_s === 'number';
  // The seconds as typed (the look holds a number); kept when the pop-up is switched off and on.
  const [delayText, setDelayText] = useState(String(look.popup_delay_s ?? 30));
  const popupErr = errors['widget.popup_delay_s'];
  function onDelay(v: string) {
    setDelayText(v);
    clearError('widget.popup_delay_s');
    const n = Number(v);
    setLook({ ...look, popup_delay_s: v.trim() === '' || !Number.isFinite(n) ? NaN : n });
  }
  function onColorText(v: string) {
    setColorText(v);
    if (COLOR_RE.test(v)) setLook({ ...look, color: v.toLowerCase() });
  }

  return (
    <section class="card form-section" aria-labelledby="sec-widget">
      <h2 id="sec-widget">{t('inboxes.widget')}</h2>
      <div class="widget-editor">
        <div class="widget-fields">
          <div class="field">
            <label class="field-label" for="inbox-color-text">
              {t('inboxes.color')}
            </label>
            <span class="color-row">
              <input
                type="color"
                value={look.color}
                onInput={(e) => {
                  setLook({ ...look, color: e.currentTarget.value });
                  setColorText(e.currentTarget.value);
                }}
                aria-label={t('inboxes.color')}
                data-testid="inbox-color"
              />
              <input
                id="inbox-color-text"
                class="color-text"
                value={colorText}
                maxLength={7}
                onInput={(e) => onColorText(e.currentTarget.value)}
                aria-invalid={COLOR_RE.test(colorText) ? undefined : 'true'}
                data-testid="inbox-color-text"
              />
              {SWATCHES.map((c) => (
                <button
                  type="button"
                  key={c}
                  class={'swatch' + (look.color.toLowerCase() === c ? ' is-active' : '')}
                  style={{ background: c }}
                  aria-label={c}
                  onClick={() => {
                    setLook({ ...look, color: c });
                    setColorText(c);
                  }}
                />
              ))}
            </span>
          </div>
          <fieldset class="field">
            <legend class="field-label">{t('inboxes.position')}</legend>
            <div class="segmented">
              {(['left', 'right'] as const).map((p) => (
                <label key={p} class={'segmented-item' + (look.position === p ? ' is-active' : '')} data-testid={'inbox-position-' + p}>
                  <input
                    type="radio"
                    name="position"
                    class="sr-only"
                    checked={look.position === p}
                    onChange={() => setLook({ ...look, position: p })}
                  />
                  {t(p === 'left' ? 'inboxes.left' : 'inboxes.right')}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset class="field">
            <legend class="field-label">{t('inboxes.buttonStyle')}</legend>
            <div class="segmented">
              {(['bubble', 'tab', 'pill'] as ButtonStyle[]).map((b) => (
                <label key={b} class={'segmented-item' + (look.button_style === b ? ' is-active' : '')} data-testid={'inbox-style-' + b}>
                  <input
                    type="radio"
                    name="button_style"
                    class="sr-only"
                    checked={look.button_style === b}
                    onChange={() => setLook({ ...look, button_style: b })}
                  />
                  {t(`style.${b}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <label class="field">
            <span class="field-label">{t('inboxes.greeting')}</span>
            <textarea
              rows={2}
              maxLength={300}
              value={look.greeting}
              placeholder={t('inboxes.greetingPlaceholder')}
              onInput={(e) => setLook({ ...look, greeting: e.currentTarget.value })}
              data-testid="inbox-greeting"
            />
          </label>
          <label class="field">
            <span class="field-label">{t('inboxes.language')}</span>
            <select value={look.language} onChange={(e) => setLook({ ...look, language: e.currentTarget.value as WidgetLanguage })} data-testid="inbox-language">
              <option value="auto">{t('inboxes.langAuto')}</option>
              {languageOptions}
            </select>
          </label>
          <div class="field">
            <label class="checkbox">
              <input
                type="checkbox"
                checked={popupOn}
                onChange={(e) => {
                  clearError('widget.popup_delay_s');
                  setLook({ ...look, popup_delay_s: e.currentTarget.checked ? Number(delayText) || 0 : null });
                }}
                data-testid="inbox-popup-on"
              />
              {t('inboxes.popup')}
            </label>
            <span class="popup-row">
              <label for="inbox-popup-delay">{t('inboxes.popupAfter')}</label>
              <span class="popup-input">
                <input
                  id="inbox-popup-delay"
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={POPUP_MAX}
                  step={1}
                  class="popup-delay"
                  value={delayText}
                  disabled={!popupOn}
                  onInput={(e) => onDelay(e.currentTarget.value)}
                  aria-invalid={popupErr ? 'true' : undefined}
                  aria-describedby={'inbox-popup-hint' + (popupErr ? ' inbox-popup-err' : '')}
                  data-field="widget.popup_delay_s"
                  data-testid="inbox-popup-delay"
                />
                <span>{t('inboxes.popupSeconds')}</span>
              </span>
            </span>
            <span class="field-hint" id="inbox-popup-hint">
              {popupOn ? t('inboxes.popupHint') : t('inboxes.popupOff')}
            </span>
            <FieldError id="inbox-popup-err" error={popupErr} testid="inbox-popup-error" />
          </div>
        </div>
        <div class="widget-preview-col">
          <div class="preview-head">
            <span class="field-label" id="inbox-preview-label">
              {t('inboxes.preview')}
            </span>
            <label class="preview-lang">
              <span class="sr-only">{t('inboxes.previewLang')}</span>
              <select value={previewLang} onChange={(e) => setPreviewLang(e.currentTarget.value as Lang)} data-testid="inbox-preview-lang" aria-label={t('inboxes.previewLang')}>
                {languageOptions}
              </select>
            </label>
          </div>
          <WidgetPreview look={look} lang={previewLang} />
        </div>
      </div>
    </section>
  );
}

// ---- pre-chat form and topics ----------------------------------------------------------

export function PrechatSection({
  prechat,
  setPrechat,
  topics,
  setTopics,
  mode,
  setMode,
  errors,
}: {
  prechat: PrechatField[];
  setPrechat: (p: PrechatField[]) => void;
  topics: string[];
  setTopics: (t: string[]) => void;
  mode: PrechatMode;
  setMode: (m: PrechatMode) => void;
  errors: Record<string, string>;
}) {
  const modeErr = errors['widget.prechat_mode'];
  const [newTopic, setNewTopic] = useState('');

  function addTopic() {
    const v = newTopic.trim();
    if (!v) return;
    if (!topics.some((x) => x.toLowerCase() === v.toLowerCase())) setTopics([...topics, v]);
    setNewTopic('');
  }

  function moveTopic(i: number, dir: -1 | 1) {
    const j = i + dir;
    if (j < 0 || j >= topics.length) return;
    const next = topics.slice();
    [next[i], next[j]] = [next[j], next[i]];
    setTopics(next);
  }

  return (
    <section class="card form-section" aria-labelledby="sec-prechat">
      <h2 id="sec-prechat">{t('inboxes.prechat')}</h2>
      <p class="muted small">{t('inboxes.prechatHint')}</p>
      <div class="checkbox-row">
        {FIELDS.map((f) => (
          <label key={f} class="checkbox">
            <input
              type="checkbox"
              checked={prechat.includes(f)}
              onChange={(e) => setPrechat(e.currentTarget.checked ? [...prechat, f] : prechat.filter((x) => x !== f))}
              data-testid={'inbox-prechat-' + f}
            />
            {t(`field.${f}`)}
          </label>
        ))}
      </div>
      <fieldset class="field prechat-mode" aria-describedby={modeErr ? 'inbox-prechat-mode-err' : undefined} data-field="widget.prechat_mode">
        <legend class="field-label">{t('inboxes.prechatMode')}</legend>
        {(['before', 'progressive'] as const).map((m) => (
          <label key={m} class="radio-card" data-testid={'inbox-prechat-mode-' + m}>
            <input type="radio" name="prechat_mode" checked={mode === m} onChange={() => setMode(m)} aria-describedby={`prechat-mode-${m}-hint`} />
            <span>
              <span class="radio-card-title">{t(m === 'before' ? 'inboxes.prechatBefore' : 'inboxes.prechatProgressive')}</span>
              <span class="field-hint" id={`prechat-mode-${m}-hint`}>
                {t(m === 'before' ? 'inboxes.prechatBeforeHint' : 'inboxes.prechatProgressiveHint')}
              </span>
            </span>
          </label>
        ))}
        <FieldError id="inbox-prechat-mode-err" error={modeErr} testid="inbox-prechat-mode-error" />
      </fieldset>
      <h3 class="subheading">{t('inboxes.topics')}</h3>
      <p class="muted small">{t('inboxes.topicsHint')}</p>
      <div class="inline-add">
        <input
          value={newTopic}
          maxLength={60}
          placeholder={t('inboxes.topicPlaceholder')}
          onInput={(e) => setNewTopic(e.currentTarget.value)}
          onKeyDown={onEnter(addTopic)}
          aria-label={t('inboxes.topics')}
          data-testid="inbox-topic-input"
        />
        <button type="button" class="btn btn-secondary btn-sm" onClick={addTopic} disabled={!newTopic.trim()} data-testid="inbox-topic-add">
          {t('inboxes.addTopic')}
        </button>
      </div>
      {topics.length ? (
        <ul class="chips" data-testid="inbox-topics">
          {topics.map((tp, i) => (
            <li key={tp} class="chip">
              <button type="button" class="chip-move" onClick={() => moveTopic(i, -1)} disabled={i === 0} aria-label={`↑ ${tp}`}>
                ‹
              </button>
              <span class="chip-name">{tp}</span>
              <button type="button" class="chip-move" onClick={() => moveTopic(i, 1)} disabled={i === topics.length - 1} aria-label={`↓ ${tp}`}>
                ›
              </button>
              <button type="button" class="chip-remove" onClick={() => setTopics(topics.filter((x) => x !== tp))} aria-label={`${t('common.remove')} ${tp}`}>
                <IconX size={12} />
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted small">{t('inboxes.noTopics')}</p>
      )}
    </section>
  );
}

// ---- embed code --------------------------------------------------------------------

export function EmbedSection({ inbox }: { inbox: Inbox | null }) {
  return (
    <section class="card form-section" aria-labelledby="sec-embed">
      <h2 id="sec-embed">{t('inboxes.embed')}</h2>
      {inbox ? <EmbedSnippet inboxId={inbox.id} /> : <p class="muted small">{t('inboxes.embedSaveFirst')}</p>}
    </section>
  );
}

function fmtIsoDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  try {
    return new Intl.DateTimeFormat(document.documentElement.lang || 'en', { dateStyle: 'medium' }).format(new Date(y, m - 1, d, 12));
  } catch {
    return iso;
  }
}
