// Settings → Ticket fields: the workspace's custom ticket fields (text, number,
// select with options, date), which agents fill in the ticket's properties;
// required ones must have a value before a ticket is solved.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { t } from '../i18n';
import { errorText } from '../store';
import type { TicketField, TicketFieldType } from '../types';
import { ErrorNotice, FieldError, SettingsHeader, TableHead, useSubmit } from '../components/Common';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { IconPlus } from '../components/Icons';
import { fieldErrors, loadFields } from '../tickets/data';
import '../tickets/tickets.css';

const TYPES: TicketFieldType[] = ['text', 'number', 'select', 'date'];

interface Draft {
  id: number | null;
  key: string;
  label: string;
  type: TicketFieldType;
  options: string;
  required: boolean;
}

const EMPTY: Draft = { id: null, key: '', label: '', type: 'text', options: '', required: false };

/** A key from a label: "Order number" -> "order_number". */
function keyOf(label: string): string {
  return label
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^[^a-z]+/, '')
    .slice(0, 40);
}

export function TicketFields() {
  const [fields, setFields] = useState<TicketField[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [removing, setRemoving] = useState<TicketField | null>(null);

  async function reload() {
    try {
      setFields(await loadFields(true));
    } catch (err) {
      setError(errorText(err));
    }
  }
  useEffect(() => {
    void reload();
  }, []);

  return (
    <div class="settings-content">
      <SettingsHeader title={t('ticketFields.title')} subtitle={t('ticketFields.subtitle')}>
        {!draft && (
          <button type="button" class="btn btn-primary" onClick={() => setDraft({ ...EMPTY })} data-testid="field-new">
            <IconPlus size={16} />
            {t('ticketFields.new')}
          </button>
        )}
      </SettingsHeader>
      <ErrorNotice error={error} />
      {draft && (
        <FieldForm
          draft={draft}
          onCancel={() => setDraft(null)}
          onSaved={() => {
            setDraft(null);
            void reload();
          }}
        />
      )}
      <div class="card">
        {!fields ? (
          <p class="card-state">{t('common.loading')}</p>
        ) : fields.length === 0 ? (
          <p class="card-state" data-testid="fields-empty">
            {t('ticketFields.empty')}
          </p>
        ) : (
          <table class="table" data-testid="fields-table">
            <TableHead cols={[t('ticketFields.label'), t('ticketFields.key'), t('ticketFields.type'), t('ticketFields.required')]} actions />
            <tbody>
              {fields.map((f) => (
                <tr key={f.id} data-testid="field-row">
                  <td>
                    {f.label}
                    {f.type === 'select' && <div class="muted small">{f.options.join(' · ')}</div>}
                  </td>
                  <td class="mono small">{f.key}</td>
                  <td>{t(`ticketFields.type.${f.type}` as const)}</td>
                  <td>{f.required ? t('ticketFields.yes') : t('ticketFields.no')}</td>
                  <td class="ticket-field-actions">
                    <button
                      type="button"
                      class="btn btn-ghost btn-sm"
                      onClick={() => setDraft({ id: f.id, key: f.key, label: f.label, type: f.type, options: f.options.join('\n'), required: f.required })}
                      aria-label={t('ticketFields.editNamed', { label: f.label })}
                    >
                      {t('common.edit')}
                    </button>
                    <button type="button" class="btn btn-ghost btn-sm" onClick={() => setRemoving(f)} aria-label={t('ticketFields.deleteNamed', { label: f.label })} data-testid="field-delete">
                      {t('ticketFields.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {removing && (
        <ConfirmDialog
          title={t('ticketFields.deleteTitle')}
          testid="field-delete-dialog"
          text={t('ticketFields.deleteText', { label: removing.label })}
          confirm={t('ticketFields.delete')}
          confirmTestid="field-delete-confirm"
          onClose={() => setRemoving(null)}
          action={async () => {
            await api.del(`/ticket-fields/${removing.id}`);
            setRemoving(null);
            await reload();
          }}
        />
      )}
    </div>
  );
}

function FieldForm({ draft, onCancel, onSaved }: { draft: Draft; onCancel: () => void; onSaved: () => void }) {
  const [d, setD] = useState<Draft>(draft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { busy, error, run } = useSubmit((err) => (Object.keys(fieldErrors(err)).length ? null : errorText(err)));
  const [keyTouched, setKeyTouched] = useState(draft.id != null);
  const isNew = d.id == null;
  // An edit answers the last refusal: its messages go until the next save.
  useEffect(() => setErrors({}), [d]);

  async function submit(e: Event) {
    e.preventDefault();
    setErrors({});
    const body = {
      key: d.key,
      label: d.label.trim(),
      type: d.type,
      required: d.required,
      ...(d.type === 'select' ? { options: d.options.split('\n').map((o) => o.trim()).filter(Boolean) } : {}),
    };
    await run(async () => {
      try {
        if (isNew) await api.post('/ticket-fields', body);
        else await api.patch(`/ticket-fields/${d.id}`, body);
        onSaved();
      } catch (err) {
        setErrors(fieldErrors(err));
        throw err;
      }
    });
  }
  const err = (k: string) => <FieldError id={'tf-' + k + '-err'} error={errors[k]} testid={'tf-error-' + k} />;
  return (
    <form class="card ticket-field-form" onSubmit={submit} data-testid="field-form">
      <h2 class="card-title">{isNew ? t('ticketFields.new') : t('ticketFields.edit')}</h2>
      <div class="form-grid">
        <label class="field">
          <span class="field-label">{t('ticketFields.label')}</span>
          <input
            type="text"
            value={d.label}
            maxLength={80}
            required
            onInput={(e) => {
              const label = e.currentTarget.value;
              setD((x) => ({ ...x, label, key: keyTouched ? x.key : keyOf(label) }));
            }}
            aria-describedby="tf-label-err"
            data-testid="field-label"
          />
          {err('label')}
        </label>
        <label class="field">
          <span class="field-label">{t('ticketFields.key')}</span>
          <input
            type="text"
            class="mono"
            value={d.key}
            maxLength={40}
            required
            onInput={(e) => {
              setKeyTouched(true);
              setD((x) => ({ ...x, key: e.currentTarget.value }));
            }}
            aria-describedby="tf-key-err tf-key-hint"
            data-testid="field-key"
          />
          <span class="field-hint" id="tf-key-hint">
            {t('ticketFields.keyHint')}
          </span>
          {err('key')}
        </label>
        <label class="field">
          <span class="field-label">{t('ticketFields.type')}</span>
          <select value={d.type} onChange={(e) => setD((x) => ({ ...x, type: e.currentTarget.value as TicketFieldType }))} data-testid="field-type">
            {TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`ticketFields.type.${ty}` as const)}
              </option>
            ))}
          </select>
          {err('type')}
        </label>
        <label class="field field-check">
          <input type="checkbox" checked={d.required} onChange={(e) => setD((x) => ({ ...x, required: e.currentTarget.checked }))} data-testid="field-required" />
          <span>{t('ticketFields.requiredHint')}</span>
        </label>
        {d.type === 'select' && (
          <label class="field field-wide">
            <span class="field-label">{t('ticketFields.options')}</span>
            <textarea rows={4} value={d.options} onInput={(e) => setD((x) => ({ ...x, options: e.currentTarget.value }))} aria-describedby="tf-options-err" data-testid="field-options" />
            <span class="field-hint">{t('ticketFields.optionsHint')}</span>
            {err('options')}
          </label>
        )}
      </div>
      <ErrorNotice error={error} />
      <footer class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="field-save">
          {t('common.save')}
        </button>
      </footer>
    </form>
  );
}
