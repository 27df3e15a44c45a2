import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t, weekdayName } from '../i18n';
import { errorText, toast } from '../store';
import type { ButtonStyle, Hours, HoursRange, Inbox, PrechatField, WidgetLanguage, WidgetLook } from '../types';
import { IconX } from '../components/Icons';
import { EmbedSnippet } from './EmbedSnippet';
import { WidgetPreview } from './WidgetPreview';
import { InboxRoutingSection, routingForm, routingFromForm, routingOf } from './InboxRouting';
import type { InboxRouting } from './routingTypes';

const COMMON_ZONES = [
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

const OTHER = '__other__';
const FIELDS: PrechatField[] = ['name', 'email', 'topic'];
// Monday first in the editor; the wire format keeps 0 = Sunday.
const DAYS = [1, 2, 3, 4, 5, 6, 0];
const LANGUAGES: { code: WidgetLanguage; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'it', name: 'Italiano' },
  { code: 'ru', name: 'Русский' },
  { code: 'hu', name: 'Magyar' },
  { code: 'pl', name: 'Polski' },
];

export function validZone(z: string): boolean {
  if (!z) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: z });
    return true;
  } catch {
    return false;
  }
}

function defaultZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

const DEFAULT_LOOK: WidgetLook = {
  color: '#2563eb',
  position: 'right',
  greeting: '',
  language: 'auto',
  button_style: 'bubble',
};

interface DayRow {
  open: boolean;
  from: string;
  to: string;
}

