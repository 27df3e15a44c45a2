// Settings → FAQ bot: on/off, name and confidence threshold; the questions it could
// not answer (turn one into an intent, or dismiss it); the self-service report.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { fmtDateTime, fmtRelative, languageName, t } from '../i18n';
import { errorText, navigate, selectConversation, toast } from '../store';
import { ErrorNotice, SettingsHeader, TableHead, useSubmit } from '../components/Common';
import { fmtPercent, formError } from './routingApi';
import { setIntentPrefill, type BotConfig, type SelfServiceReport, type Unanswered } from './kbTypes';
import './kb.css';
import { SelfServiceReportView } from '../supervisor/Reports';

const PERIODS = [7, 30, 90];

export function BotSettings() {
  const [cfg, setCfg] = useState<BotConfig | null>(null);
  const [name, setName] = useState('');
  const [enabled, setEnabled] = useState(false);
  const [conf, setConf] = useState('');
  const [dirty, setDirty] = useState(false);
  const { busy, error, run } = useSubmit();
  const [days, setDays] = useState(30);
  const [questions, setQuestions] = useState<Unanswered[] | null>(null);
  const [report, setReport] = useState<SelfServiceReport | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  function take(c: BotConfig) {
    setCfg(c);
    setName(c.name ?? '');
    setEnabled(!!c.enabled);
    setConf(c.min_confidence == null ? '' : String(c.min_confidence));
    setDirty(false);
  }

  async function loadStats(d = days) {
    try {
      const [q, r] = await Promise.all([
        api.get<{ questions: Unanswered[] }>(`/bot/unanswered?days=${d}`),
        api.get<SelfServiceReport>(`/reports/self-service?days=${d}`),
      ]);
      setQuestions(q.questions ?? []);
      setReport(r);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) setLoadError(errorText(err));
    }
  }

  useEffect(() => {
    api
      .get<BotConfig>('/bot')
      .then(take)
      .catch((err) => !(err instanceof ApiError && err.status === 401) && setLoadError(errorText(err)));
  }, []);
  useEffect(() => {
    void loadStats(days);
  }, [days]);

  const confNum = conf.trim() === '' ? null : Number(conf.replace(',', '.'));
  const confBad = confNum != null && !(confNum >= 0 && confNum <= 1);

  async function save(e: Event) {
    e.preventDefault();
    if (confBad) return;
    await run(async () => {
      const c = await api.put<BotConfig>('/bot', { enabled, name: name.trim(), min_confidence: confNum });
      take(c ?? { enabled, name: name.trim(), min_confidence: confNum });
      toast(t('bot.saved'), 'success');
    });
  }

  async function dismiss(q: Unanswered) {
    try {
      await api.post('/bot/unanswered/dismiss', { text: q.text });
      setQuestions((list) => (list ?? []).filter((x) => x !== q));
      toast(t('bot.dismissed'), 'success');
    } catch (err) {
      toast(formError(err), 'error');
    }
  }

  function addIntent(q: Unanswered) {
    setIntentPrefill({ language: q.language || 'en', question: q.text, phrasings: [q.text], enabled: true });
    navigate({ section: 'settings', tab: 'kb', inboxId: null });
  }

  const mark = () => setDirty(true);

  return (
    <div class="settings-content settings-wide bot-page" data-testid="bot-page">
      <SettingsHeader title={t('bot.title')} subtitle={t('bot.subtitle')} />
      <ErrorNotice error={loadError} />

      <form class="card form-section bot-settings" onSubmit={save} aria-labelledby="bot-sec-settings" data-testid="bot-form" noValidate>
        <h2 id="bot-sec-settings">{t('bot.settings')}</h2>
        <ErrorNotice error={error} testid="bot-error" />
        {!cfg ? (
          <p class="muted">{t('common.loading')}</p>
        ) : (
          <>
            <label class="switch bot-switch">
              <input
                type="checkbox"
                checked={enabled}
                onChange={(e) => {
                  setEnabled(e.currentTarget.checked);
                  mark();
                }}
                data-testid="bot-enabled"
              />
              <span class="switch-track" aria-hidden="true" />
              <span class="switch-label">{t('bot.enabled')}</span>
            </label>
            <div class="form-grid">
              <label class="field">
                <span class="field-label">{t('bot.name')}</span>
                <input
                  value={name}
                  maxLength={60}
                  placeholder="Sofia"
                  onInput={(e) => {
                    setName(e.currentTarget.value);
                    mark();
                  }}
                  data-testid="bot-name"
                />
              </label>
              <label class="field">
                <span class="field-label">{t('bot.minConfidence')}</span>
                <input
                  inputMode="decimal"
                  value={conf}
                  placeholder="0.5"
                  aria-invalid={confBad ? 'true' : undefined}
                  aria-describedby="bot-conf-hint"
                  onInput={(e) => {
                    setConf(e.currentTarget.value);
                    mark();
                  }}
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

      <div class="bot-period">
        <label class="kb-lang">
          <span class="field-label">{t('bot.period')}</span>
          <select value={days} onChange={(e) => setDays(Number(e.currentTarget.value))} data-testid="bot-days">
            {PERIODS.map((n) => (
              <option key={n} value={n}>
                {t('bot.days', { n })}
              </option>
            ))}
          </select>
        </label>
      </div>

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
                      <button type="button" class="btn btn-secondary btn-sm" onClick={() => addIntent(q)} data-testid="bot-add-intent">
                        {t('bot.addIntent')}
                      </button>
                      <button type="button" class="btn btn-ghost btn-sm" onClick={() => dismiss(q)} data-testid="bot-dismiss">
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

      <section class="card form-section" aria-labelledby="bot-sec-report" data-testid="bot-report">
        <h2 id="bot-sec-report">{t('bot.report')}</h2>
        <p class="muted small">{t('bot.reportHint')}</p>
        <SelfServiceReportView report={report} />
      </section>
    </div>
  );
}
