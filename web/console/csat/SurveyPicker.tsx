// The survey select of the satisfaction settings (solved tickets, NPS in the widget): the
// workspace's surveys that can be used, the chosen one marked when it no longer can
// (archived, deleted, …), a link to create one when there is none, and the field's error.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { t } from '../i18n';
import { errorText, navigate } from '../store';
import { ErrorNotice, FieldError } from '../components/Common';
import { listSurveys, noEndpoint, type Survey } from '../surveys/surveysApi';

/** The workspace's surveys (null while loading; [] when the list cannot be had), and why not. */
function useSurveys(): [Survey[] | null, string | null] {
  const [surveys, setSurveys] = useState<Survey[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
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
  return [surveys, listError];
}

export function SurveyPicker({
  prefix,
  selectId,
  label,
  value,
  disabled,
  onChange,
  usable,
  staleLabel,
  staleId,
  staleHint,
  hint,
  describedBy,
  none,
  error,
}: {
  /** Of the test ids: `${prefix}-empty`, `${prefix}-create`. */
  prefix: string;
  /** The select's id and test id; its error is `${selectId}-error`, its hint `${selectId}-hint`. */
  selectId: string;
  label: string;
  value: number | null;
  disabled: boolean;
  onChange: (id: number | null) => void;
  /** Whether a survey can be chosen here. */
  usable: (s: Survey) => boolean;
  /** The chosen survey's option when it can no longer be used (`chosen` null: deleted). */
  staleLabel: (chosen: Survey | null) => string;
  staleId: string;
  /** Said under the select for a stale choice (null: not said when `chosen` is null, i.e. deleted). */
  staleHint: (chosen: Survey | null) => string | null;
  hint?: string;
  /** Other ids describing the select (the section's hint). */
  describedBy?: string;
  /** Said when no survey can be chosen, with the link to create one. */
  none: string;
  error?: string;
}) {
  const [surveys, listError] = useSurveys();
  const choices = (surveys ?? []).filter(usable);
  const chosen = value == null ? null : (surveys ?? []).find((s) => s.id === value) ?? null;
  /** The chosen survey can no longer be used: archived, changed, or deleted. */
  const stale = value != null && surveys != null && (!chosen || !usable(chosen));
  const staleText = stale ? staleHint(chosen) : null;
  const hasSelect = surveys != null && (choices.length > 0 || stale);
  const errorId = `${selectId}-error`;
  const hintId = `${selectId}-hint`;
  const described = [describedBy ?? '', hint ? hintId : '', staleText ? staleId : '', error ? errorId : ''].filter(Boolean).join(' ');

  return (
    <div class="field ticket-survey-field">
      {hasSelect ? (
        <label class="field-label" for={selectId}>
          {label}
        </label>
      ) : (
        <span class="field-label">{label}</span>
      )}
      {!surveys ? (
        <p class="muted small">{t('common.loading')}</p>
      ) : (
        <>
          {hasSelect && (
            <select
              id={selectId}
              value={value == null ? '' : String(value)}
              disabled={disabled}
              onChange={(e) => onChange(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={described || undefined}
              data-testid={selectId}
            >
              <option value="">{t('survey.ticketsChoose')}</option>
              {choices.map((s) => (
                <option key={s.id} value={String(s.id)}>
                  {s.name}
                </option>
              ))}
              {stale && <option value={String(value)}>{staleLabel(chosen)}</option>}
            </select>
          )}
          {hint && (
            <span class="field-hint" id={hintId}>
              {hint}
            </span>
          )}
          {choices.length === 0 && (
            <p class="ticket-survey-empty" data-testid={`${prefix}-empty`}>
              <span>{none}</span>{' '}
              <a
                href="/console/settings/surveys"
                onClick={(e) => {
                  if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
                  e.preventDefault();
                  navigate({ section: 'settings', tab: 'surveys', inboxId: null });
                }}
                data-testid={`${prefix}-create`}
              >
                {t('survey.ticketsCreate')}
              </a>
            </p>
          )}
          {staleText && (
            <span id={staleId} class="field-hint">
              {staleText}
            </span>
          )}
        </>
      )}
      <ErrorNotice error={listError} />
      <FieldError id={errorId} error={error} testid={errorId} />
    </div>
  );
}
