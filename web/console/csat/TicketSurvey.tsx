// Settings → Satisfaction survey → Solved tickets: whether a solved e-mail or
// offline-form ticket mails its customer a link to one of the workspace's
// surveys (Q2, console/surveys/), and which. PUT /settings/survey {tickets:
// {enabled, survey_id}}; a 422 on tickets.survey_id (none chosen, or a survey
// that no longer exists) is said under the select, in the console's language.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t } from '../i18n';
import { toast } from '../store';
import { ErrorNotice, FieldError, useSubmit } from '../components/Common';
import { formError } from '../admin/routingApi';
import { SurveyPicker } from './SurveyPicker';

export interface TicketSurveySettings {
  enabled: boolean;
  survey_id: number | null;
}

export function TicketSurvey({ initial }: { initial: TicketSurveySettings }) {
  const [value, setValue] = useState<TicketSurveySettings>(initial);
  const [dirty, setDirty] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const { busy, error, run } = useSubmit();

  const change = (p: Partial<TicketSurveySettings>) => {
    setValue((v) => ({ ...v, ...p }));
    setDirty(true);
    if ('survey_id' in p) setFields((f) => ({ ...f, 'tickets.survey_id': '' }));
  };

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
      <SurveyPicker
        prefix="ticket-survey"
        selectId="ticket-survey-id"
        label={t('survey.ticketsSurvey')}
        value={value.survey_id}
        disabled={!value.enabled}
        onChange={(id) => change({ survey_id: id })}
        usable={(s) => s.status === 'active'}
        staleLabel={(chosen) => (chosen ? t('survey.ticketsArchived', { name: chosen.name }) : t('survey.ticketsDeleted'))}
        staleId="ticket-survey-archived"
        staleHint={(chosen) => (chosen ? t('survey.ticketsArchivedHint') : null)}
        describedBy="ticket-survey-hint"
        none={t('survey.ticketsNone')}
        error={idError}
      />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="ticket-survey-save">
          {busy ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
