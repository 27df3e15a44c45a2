// Settings → Satisfaction survey → Solved tickets: whether a solved e-mail or
// offline-form ticket mails its customer a link to one of the workspace's
// surveys (Q2, console/surveys/), and which. PUT /settings/survey {tickets:
// {enabled, survey_id}}; a 422 on tickets.survey_id (none chosen, or a survey
// that no longer exists) is said under the select, in the console's language.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t } from '../i18n';
import { errorText, navigate, toast } from '../store';
import { ErrorNotice, FieldError, useSubmit } from '../components/Common';
import { formError } from '../admin/routingApi';
import { listSurveys, noEndpoint, type Survey } from '../surveys/surveysApi';

export interface TicketSurveySettings {
  enabled: boolean;
  survey_id: number | null;
}

export function TicketSurvey({ initial }: { initial: TicketSurveySettings }) {
  const [value, setValue] = useState<TicketSurveySettings>(initial);
  const [dirty, setDirty] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [surveys, setSurveys] = useState<Survey[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  useEffect(() => {
    const ac = new AbortController();
    listSurveys(ac.signal)
      .then(setSurveys)
      .catch((err) => {
        if (ac.signal.aborted) return;
        setSurveys([]);
        if (!noEndpoint(err) && !(err instanceof ApiError && err.status === 401)) setListError(errorText(err));
      });
    return () => ac.abort();
  }, []);

  const change = (p: Partial<TicketSurveySettings>) => {
    setValue((v) => ({ ...v, ...p }));
    setDirty(true);
    if ('survey_id' in p) setFields((f) => ({ ...f, 'tickets.survey_id': '' }));
  };

  const active = (surveys ?? []).filter((s) => s.status === 'active');
  const chosen = value.survey_id == null ? null : (surveys ?? []).find((s) => s.id === value.survey_id) ?? null;
  /** The chosen survey is still in the list though it is not active (archived) or gone (deleted). */
  const stale = value.survey_id != null && surveys != null && (!chosen || chosen.status !== 'active');

  async function save(e: Event) {
    e.preventDefault();
    setFields({});
    await run(
      async () => {
        const r = await api.put<{ tickets: TicketSurveySettings }>('/settings/survey', { tickets: value });
        if (r.tickets) setValue(r.tickets);
        setDirty(false);
        toast(t('survey.saved'), 'success');
      },
      (err) => {
        if (err instanceof ApiError && err.status === 422) {
          const f: Record<string, string> = { ...(err.data?.error?.fields ?? {}) };
          // The server's words are English: the two refusals it can give said in the console's language.
          if (f['tickets.survey_id']) f['tickets.survey_id'] = t(value.survey_id == null ? 'survey.ticketsRequired' : 'survey.ticketsUnknown');
          setFields(f);
          requestAnimationFrame(() => (document.getElementById('ticket-survey-id') ?? document.querySelector<HTMLElement>('[data-testid="ticket-survey-create"]'))?.focus());
          return t('survey.invalid');
        }
        return formError(err);
      },
    );
  }

  const idError = fields['tickets.survey_id'] || fields['tickets'];
  const hasSelect = surveys != null && (active.length > 0 || stale);
  const describedBy = ['ticket-survey-hint', stale && chosen ? 'ticket-survey-archived' : '', idError ? 'ticket-survey-id-error' : ''].filter(Boolean).join(' ');

  return (
    <form class="card form-section survey-form" onSubmit={save} aria-labelledby="survey-sec-tickets" noValidate data-testid="ticket-survey-form">
      <h2 id="survey-sec-tickets">{t('survey.tickets')}</h2>
      <p class="muted" id="ticket-survey-hint">
        {t('survey.ticketsHint')}
      </p>
      <ErrorNotice error={error} testid="ticket-survey-error" />
      <label class="switch">
        <input type="checkbox" checked={value.enabled} onChange={(e) => change({ enabled: e.currentTarget.checked })} aria-describedby="ticket-survey-hint" data-testid="ticket-survey-enabled" />
        <span class="switch-track" aria-hidden="true" />
        <span class="switch-label">{t('survey.ticketsEnabled')}</span>
      </label>
      <FieldError id="ticket-survey-enabled-error" error={fields['tickets.enabled']} />
      <div class="field ticket-survey-field">
        {hasSelect ? (
          <label class="field-label" for="ticket-survey-id">
            {t('survey.ticketsSurvey')}
          </label>
        ) : (
          <span class="field-label">{t('survey.ticketsSurvey')}</span>
        )}
        {!surveys ? (
          <p class="muted small">{t('common.loading')}</p>
        ) : (
          <>
            {hasSelect && (
              <select
                id="ticket-survey-id"
                value={value.survey_id == null ? '' : String(value.survey_id)}
                disabled={!value.enabled}
                onChange={(e) => change({ survey_id: e.currentTarget.value ? Number(e.currentTarget.value) : null })}
                aria-invalid={idError ? 'true' : undefined}
                aria-describedby={describedBy}
                data-testid="ticket-survey-id"
              >
                <option value="">{t('survey.ticketsChoose')}</option>
                {active.map((s) => (
                  <option key={s.id} value={String(s.id)}>
                    {s.name}
                  </option>
                ))}
                {stale && <option value={String(value.survey_id)}>{chosen ? t('survey.ticketsArchived', { name: chosen.name }) : t('survey.ticketsDeleted')}</option>}
              </select>
            )}
            {active.length === 0 && (
              <p class="ticket-survey-empty" data-testid="ticket-survey-empty">
                <span>{t('survey.ticketsNone')}</span>{' '}
                <a
                  href="/console/settings/surveys"
                  onClick={(e) => {
                    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
                    e.preventDefault();
                    navigate({ section: 'settings', tab: 'surveys', inboxId: null });
                  }}
                  data-testid="ticket-survey-create"
                >
                  {t('survey.ticketsCreate')}
                </a>
              </p>
            )}
            {stale && chosen && (
              <span id="ticket-survey-archived" class="field-hint">
                {t('survey.ticketsArchivedHint')}
              </span>
            )}
          </>
        )}
        <ErrorNotice error={listError} />
        <FieldError id="ticket-survey-id-error" error={idError} testid="ticket-survey-id-error" />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="ticket-survey-save">
          {busy ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
