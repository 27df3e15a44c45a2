// The sections of Settings → FAQ bot (state lives in BotSettings): the settings form,
// the period picker, the unanswered questions and the self-service report.
import { fmtDateTime, fmtRelative, languageName, t } from '../i18n';
import { selectConversation } from '../store';
import { ErrorNotice, TableHead } from '../components/Common';
import { SelfServiceReportView } from '../supervisor/Reports';
import type { BotConfig, SelfServiceReport, Unanswered } from './kbTypes';

const PERIODS = [7, 30, 90];

/** On/off, name and confidence threshold, with its own save error. */
export function BotConfigForm({
  cfg,
  enabled,
  name,
  conf,
  confBad,
  dirty,
  busy,
  error,
  onEnabled,
  onName,
  onConf,
  onSubmit,
}: {
  cfg: BotConfig | null;
  enabled: boolean;
  name: string;
  conf: string;
  confBad: boolean;
  dirty: boolean;
  busy: boolean;
  error: string | null;
  onEnabled: (v: boolean) => void;
  onName: (v: string) => void;
  onConf: (v: string) => void;
  onSubmit: (e: Event) => void;
}) {
  return (
    <form class="card form-section bot-settings" onSubmit={onSubmit} aria-labelledby="bot-sec-settings" data-testid="bot-form" noValidate>
      <h2 id="bot-sec-settings">{t('bot.settings')}</h2>
      <ErrorNotice error={error} testid="bot-error" />
      {!cfg ? (
        <p class="muted">{t('common.loading')}</p>
      ) : (
        <>
          <label class="switch bot-switch">
            <input type="checkbox" checked={enabled} onChange={(e) => onEnabled(e.currentTarget.checked)} data-testid="bot-enabled" />
            <span class="switch-track" aria-hidden="true" />
            <span class="switch-label">{t('bot.enabled')}</span>
          </label>
          <div class="form-grid">
            <label class="field">
              <span class="field-label">{t('bot.name')}</span>
              <input value={name} maxLength={60} placeholder="Sofia" onInput={(e) => onName(e.currentTarget.value)} data-testid="bot-name" />
            </label>
            <label class="field">
              <span class="field-label">{t('bot.minConfidence')}</span>
              <input
                inputMode="decimal"
                value={conf}
                placeholder="0.5"
                aria-invalid={confBad ? 'true' : undefined}
                aria-describedby="bot-conf-hint"
                onInput={(e) => onConf(e.currentTarget.value)}
                data-testid="bot-min-confidence"
              />
              <span id="bot-conf-hint" class={confBad ? 'field-error' : 'field-hint'}>
                {t('bot.minConfidenceHint')}
              </span>
            </label>
          </div>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={busy || !dirty || confBad} data-testid="bot-save">
              {busy ? t('common.saving') : t('common.save')}
            </button>
          </div>
        </>
      )}
    </form>
  );
}

/** The period (in days) the questions and the report cover (also the Reports page's). */
export function BotPeriod({
  days,
  onDays,
  testId = 'bot-days',
}: {
  days: number;
  onDays: (d: number) => void;
  testId?: string;
}) {
  return (
    <div class="bot-period">
      <label class="kb-lang">
        <span class="field-label">{t('bot.period')}</span>
        <select value={days} onChange={(e) => onDays(Number(e.currentTarget.value))} data-testid={testId}>
          {PERIODS.map((n) => (
            <option key={n} value={n}>
              {t('bot.days', { n })}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** The questions the bot could not answer: turn one into an intent, or dismiss it. */
export function UnansweredQuestions({
  questions,
  onAddIntent,
  onDismiss,
}: {
  questions: Unanswered[] | null;
  onAddIntent: (q: Unanswered) => void;
  onDismiss: (q: Unanswered) => void;
}) {
  return (
    <section class="card form-section" aria-labelledby="bot-sec-unanswered">
      <h2 id="bot-sec-unanswered">{t('bot.unanswered')}</h2>
      <p class="muted small">{t('bot.unansweredHint')}</p>
      {!questions ? (
        <p class="muted">{t('common.loading')}</p>
      ) : questions.length === 0 ? (
        <p class="card-state muted" data-testid="bot-unanswered-empty">
          {t('bot.noUnanswered')}
        </p>
      ) : (
        <div class="table-scroll">
          <table class="table table-compact" data-testid="bot-unanswered">
            <TableHead
              cols={[t('bot.colText'), t('kb.colLanguage'), { label: t('bot.colCount'), class: 'num' }, t('bot.colLastSeen'), t('contact.conversation')]}
              actions
            />
            <tbody>
              {questions.map((q) => (
                <tr key={q.text + q.language} data-testid="bot-unanswered-row">
                  <td class="bot-question">{q.text}</td>
                  <td>
                    <span class="badge badge-lang" title={languageName(q.language)}>
                      {(q.language || '?').toUpperCase()}
                    </span>
                  </td>
                  <td class="num">{q.count}</td>
                  <td class="muted small nowrap" title={fmtDateTime(q.last_at)}>
                    {fmtRelative(q.last_at)}
                  </td>
                  <td class="nowrap">
                    {q.last_conversation_id != null && (
                      <a
                        class="link-button"
                        href={`/console/c/${q.last_conversation_id}`}
                        onClick={(e) => {
                          if (e.ctrlKey || e.metaKey || e.shiftKey) return;
                          e.preventDefault();
                          selectConversation(q.last_conversation_id!);
                        }}
                      >
                        {t('bot.openConversation', { id: q.last_conversation_id })}
                      </a>
                    )}
                  </td>
                  <td class="cell-actions">
                    <button type="button" class="btn btn-secondary btn-sm" onClick={() => onAddIntent(q)} data-testid="bot-add-intent">
                      {t('bot.addIntent')}
                    </button>
                    <button type="button" class="btn btn-ghost btn-sm" onClick={() => onDismiss(q)} data-testid="bot-dismiss">
                      {t('bot.dismiss')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** How many chats the bot settled on its own over the period. */
export function BotReport({ report }: { report: SelfServiceReport | null }) {
  return (
    <section class="card form-section" aria-labelledby="bot-sec-report" data-testid="bot-report">
      <h2 id="bot-sec-report">{t('bot.report')}</h2>
      <p class="muted small">{t('bot.reportHint')}</p>
      <SelfServiceReportView report={report} />
    </section>
  );
}
