import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { getState } from '../store';
import { LANGS, t, type Lang } from '../i18n';
import { errorText, toast } from '../store';
import type { Inbox, PrechatField, WidgetLook } from '../types';
import { ErrorNotice, SettingsHeader, useSubmit } from '../components/Common';
import { InboxRoutingSection, routingForm, routingFromForm, routingOf } from './InboxRouting';
import {
  COLOR_RE,
  DEFAULT_LOOK,
  EmbedSection,
  FIELDS,
  GeneralSection,
  generalForm,
  HoursSection,
  hoursBody,
  hoursError,
  hoursForm,
  POPUP_MAX,
  PrechatSection,
  validZone,
  WidgetSection,
  zoneOf,
} from './InboxSections';
import type { InboxRouting } from './routingTypes';
import { TranslationsSection, translationErrorField, translationsBody } from './WidgetTranslations';

/** The widget fields a 400 can name (the message starts with the field's path). */
const WIDGET_FIELDS = ['widget.popup_delay_s', 'widget.prechat_mode'];

/** The inbox editor: its sections (InboxSections.tsx, InboxRouting.tsx) and one save for all of them. */
export function InboxForm({ inbox, onSaved }: { inbox: Inbox | null; onSaved: (i: Inbox, created: boolean) => void }) {
  const isNew = !inbox;
  const [general, setGeneral] = useState(() => generalForm(inbox));
  const [hours, setHours] = useState(() => hoursForm(inbox));
  const [look, setLook] = useState<WidgetLook>({ ...DEFAULT_LOOK, greeting: t('inboxes.greetingPlaceholder'), ...(inbox?.widget ?? {}) });
  const [colorText, setColorText] = useState(look.color);
  const [prechat, setPrechat] = useState<PrechatField[]>(inbox?.prechat_fields ?? ['name', 'email']);
  const [topics, setTopics] = useState<string[]>(inbox?.topics ?? []);
  const [routing, setRouting] = useState(() => routingForm(routingOf(inbox as { routing?: InboxRouting } | null)));
  const [routingError, setRoutingError] = useState<string | null>(null);
  // The language of the translation tab and of the preview: the console's own to start with.
  const [trLang, setTrLang] = useState<Lang>(() => {
    const l = getState().lang as Lang;
    return LANGS.some((x) => x.code === l) ? l : 'en';
  });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const focusField = useRef<string | null>(null);
  const clearError = (path: string) =>
    setFieldErrors((e) => {
      if (!(path in e)) return e;
      const next = { ...e };
      delete next[path];
      return next;
    });
  /** A refusal said at its field (the tab switched to its language); true when one was found. */
  function atField(message: string): boolean {
    const tr = translationErrorField(message, topics);
    const path = tr?.path ?? WIDGET_FIELDS.find((f) => message.startsWith(f));
    if (!path) return false;
    if (tr) setTrLang(tr.lang);
    setFieldErrors({ [path]: message });
    focusField.current = path;
    return true;
  }
  const { busy, error, setError, run } = useSubmit((err) => {
    const bad = err instanceof ApiError && err.status === 400;
    if (bad && err.message.startsWith('routing')) setRoutingError(err.message);
    if (bad && atField(err.message)) return t('inboxes.fixMarked');
    return bad ? err.message : errorText(err);
  });

  // After a refusal is shown: its field (or its group) gets the focus and comes into view.
  useEffect(() => {
    const path = focusField.current;
    if (!path) return;
    focusField.current = null;
    const el = document.querySelector<HTMLElement>(`[data-field="${CSS.escape(path)}"]`);
    const target = el?.matches('input, textarea, select') ? el : el?.querySelector<HTMLElement>('input:checked, input') ?? document.getElementById('wt-own-err');
    target?.focus({ preventScroll: true });
    target?.scrollIntoView({ block: 'center' });
  }, [fieldErrors]);
  const nameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (isNew) nameRef.current?.focus();
  }, []);

  function validate(): string | null {
    if (!general.name.trim()) return t('inboxes.name') + ': ' + t('common.required');
    if (!validZone(zoneOf(general))) return t('inboxes.timezoneInvalid');
    const h = hoursError(hours);
    if (h) return h;
    if (!COLOR_RE.test(colorText)) return t('inboxes.colorInvalid');
    const d = look.popup_delay_s;
    if (typeof d === 'number' && !(Number.isInteger(d) && d >= 0 && d <= POPUP_MAX)) {
      setFieldErrors({ 'widget.popup_delay_s': t('inboxes.popupInvalid', { max: POPUP_MAX }) });
      focusField.current = 'widget.popup_delay_s';
      return t('inboxes.fixMarked');
    }
    return null;
  }

  async function submit(e: Event) {
    e.preventDefault();
    setFieldErrors({});
    const v = validate();
    if (v) {
      setError(v);
      return;
    }
    setFieldErrors({});
    const rr = routingFromForm(routing);
    setRoutingError(rr.error ?? null);
    if (rr.error) {
      setError(rr.error);
      return;
    }
    const body = {
      name: general.name.trim(),
      timezone: zoneOf(general),
      business_hours: hoursBody(hours),
      widget: {
        ...look,
        greeting: look.greeting.trim(),
        translations: translationsBody(look.translations, topics),
        prechat_mode: look.prechat_mode ?? 'before',
        popup_delay_s: typeof look.popup_delay_s === 'number' ? look.popup_delay_s : null,
      },
      prechat_fields: FIELDS.filter((f) => prechat.includes(f)),
      topics,
      routing: rr.routing,
    };
    await run(async () => {
      const saved = isNew ? await api.post<Inbox>('/inboxes', body) : await api.patch<Inbox>(`/inboxes/${inbox!.id}`, body);
      toast(isNew ? t('inboxes.created', { name: saved.name }) : t('inboxes.saved', { name: saved.name }), 'success');
      onSaved(saved, isNew);
    });
  }

  return (
    <form class="inbox-form" onSubmit={submit} data-testid="inbox-form" noValidate>
      <SettingsHeader
        title={isNew ? t('inboxes.newTitle') : inbox!.name}
        small
        subtitle={
          inbox?.public_key && (
            <>
              {t('inboxes.publicKey')}: <code>{inbox.public_key}</code>
            </>
          )
        }
      />
      <ErrorNotice error={error} testid="inbox-error" />
      <GeneralSection value={general} onChange={setGeneral} nameRef={nameRef} />
      <HoursSection value={hours} onChange={setHours} />
      <WidgetSection
        look={look}
        setLook={setLook}
        colorText={colorText}
        setColorText={setColorText}
        previewLang={trLang}
        setPreviewLang={setTrLang}
        errors={fieldErrors}
        clearError={clearError}
      />
      <PrechatSection
        prechat={prechat}
        setPrechat={setPrechat}
        topics={topics}
        setTopics={setTopics}
        mode={look.prechat_mode ?? 'before'}
        setMode={(m) => {
          clearError('widget.prechat_mode');
          setLook({ ...look, prechat_mode: m });
        }}
        errors={fieldErrors}
      />
      <TranslationsSection look={look} setLook={setLook} topics={topics} lang={trLang} onLang={setTrLang} errors={fieldErrors} clearError={clearError} />
      <InboxRoutingSection value={routing} onChange={setRouting} error={routingError} topics={topics} />
      <EmbedSection inbox={inbox} />
      <footer class="form-actions form-actions-sticky">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="inbox-save">
          {busy ? t('common.saving') : isNew ? t('common.create') : t('common.save')}
        </button>
      </footer>
    </form>
  );
}
