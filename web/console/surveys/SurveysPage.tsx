// Settings → NPS & surveys (Q2, admins): the workspace's surveys (name, status,
// questions, responses) with Edit, Get link, Archive/Restore and Delete (only
// while nobody answered: a survey with answers is archived instead, 409
// has_responses). The editor is SurveyEditor.tsx; the link dialog LinkDialog.tsx.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { fmtDate, t } from '../i18n';
import { errorText, navigate, toast, useStore } from '../store';
import { ErrorNotice, SettingsHeader } from '../components/Common';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { IconLink, IconPlus, IconReport } from '../components/Icons';
import { deleteSurvey, listSurveys, noEndpoint, updateSurvey, type Survey } from './surveysApi';
import { SurveyEditor } from './SurveyEditor';
import { LinkDialog } from './LinkDialog';
import './surveys.css';

export function SurveysPage() {
  useStore((s) => s.lang);
  const [surveys, setSurveys] = useState<Survey[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  /** The survey being edited: null none, 'new' a new one. */
  const [editing, setEditing] = useState<Survey | 'new' | null>(null);
  const [linkFor, setLinkFor] = useState<Survey | null>(null);
  const [removing, setRemoving] = useState<Survey | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);
  const seq = useRef(0);

  async function load() {
    const mine = ++seq.current;
    try {
      const list = await listSurveys();
      if (mine !== seq.current) return;
      setSurveys(list);
      setError(null);
    } catch (err) {
      if (mine !== seq.current) return;
      if (noEndpoint(err)) setMissing(true);
      else if (!(err instanceof ApiError && err.status === 401)) setError(errorText(err));
      setSurveys((s) => s ?? []);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function setStatus(s: Survey, status: Survey['status']) {
    setBusyId(s.id);
    try {
      await updateSurvey(s.id, { status });
      toast(t(status === 'archived' ? 'sv.archivedToast' : 'sv.restoredToast', { name: s.name }), 'success');
      await load();
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) toast(errorText(err), 'error');
    } finally {
      setBusyId(null);
    }
  }

  /** The editor closed: the focus back on "New survey" rather than lost with the form. */
  const refocus = () => requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid="sv-new"]')?.focus());

  const list = [...(surveys ?? [])].sort((a, b) => (a.status === b.status ? b.updated_at - a.updated_at : a.status === 'active' ? -1 : 1));

  return (
    <div class="settings-content sv-page" data-testid="surveys-page">
      <SettingsHeader title={t('sv.title')} subtitle={t('sv.subtitle')}>
        {!editing && !missing && (
          <button type="button" class="btn btn-primary" onClick={() => setEditing('new')} data-testid="sv-new">
            <IconPlus size={16} />
            {t('sv.new')}
          </button>
        )}
      </SettingsHeader>
      {missing ? (
        <p class="notice notice-warn" data-testid="sv-unavailable">
          {t('sv.unavailable')}
        </p>
      ) : (
        <>
          {editing && (
            <SurveyEditor
              key={editing === 'new' ? 'new' : editing.id}
              survey={editing === 'new' ? null : editing}
              onCancel={() => {
                setEditing(null);
                refocus();
              }}
              onSaved={(s, created) => {
                setEditing(null);
                refocus();
                toast(t(created ? 'sv.createdToast' : 'sv.savedToast', { name: s.name }), 'success');
                void load();
              }}
            />
          )}
          <ErrorNotice error={error} />
          <section class="card sv-list-card" aria-labelledby="sv-list-title">
            <h2 id="sv-list-title" class="sr-only">
              {t('sv.listTitle')}
            </h2>
            {!surveys ? (
              <p class="card-state">{t('common.loading')}</p>
            ) : list.length === 0 ? (
              <div class="card-state sv-empty" data-testid="sv-empty">
                <p>{t('sv.empty')}</p>
                {!editing && (
                  <button type="button" class="btn btn-secondary" onClick={() => setEditing('new')}>
                    <IconPlus size={16} />
                    {t('sv.new')}
                  </button>
                )}
              </div>
            ) : (
              <ul class="sv-list" data-testid="sv-list">
                {list.map((s) => (
                  <SurveyRow
                    key={s.id}
                    s={s}
                    busy={busyId === s.id}
                    onEdit={() => {
                      setEditing(s);
                      requestAnimationFrame(() => document.getElementById('sv-form-title')?.focus());
                    }}
                    onLink={() => setLinkFor(s)}
                    onArchive={() => setStatus(s, s.status === 'active' ? 'archived' : 'active')}
                    onDelete={() => setRemoving(s)}
                  />
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      {linkFor && <LinkDialog survey={linkFor} onClose={() => setLinkFor(null)} />}
      {removing && (
        <ConfirmDialog
          title={t('sv.deleteTitle')}
          testid="sv-delete-dialog"
          text={t('sv.deleteText', { name: removing.name })}
          confirm={t('sv.delete')}
          confirmTestid="sv-delete-confirm"
          onClose={() => setRemoving(null)}
          describe={(err) => (err instanceof ApiError && err.status === 409 ? t('sv.hasResponses') : errorText(err))}
          action={async () => {
            await deleteSurvey(removing.id);
            if (editing !== 'new' && editing?.id === removing.id) setEditing(null);
            setRemoving(null);
            toast(t('sv.deletedToast', { name: removing.name }), 'success');
            await load();
          }}
        />
      )}
    </div>
  );
}

function SurveyRow({ s, busy, onEdit, onLink, onArchive, onDelete }: { s: Survey; busy: boolean; onEdit: () => void; onLink: () => void; onArchive: () => void; onDelete: () => void }) {
  const hasNps = s.questions.some((q) => q.type === 'nps');
  const archived = s.status === 'archived';
  return (
    <li class={'sv-item' + (archived ? ' is-archived' : '')} data-testid="sv-row" data-id={s.id} data-status={s.status}>
      <div class="sv-item-main">
        <div class="sv-item-head">
          <span class="sv-item-name">{s.name}</span>
          <span class={'badge badge-compact sv-status sv-status-' + s.status} data-testid="sv-status">
            {t(archived ? 'sv.status.archived' : 'sv.status.active')}
          </span>
          {hasNps && <span class="badge badge-compact sv-nps-badge">NPS</span>}
        </div>
        <p class="sv-item-meta">
          <span>{t('sv.nQuestions', { n: s.questions.length })}</span>
          <span data-testid="sv-responses">{t('sv.nResponses', { n: s.responses })}</span>
          <span>{t('sv.updated', { date: fmtDate(s.updated_at) })}</span>
        </p>
      </div>
      <div class="sv-item-actions">
        {!archived && (
          <button type="button" class="btn btn-secondary btn-sm" onClick={onLink} aria-label={t('sv.linkNamed', { name: s.name })} data-testid="sv-get-link">
            <IconLink size={15} />
            {t('sv.getLink')}
          </button>
        )}
        {s.responses > 0 && (
          <a
            class="btn btn-ghost btn-sm"
            href={`/console/reports/nps?survey=${s.id}`}
            onClick={(e) => {
              if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
              e.preventDefault();
              navigate({ section: 'reports', tab: 'nps', query: `survey=${s.id}` });
            }}
            aria-label={t('sv.reportNamed', { name: s.name })}
            data-testid="sv-report"
          >
            <IconReport size={15} />
            {t('sv.report')}
          </a>
        )}
        <button type="button" class="btn btn-ghost btn-sm" onClick={onEdit} aria-label={t('sv.editNamed', { name: s.name })} data-testid="sv-edit">
          {t('common.edit')}
        </button>
        <button type="button" class="btn btn-ghost btn-sm" onClick={onArchive} disabled={busy} aria-label={t(archived ? 'sv.restoreNamed' : 'sv.archiveNamed', { name: s.name })} data-testid="sv-archive">
          {t(archived ? 'sv.restore' : 'sv.archive')}
        </button>
        {s.responses === 0 && (
          <button type="button" class="btn btn-ghost btn-sm sv-danger" onClick={onDelete} aria-label={t('sv.deleteNamed', { name: s.name })} data-testid="sv-delete">
            {t('sv.delete')}
          </button>
        )}
      </div>
    </li>
  );
}
