// Settings → Satisfaction survey → NPS in the chat widget: whether the widget asks the
// customer a survey's NPS question once a chat has ended, which survey (only those with
// an NPS question), and how often one customer may be asked (every_days, 1 to 365).
// PUT /settings/survey {widget_nps: {enabled, survey_id, every_days}}; a 422 on
// widget_nps.survey_id or widget_nps.every_days is said under its field in the console's
// language, which takes the focus.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t } from '../i18n';
import { toast } from '../store';
import { ErrorNotice, FieldError, useSubmit } from '../components/Common';
import { formError } from '../admin/routingApi';
import type { Survey } from '../surveys/surveysApi';
import { SurveyPicker } from './SurveyPicker';

export interface WidgetNpsSettings {
  enabled: boolean;
  survey_id: number | null;
  every_days: number;
}

const hasNps = (s: Survey) => s.questions.some((q) => q.type === 'nps');
const DAYS_MIN = 1;
const DAYS_MAX = 365;

/** The server's refusal of the survey, in the console's language. */
function surveyError(message: string): string {
  if (/required/i.test(message)) return t('survey.npsRequired');
  if (/no nps/i.test(message)) return t('survey.npsNoQuestion');
  if (/no such/i.test(message)) return t('survey.ticketsUnknown');
  return message.charAt(0).toUpperCase() + message.slice(1);
}

export function WidgetNps({ initial }: { initial: WidgetNpsSettings }) {
  const [value, setValue] = useState<WidgetNpsSettings>(initial);
  const [days, setDays] = useState(String(initial.every_days ?? 90));
  const [dirty, setDirty] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const { busy, error, run } = useSubmit();

  const change = (p: Partial<WidgetNpsSettings>, ...clear: string[]) => {
    setValue((v) => ({ ...v, ...p }));
    setDirty(true);
    if (clear.length) setFields((f) => Object.fromEntries(Object.entries(f).filter(([k]) => !clear.includes(k))));
  };

  async function save(e: Event) {
    e.preventDefault();
    const n = Number(days.trim());
    if (!/^\d+$/.test(days.trim()) || n < DAYS_MIN || n > DAYS_MAX) {
      setFields({ 'widget_nps.every_days': t('survey.npsDaysRange', { min: DAYS_MIN, max: DAYS_MAX }) });
      requestAnimationFrame(() => document.getElementById('widget-nps-days')?.focus());
      return;
    }
    setFields({});
    const body = { ...value, every_days: n };
    await run(
      async () => {
        const r = await api.put<{ widget_nps?: WidgetNpsSettings }>('/settings/survey', { widget_nps: body });
        const saved = r.widget_nps ?? body;
        setValue(saved);
        setDays(String(saved.every_days));
        setDirty(false);
        toast(t('survey.saved'), 'success');
      },
      (err) => {
        if (err instanceof ApiError && err.status === 422) {
          const f: Record<string, string> = { ...(err.data?.error?.fields ?? {}) };
          // The server's words are English: said in the console's language.
          if (f['widget_nps.survey_id']) f['widget_nps.survey_id'] = surveyError(f['widget_nps.survey_id']);
          if (f['widget_nps.every_days']) f['widget_nps.every_days'] = t('survey.npsDaysRange', { min: DAYS_MIN, max: DAYS_MAX });
          setFields(f);
          requestAnimationFrame(() => {
            const target = f['widget_nps.every_days'] && !f['widget_nps.survey_id'] ? 'widget-nps-days' : 'widget-nps-survey';
            (document.getElementById(target) ?? document.querySelector<HTMLElement>('[data-testid="widget-nps-create"]'))?.focus();
          });
          return t('survey.invalid');
        }
        return formError(err);
      },
    );
  }

  const idError = fields['widget_nps.survey_id'] || fields['widget_nps'];
  const daysError = fields['widget_nps.every_days'];
  const [before, after] = t('survey.npsEvery').split('{n}');

  return (
    <form class="card form-section survey-form" onSubmit={save} aria-labelledby="survey-sec-widget-nps" noValidate data-testid="widget-nps-form">
      <h2 id="survey-sec-widget-nps">{t('survey.npsTitle')}</h2>
      <p class="muted" id="widget-nps-hint">
        {t('survey.npsHint')}
      </p>
      <ErrorNotice error={error} testid="widget-nps-error" />
      <label class="switch">
        <input type="checkbox" checked={value.enabled} onChange={(e) => change({ enabled: e.currentTarget.checked }, 'widget_nps.survey_id')} aria-describedby="widget-nps-hint" data-testid="widget-nps-enabled" />
        <span class="switch-track" aria-hidden="true" />
        <span class="switch-label">{t('survey.npsEnabled')}</span>
      </label>
      <FieldError id="widget-nps-enabled-error" error={fields['widget_nps.enabled']} />

      <SurveyPicker
        prefix="widget-nps"
        selectId="widget-nps-survey"
        label={t('survey.npsSurvey')}
        value={value.survey_id}
        disabled={!value.enabled}
        onChange={(id) => change({ survey_id: id }, 'widget_nps.survey_id')}
        usable={(s) => s.status === 'active' && hasNps(s)}
        staleLabel={(chosen) =>
          !chosen ? t('survey.ticketsDeleted') : chosen.status !== 'active' ? t('survey.ticketsArchived', { name: chosen.name }) : t('survey.npsWithout', { name: chosen.name })
        }
        staleId="widget-nps-stale"
        staleHint={() => t('survey.npsStaleHint')}
        hint={t('survey.npsSurveyHint')}
        none={t('survey.npsNone')}
        error={idError}
      />

      <div class="field widget-nps-days-field">
        <label class="widget-nps-days" for="widget-nps-days">
          <span>{before.trim()}</span>
          <input
            id="widget-nps-days"
            type="number"
            inputMode="numeric"
            min={DAYS_MIN}
            max={DAYS_MAX}
            step={1}
            value={days}
            disabled={!value.enabled}
            onInput={(e) => {
              setDays(e.currentTarget.value);
              setDirty(true);
              setFields((f) => Object.fromEntries(Object.entries(f).filter(([k]) => k !== 'widget_nps.every_days')));
            }}
            aria-invalid={daysError ? 'true' : undefined}
            aria-describedby={'widget-nps-days-hint' + (daysError ? ' widget-nps-days-error' : '')}
            data-testid="widget-nps-days"
          />
          {after?.trim() && <span>{after.trim()}</span>}
        </label>
        <span class="field-hint" id="widget-nps-days-hint">
          {t('survey.npsEveryHint', { min: DAYS_MIN, max: DAYS_MAX })}
        </span>
        <FieldError id="widget-nps-days-error" error={daysError} testid="widget-nps-days-error" />
      </div>

      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="widget-nps-save">
          {busy ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
