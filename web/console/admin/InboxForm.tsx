import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t } from '../i18n';
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
  PrechatSection,
  validZone,
  WidgetSection,
  zoneOf,
} from './InboxSections';
import type { InboxRouting } from './routingTypes';

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
  const { busy, error, setError, run } = useSubmit((err) => {
    const bad = err instanceof ApiError && err.status === 400;
    if (bad && err.message.startsWith('routing')) setRoutingError(err.message);
    return bad ? err.message : errorText(err);
  });
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
    const body = {
      name: general.name.trim(),
      timezone: zoneOf(general),
      business_hours: hoursBody(hours),
      widget: { ...look, greeting: look.greeting.trim() },
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
      <WidgetSection look={look} setLook={setLook} colorText={colorText} setColorText={setColorText} />
      <PrechatSection prechat={prechat} setPrechat={setPrechat} topics={topics} setTopics={setTopics} />
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
