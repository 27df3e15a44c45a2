// The canned answer form's files: up to five, sent with the answer each time it is used
// (every use sends fresh copies). Add opens the file picker; each file uploads at once
// with its progress, a refusal (413 too large, 415 type not accepted) stays on its row
// until removed; a file the server refused on save (attachment_ids[i]) is named at its row.
import { useEffect, useRef } from 'preact/hooks';
import { ApiError, MAX_UPLOAD_BYTES, uploadWithProgress } from '../api';
import { fmtSize, t } from '../i18n';
import { errorText } from '../store';
import type { Attachment } from '../types';
import { FieldError } from '../components/Common';
import { IconFile, IconPaperclip, IconX } from '../components/Icons';
import { attachmentUrl } from '../components/Messages';
import { MAX_FILES } from './cannedApi';

/** A file of the form: uploaded (`att`), on its way (`progress` 0..1) or refused (`error`). */
export interface FileDraft {
  key: number;
  name: string;
  size: number;
  att?: Attachment;
  progress: number;
  error?: string;
}

let nextKey = 1;

export const filesOf = (atts: Attachment[] | undefined): FileDraft[] => (atts ?? []).map((att) => ({ key: nextKey++, name: att.name, size: att.size, att, progress: 1 }));

/** The ids to save, in order: the files uploaded (not those on their way or refused). */
export const fileIds = (files: FileDraft[]): string[] => files.filter((f) => f.att).map((f) => f.att!.id);

/** Files still counting toward the limit: uploaded or on their way. */
const counted = (files: FileDraft[]) => files.filter((f) => !f.error).length;

function uploadError(err: unknown, name: string): string {
  if (err instanceof ApiError && err.status === 413) return t('canned.fileTooLarge', { name });
  if (err instanceof ApiError && err.status === 415) return t('composer.unsupported', { name });
  return t('composer.uploadFailed', { name, message: errorText(err) });
}

