// Reports for supervisors and admins: the self-service (help center and FAQ bot)
// report — GET /reports/self-service?days=N — and the SLA report (SlaReport.tsx).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t } from '../i18n';
import { errorText } from '../store';
import { ErrorNotice, SettingsHeader, StatCard, TableHead } from '../components/Common';
import { fmtPercent } from '../admin/routingApi';
import type { SelfServiceReport } from '../admin/kbTypes';
import { BotPeriod } from '../admin/BotSections';
import '../admin/kb.css';
import { BreachingSoon, SlaReport } from './SlaReport';
import { ComplaintsReport } from '../complaints/ComplaintsReport';
import { CoachStats } from '../coach/CoachStats';
import { CsatReport } from '../csat/CsatReport';


/** The deflection figures and the article votes (loading text until the report is there). */
export function SelfServiceReportView({ report }: { report: SelfServiceReport | null }) {
  const d = report?.deflection;
  return !report || !d ? (
      <p class="muted">{t('common.loading')}</p>
    ) : (
      <>
        <ul class="stat-row">
          <StatCard label={t('bot.shown')} value={d.shown} testid="stat-shown" />
          <StatCard label={t('bot.helped')} value={d.helped} testid="stat-helped" tone="good" />
          <StatCard label={t('bot.continued')} value={d.continued} testid="stat-continued" />
          <StatCard label={t('bot.rate')} value={fmtPercent(d.rate, 0)} testid="stat-rate" />
          <StatCard label={t('bot.handedOff')} value={report.bot?.unanswered_or_handed_off ?? 0} />
        </ul>
        <h3 class="subheading">{t('bot.articleVotes')}</h3>
        {report.articles.length === 0 ? (
          <p class="muted small">{t('bot.noVotes')}</p>
        ) : (
          <table class="table table-compact" data-testid="bot-votes">
            <TableHead cols={[t('kb.colTitle'), t('kb.colLanguage'), { label: t('bot.helpful'), class: 'num' }, { label: t('bot.notHelpful'), class: 'num' }]} />
            <tbody>
              {report.articles.map((a) => (
                <tr key={a.id}>
                  <td>{a.title}</td>
                  <td>
                    <span class="badge badge-lang">{a.language.toUpperCase()}</span>
                  </td>
                  <td class="num vote-up">{a.helpful}</td>
                  <td class="num vote-down">{a.not_helpful}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    );
}

export function Reports() {
  const [days, setDays] = useState(30);
  const [report, setReport] = useState<SelfServiceReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setReport(null);
    setError(null);
    api
      .get<SelfServiceReport>(`/reports/self-service?days=${days}`)
      .then((r) => live && setReport(r))
      .catch((err) => live && !(err instanceof ApiError && err.status === 401) && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [days]);
  return (
    <main class="settings-pane">
      <div class="settings-content settings-wide bot-page" data-testid="reports-page">
        <SettingsHeader title={t('reports.title')} subtitle={t('reports.subtitle')} />
        <BotPeriod days={days} onDays={setDays} testId="report-days" />
        <ErrorNotice error={error} />
        <BreachingSoon />
        <CsatReport days={days} />
        <SlaReport days={days} />
        <section class="card form-section" aria-labelledby="report-title" data-testid="self-service-report">
          <h2 id="report-title">{t('bot.report')}</h2>
          <p class="muted small">{t('bot.reportHint')}</p>
          {!error && <SelfServiceReportView report={report} />}
        </section>
        <ComplaintsReport days={days} />
        <CoachStats days={days} />
      </div>
    </main>
  );
}