function daysFrom(h: Hours | undefined): Record<number, DayRow> {
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

export function InboxForm({ inbox, onSaved }: { inbox: Inbox | null; onSaved: (i: Inbox, created: boolean) => void }) {
  const isNew = !inbox;
  const [name, setName] = useState(inbox?.name ?? '');
  const initialZone = inbox?.timezone || defaultZone();
  const [zoneChoice, setZoneChoice] = useState(COMMON_ZONES.includes(initialZone) ? initialZone : OTHER);
  const [zoneText, setZoneText] = useState(COMMON_ZONES.includes(initialZone) ? '' : initialZone);
  const [alwaysOpen, setAlwaysOpen] = useState(inbox ? !inbox.business_hours?.weekly?.length : false);
  const [days, setDays] = useState<Record<number, DayRow>>(() => daysFrom(inbox?.business_hours));
  const [holidays, setHolidays] = useState<string[]>(inbox?.business_hours?.holidays ?? []);
  const [newHoliday, setNewHoliday] = useState('');
  const [look, setLook] = useState<WidgetLook>({ ...DEFAULT_LOOK, greeting: t('inboxes.greetingPlaceholder'), ...(inbox?.widget ?? {}) });
  const [colorText, setColorText] = useState(look.color);
  const [prechat, setPrechat] = useState<PrechatField[]>(inbox?.prechat_fields ?? ['name', 'email']);
  const [topics, setTopics] = useState<string[]>(inbox?.topics ?? []);
  const [newTopic, setNewTopic] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [routing, setRouting] = useState(() => routingForm(routingOf(inbox as { routing?: InboxRouting } | null)));
  const [routingError, setRoutingError] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (isNew) nameRef.current?.focus();
  }, []);

  const zone = zoneChoice === OTHER ? zoneText.trim() : zoneChoice;
  const zoneOk = validZone(zone);

  function setDay(d: number, patch: Partial<DayRow>) {
    setDays((ds) => ({ ...ds, [d]: { ...ds[d], ...patch } }));
  }

  function addHoliday() {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(newHoliday)) return;
    if (!holidays.includes(newHoliday)) setHolidays([...holidays, newHoliday].sort());
    setNewHoliday('');
  }

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

  function onColorText(v: string) {
    setColorText(v);
    if (/^#[0-9a-f]{6}$/i.test(v)) setLook({ ...look, color: v.toLowerCase() });
  }

  function validate(): string | null {
    if (!name.trim()) return t('inboxes.name') + ': ' + t('common.required');
    if (!zoneOk) return t('inboxes.timezoneInvalid');
    if (!alwaysOpen) {
      const open = DAYS.filter((d) => days[d].open);
      if (!open.length) return t('inboxes.noOpenDays');
      for (const d of open) {
        if (!days[d].from || !days[d].to || days[d].to <= days[d].from) return t('inboxes.badRange', { day: weekdayName(d) });
      }
    }
    if (!/^#[0-9a-f]{6}$/i.test(colorText)) return t('inboxes.colorInvalid');
    return null;
  }

  async function submit(e: Event) {
    e.preventDefault();
    const v = validate();
    if (v) {
      setError(v);
      return;
    }
    const rr = routingFromForm(routing);
    setRoutingError(rr.error ?? null);
    if (rr.error) {
      setError(rr.error);
      return;
    }
    setError(null);
    const weekly: HoursRange[] = alwaysOpen
      ? []
      : [0, 1, 2, 3, 4, 5, 6].filter((d) => days[d].open).map((d) => ({ day: d, open: days[d].from, close: days[d].to }));
    const body = {
      name: name.trim(),
      timezone: zone,
      business_hours: { weekly, holidays },
      widget: { ...look, greeting: look.greeting.trim() },
      prechat_fields: FIELDS.filter((f) => prechat.includes(f)),
      topics,
      routing: rr.routing,
    };
    setBusy(true);
    try {
      const saved = isNew ? await api.post<Inbox>('/inboxes', body) : await api.patch<Inbox>(`/inboxes/${inbox!.id}`, body);
      toast(isNew ? t('inboxes.created', { name: saved.name }) : t('inboxes.saved', { name: saved.name }), 'success');
      onSaved(saved, isNew);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 400 ? err.message : errorText(err));
      if (err instanceof ApiError && err.status === 400 && err.message.startsWith('routing')) setRoutingError(err.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="inbox-form" onSubmit={submit} data-testid="inbox-form" noValidate>
      <header class="settings-header">
        <div>
          <h1>{isNew ? t('inboxes.newTitle') : inbox!.name}</h1>
          {inbox?.public_key && (
            <p class="muted small">
              {t('inboxes.publicKey')}: <code>{inbox.public_key}</code>
            </p>
          )}
        </div>
      </header>

      {error && (
        <p class="notice notice-error" role="alert" data-testid="inbox-error">
          {error}
        </p>
      )}

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

      <section class="card form-section" aria-labelledby="sec-hours">
        <h2 id="sec-hours">{t('inboxes.hours')}</h2>
        <p class="muted small">{t('inboxes.hoursHint')}</p>
        <div class="radio-row" role="radiogroup" aria-label={t('inboxes.hours')}>
          <label class="radio">
            <input type="radio" name="hours-mode" checked={alwaysOpen} onChange={() => setAlwaysOpen(true)} data-testid="inbox-always-open" />
            {t('inboxes.alwaysOpen')}
          </label>
          <label class="radio">
            <input type="radio" name="hours-mode" checked={!alwaysOpen} onChange={() => setAlwaysOpen(false)} data-testid="inbox-custom-hours" />
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
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                addHoliday();
              }
            }}
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
                <button type="button" class="chip-remove" onClick={() => setHolidays(holidays.filter((x) => x !== h))} aria-label={`${t('common.remove')} ${h}`}>
                  <IconX size={12} />
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted small">{t('inboxes.noHolidays')}</p>
        )}
      </section>

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
                  aria-invalid={/^#[0-9a-f]{6}$/i.test(colorText) ? undefined : 'true'}
                  data-testid="inbox-color-text"
                />
                {['#2563eb', '#4f46e5', '#0d9488', '#16a34a', '#ea580c', '#db2777', '#111827'].map((c) => (
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
                    {t(('style.' + b) as 'style.bubble')}
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
                {LANGUAGES.map((l) => (
                  <option key={l.code} value={l.code}>
                    {l.name}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div class="widget-preview-col">
            <span class="field-label">{t('inboxes.preview')}</span>
            <WidgetPreview look={look} />
          </div>
        </div>
      </section>

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
              {t(('field.' + f) as 'field.name')}
            </label>
          ))}
        </div>
        <h3 class="subheading">{t('inboxes.topics')}</h3>
        <p class="muted small">{t('inboxes.topicsHint')}</p>
        <div class="inline-add">
          <input
            value={newTopic}
            maxLength={60}
            placeholder={t('inboxes.topicPlaceholder')}
            onInput={(e) => setNewTopic(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                addTopic();
              }
            }}
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

      <InboxRoutingSection value={routing} onChange={setRouting} error={routingError} topics={topics} />

      <section class="card form-section" aria-labelledby="sec-embed">
        <h2 id="sec-embed">{t('inboxes.embed')}</h2>
        {inbox ? <EmbedSnippet inboxId={inbox.id} /> : <p class="muted small">{t('inboxes.embedSaveFirst')}</p>}
      </section>

      <footer class="form-actions form-actions-sticky">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="inbox-save">
          {busy ? t('common.saving') : isNew ? t('common.create') : t('common.save')}
        </button>
      </footer>
    </form>
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