export function CannedFiles({
  files,
  update,
  errors,
  onChanged,
}: {
  files: FileDraft[];
  /** Changes the form's files (a function of the latest list: uploads finish at any time). */
  update: (f: (files: FileDraft[]) => FileDraft[]) => void;
  /** The save's refusals: "attachment_ids" and "attachment_ids[i]" (i: among the uploaded files). */
  errors: Record<string, string>;
  /** The list changed: the refusals named by position no longer fit. */
  onChanged: () => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const uploads = useRef(new Map<number, AbortController>());
  const full = counted(files) >= MAX_FILES;

  // The form closed: uploads still on their way are dropped.
  useEffect(() => () => uploads.current.forEach((c) => c.abort()), []);

  function add(list: File[]) {
    if (!list.length) return;
    const room = Math.max(0, MAX_FILES - counted(files));
    const fresh: FileDraft[] = list.map((file, i) => ({
      key: nextKey++,
      name: file.name || 'file',
      size: file.size,
      progress: 0,
      error: i >= room ? t('canned.filesTooMany', { n: MAX_FILES }) : file.size > MAX_UPLOAD_BYTES ? t('canned.fileTooLarge', { name: file.name }) : undefined,
    }));
    update((fs) => [...fs, ...fresh]);
    onChanged();
    fresh.forEach((f, i) => {
      if (f.error) return;
      const ctl = new AbortController();
      uploads.current.set(f.key, ctl);
      const set = (patch: Partial<FileDraft>) => update((fs) => fs.map((x) => (x.key === f.key ? { ...x, ...patch } : x)));
      uploadWithProgress<Attachment>(list[i], (progress) => set({ progress }), ctl.signal)
        .then((att) => set({ att, progress: 1, name: att.name || f.name, size: att.size ?? f.size }))
        .catch((err) => {
          if ((err as Error)?.name === 'AbortError') return;
          if (err instanceof ApiError && err.status === 401) return;
          set({ error: uploadError(err, f.name) });
        })
        .finally(() => uploads.current.delete(f.key));
    });
  }

  function remove(i: number) {
    const f = files[i];
    uploads.current.get(f.key)?.abort();
    update((fs) => fs.filter((x) => x.key !== f.key));
    onChanged();
    // The focus goes to the next file's remove button, else to Add.
    requestAnimationFrame(() => {
      const buttons = document.querySelectorAll<HTMLElement>('[data-testid="canned-file-remove"]');
      (buttons[Math.min(i, buttons.length - 1)] ?? document.querySelector<HTMLElement>('[data-testid="canned-file-add"]'))?.focus();
    });
  }

  let uploaded = -1;
  return (
    <fieldset class="field canned-files" aria-describedby="canned-files-hint canned-attachment-ids-err">
      <legend class="field-label">{t('canned.files')}</legend>
      <span class="field-hint" id="canned-files-hint">
        {t('canned.filesHint', { n: MAX_FILES })}
      </span>
      <FieldError id="canned-attachment-ids-err" error={errors.attachment_ids} testid="canned-error-attachment_ids" />
      {files.length > 0 && (
        <ul class="canned-file-list" data-testid="canned-files">
          {files.map((f, i) => {
            const at = f.att ? ++uploaded : -1;
            const refused = at >= 0 ? errors[`attachment_ids[${at}]`] : undefined;
            const pct = Math.round(f.progress * 100);
            const errId = `canned-file-${f.key}-err`;
            return (
              <li
                key={f.key}
                class={'canned-file' + (f.error || refused ? ' is-failed' : f.att ? '' : ' is-uploading')}
                data-testid="canned-file"
                data-state={f.error ? 'failed' : f.att ? 'ready' : 'uploading'}
                data-name={f.name}
              >
                <span class="canned-file-icon" aria-hidden="true">
                  <IconFile size={16} />
                </span>
                <span class="canned-file-main">
                  {f.att ? (
                    <a class="canned-file-name" href={attachmentUrl(f.att)} target="_blank" rel="noopener noreferrer" title={f.name}>
                      {f.name}
                    </a>
                  ) : (
                    <span class="canned-file-name" title={f.name}>
                      {f.name}
                    </span>
                  )}
                  {f.error ? (
                    <span class="field-error" id={errId} role="alert" data-testid="canned-file-error">
                      {f.error}
                    </span>
                  ) : f.att ? (
                    <span class="canned-file-size">{fmtSize(f.size)}</span>
                  ) : (
                    <span class="canned-file-progress">
                      <progress max={100} value={pct} aria-label={t('canned.fileUploading', { name: f.name })} data-testid="canned-file-progress" />
                      <span class="canned-file-pct" aria-hidden="true">
                        {pct}%
                      </span>
                    </span>
                  )}
                  <FieldError id={`canned-file-${f.key}-refused`} error={refused} testid={`canned-error-attachment_ids[${at}]`} />
                </span>
                <button
                  type="button"
                  class="icon-button"
                  onClick={() => remove(i)}
                  aria-label={f.att || f.error ? t('composer.remove', { name: f.name }) : t('canned.fileCancel', { name: f.name })}
                  title={f.att || f.error ? t('composer.remove', { name: f.name }) : t('canned.fileCancel', { name: f.name })}
                  aria-describedby={f.error ? errId : undefined}
                  data-testid="canned-file-remove"
                >
                  <IconX size={15} />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <input
        ref={input}
        type="file"
        multiple
        class="sr-only"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => {
          const el = e.currentTarget;
          const list = el.files ? Array.from(el.files) : [];
          el.value = '';
          add(list);
        }}
        data-testid="canned-file-input"
      />
      <span class="canned-files-foot">
        <button type="button" class="btn btn-ghost btn-sm" onClick={() => input.current?.click()} disabled={full} data-testid="canned-file-add">
          <IconPaperclip size={14} />
          {t('canned.addFile')}
        </button>
        {full && <span class="field-hint">{t('canned.filesFull', { n: MAX_FILES })}</span>}
      </span>
    </fieldset>
  );
}
