// Settings → FAQ bot: on/off, name and confidence threshold; the questions it could
// not answer (turn one into an intent, or dismiss it); the self-service report.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t } from '../i18n';
import { errorText, navigate, toast } from '../store';
import { ErrorNotice, SettingsHeader, useSubmit } from '../components/Common';
import { formError } from './routingApi';
import { setIntentPrefill, type BotConfig, type SelfServiceReport, type Unanswered } from './kbTypes';
import './kb.css';
import { BotConfigForm, BotPeriod, BotReport, UnansweredQuestions } from './BotSections';

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

      <BotConfigForm
        cfg={cfg}
        enabled={enabled}
        name={name}
        conf={conf}
        confBad={confBad}
        dirty={dirty}
        busy={busy}
        error={error}
        onEnabled={(v) => {
          setEnabled(v);
          mark();
        }}
        onName={(v) => {
          setName(v);
          mark();
        }}
        onConf={(v) => {
          setConf(v);
          mark();
        }}
        onSubmit={save}
      />
      <BotPeriod days={days} onDays={setDays} />
      <UnansweredQuestions questions={questions} onAddIntent={addIntent} onDismiss={dismiss} />
      <BotReport report={report} />
    </div>
  );
}
