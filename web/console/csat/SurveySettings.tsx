// Settings → Satisfaction survey: whether the widget asks for a rating when a
// chat ends, on which scale (1-3, as seed 004 asks; 1-5 stars; thumbs) and
// whether the customer may add a comment. GET/PUT /settings/survey; a 422 names
// the field (chat.scale...), shown under it. Below it, solved tickets' e-mailed
// survey (TicketSurvey.tsx) and the widget's NPS question after a chat (WidgetNps.tsx).
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t, type StringKey } from '../i18n';
import { errorText, toast } from '../store';
import { ErrorNotice, FieldError, SettingsHeader, useSubmit } from '../components/Common';
import { formError } from '../admin/routingApi';
import { IconThumbDown, IconThumbUp } from '../components/Icons';
import { TicketSurvey, type TicketSurveySettings } from './TicketSurvey';
import { WidgetNps, type WidgetNpsSettings } from './WidgetNps';
import './csat.css';

export interface ChatSurvey {
  enabled: boolean;
  scale: '3' | '5' | 'thumbs';
  comment: boolean;
}

const SCALES: { scale: ChatSurvey['scale']; label: StringKey; hint: StringKey; sample: ComponentChildren }[] = [
  { scale: '3', label: 'survey.scale3', hint: 'survey.scale3Hint', sample: null },
  { scale: '5', label: 'survey.scale5', hint: 'survey.scale5Hint', sample: '★★★★★' },
  {
    scale: 'thumbs',
    label: 'survey.thumbs',
    hint: 'survey.thumbsHint',
    sample: (
      <>
        <IconThumbUp size={15} /> <IconThumbDown size={15} />
      </>
    ),
  },
];

export function SurveySettings() {
  const [chat, setChat] = useState<ChatSurvey | null>(null);
  /** Solved tickets' survey (undefined: an older server without it). */
  const [tickets, setTickets] = useState<TicketSurveySettings | undefined>(undefined);
  /** The widget's NPS question after a chat (undefined: an older server without it). */
  const [widgetNps, setWidgetNps] = useState<WidgetNpsSettings | undefined>(undefined);
  const [dirty, setDirty] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [loadError, setLoadError] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  useEffect(() => {
    api
      .get<{ chat: ChatSurvey; tickets?: TicketSurveySettings; widget_nps?: WidgetNpsSettings }>('/settings/survey')
      .then((r) => {
        setChat(r.chat);
        setTickets(r.tickets);
        setWidgetNps(r.widget_nps);
      })
      .catch((err) => !(err instanceof ApiError && err.status === 401) && setLoadError(errorText(err)));
  }, []);

  const change = (p: Partial<ChatSurvey>) => {
    setChat((c) => (c ? { ...c, ...p } : c));
    setDirty(true);
  };

  async function save(e: Event) {
    e.preventDefault();
    if (!chat) return;
    setFields({});
    await run(
      async () => {
        const r = await api.put<{ chat: ChatSurvey }>('/settings/survey', { chat });
        setChat(r.chat);
        setDirty(false);
        toast(t('survey.saved'), 'success');
      },
      (err) => {
        if (err instanceof ApiError && err.status === 422) {
          setFields(err.data?.error?.fields ?? {});
          return t('survey.invalid');
        }
        return formError(err);
      },
    );
  }

  return (
    <div class="settings-content" data-testid="survey-page">
      <SettingsHeader title={t('survey.title')} subtitle={t('survey.subtitle')} />
      <ErrorNotice error={loadError} />
      <form class="card form-section survey-form" onSubmit={save} aria-labelledby="survey-sec-chat" noValidate data-testid="survey-form">
        <h2 id="survey-sec-chat">{t('survey.chat')}</h2>
        <ErrorNotice error={error} testid="survey-error" />
        {!chat ? (
          !loadError && <p class="muted">{t('common.loading')}</p>
        ) : (
          <>
            <label class="switch">
              <input type="checkbox" checked={chat.enabled} onChange={(e) => change({ enabled: e.currentTarget.checked })} data-testid="survey-enabled" />
              <span class="switch-track" aria-hidden="true" />
              <span class="switch-label">{t('survey.enabled')}</span>
            </label>
            <FieldError id="survey-enabled-error" error={fields['chat.enabled']} />
            <fieldset class="field role-picker" disabled={!chat.enabled} aria-describedby={fields['chat.scale'] ? 'survey-scale-error' : undefined}>
              <legend class="field-label">{t('survey.scale')}</legend>
              <div class="role-options survey-scales">
                {SCALES.map((s) => (
                  <label key={s.scale} class={'role-option' + (chat.scale === s.scale ? ' is-selected' : '')}>
                    <input
                      type="radio"
                      name="survey-scale"
                      value={s.scale}
                      checked={chat.scale === s.scale}
                      onChange={() => change({ scale: s.scale })}
                      data-testid={'survey-scale-' + s.scale}
                    />
                    <span class="role-option-text">
                      <span class="role-option-name">
                        {t(s.label)} {s.sample && <span class="survey-sample" aria-hidden="true">{s.sample}</span>}
                      </span>
                      <span class="role-option-hint">{t(s.hint)}</span>
                    </span>
                  </label>
                ))}
              </div>
              <FieldError id="survey-scale-error" error={fields['chat.scale']} testid="survey-scale-error" />
            </fieldset>
            <label class="switch">
              <input
                type="checkbox"
                checked={chat.comment}
                disabled={!chat.enabled}
                onChange={(e) => change({ comment: e.currentTarget.checked })}
                aria-describedby="survey-comment-hint"
                data-testid="survey-comment"
              />
              <span class="switch-track" aria-hidden="true" />
              <span class="switch-label">{t('survey.comment')}</span>
            </label>
            <span id="survey-comment-hint" class="field-hint survey-hint">
              {t('survey.commentHint')}
            </span>
            <FieldError id="survey-comment-error" error={fields['chat.comment']} />
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="survey-save">
                {busy ? t('common.saving') : t('common.save')}
              </button>
            </div>
          </>
        )}
      </form>
      {widgetNps && <WidgetNps initial={widgetNps} />}
      {tickets && <TicketSurvey initial={tickets} />}
    </div>
  );
}
