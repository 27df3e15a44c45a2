// Reports for supervisors and admins, a tab each: the overview and the live
// dashboard (web/console/reports/), customer satisfaction, NPS and surveys
// (web/console/surveys/NpsReport.tsx), SLA (SlaReport.tsx),
// self-service (help center and FAQ bot: GET /reports/self-service?days=N),
// complaints and the etiquette coach.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t, type StringKey } from '../i18n';
import { errorText, navigate } from '../store';
import { formatRoute, type ReportTab, type Route } from '../router';
import { ErrorNotice, SettingsHeader, StatCard, TableHead } from '../components/Common';
import { fmtPercent } from '../admin/routingApi';
import type { SelfServiceReport } from '../admin/kbTypes';
import { BotPeriod } from '../admin/BotSections';
import '../admin/kb.css';
import { BreachingSoon, SlaReport } from './SlaReport';
import { ComplaintsReport } from '../complaints/ComplaintsReport';
import { CoachStats } from '../coach/CoachStats';
import { CsatReport } from '../csat/CsatReport';
import { Overview } from '../reports/Overview';
import { Live } from '../reports/Live';
import { NpsReport, npsQuery } from '../surveys/NpsReport';
import '../reports/reports.css';


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

const TABS: { tab: ReportTab; label: StringKey }[] = [
  { tab: 'overview', label: 'rp.tab.overview' },
  { tab: 'live', label: 'rp.tab.live' },
  { tab: 'csat', label: 'rp.tab.csat' },
  { tab: 'nps', label: 'rp.tab.nps' },
  { tab: 'sla', label: 'rp.tab.sla' },
  { tab: 'self-service', label: 'rp.tab.selfService' },
  { tab: 'complaints', label: 'rp.tab.complaints' },
  { tab: 'coach', label: 'rp.tab.coach' },
];

/** The overview's filters as last seen: coming back from another tab keeps them. */
let overviewQuery = '';

/** The reports' tabs as links (each is an address of its own), the current one marked. */
function ReportTabs({ current }: { current: ReportTab }) {
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    // On a phone the tabs scroll sideways: the current one in sight.
    const ul = list.current;
    const a = ul?.querySelector<HTMLElement>('.is-active');
    if (ul && a && ul.scrollWidth > ul.clientWidth) ul.scrollLeft = a.offsetLeft - (ul.clientWidth - a.offsetWidth) / 2;
  }, [current]);
  return (
    <nav class="rp-tabs" aria-label={t('rp.tabs')} data-testid="report-tabs">
      <ul ref={list}>
        {TABS.map(({ tab, label }) => {
          const route: Route = { section: 'reports', tab, query: tab === 'overview' ? overviewQuery : tab === 'nps' ? npsQuery() : '' };
          return (
            <li key={tab}>
              <a
                href={formatRoute(route)}
                class={'rp-tab' + (tab === current ? ' is-active' : '')}
                aria-current={tab === current ? 'page' : undefined}
                onClick={(e) => {
                  if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
                  e.preventDefault();
                  navigate(route);
                }}
                data-testid={'report-tab-' + tab}
              >
                {t(label)}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The self-service (help center and FAQ bot) report for the last `days` days. */
function SelfServiceReport({ days }: { days: number }) {
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
    <section class="card form-section" aria-labelledby="report-title" data-testid="self-service-report">
      <h2 id="report-title">{t('bot.report')}</h2>
      <p class="muted small">{t('bot.reportHint')}</p>
      <ErrorNotice error={error} />
      {!error && <SelfServiceReportView report={report} />}
    </section>
  );
}

/**
 * Reports (supervisors and admins): the overview (reports/Overview.tsx) with its filters in the
 * address, the live dashboard, and the CSAT, SLA, self-service, complaints and coach reports,
 * each a tab of its own over the last 7, 30 or 90 days.
 */
export function Reports({ route }: { route: Extract<Route, { section: 'reports' }> }) {
  const [days, setDays] = useState(30);
  const tab = route.tab;
  if (tab === 'overview') overviewQuery = route.query;
  return (
    <main class="settings-pane">
      <div class="settings-content settings-wide bot-page rp-page" data-testid="reports-page" data-tab={tab}>
        <SettingsHeader title={t('reports.title')} subtitle={t('rp.subtitle')} />
        <ReportTabs current={tab} />
        {tab === 'overview' ? (
          <Overview query={route.query} />
        ) : tab === 'live' ? (
          <Live />
        ) : tab === 'nps' ? (
          <NpsReport query={route.query} />
        ) : (
          <>
            <BotPeriod days={days} onDays={setDays} testId="report-days" />
            {tab === 'csat' && <CsatReport days={days} />}
            {tab === 'sla' && (
              <>
                <BreachingSoon />
                <SlaReport days={days} />
              </>
            )}
            {tab === 'self-service' && <SelfServiceReport days={days} />}
            {tab === 'complaints' && <ComplaintsReport days={days} />}
            {tab === 'coach' && <CoachStats days={days} />}
          </>
        )}
      </div>
    </main>
  );
}
