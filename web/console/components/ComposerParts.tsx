// The sections of the Composer: the pending attachments, the reply/note switch and the
// action row (file picker, hint, send). State stays in Composer; these only render it.
import type { ComponentChildren, RefObject } from 'preact';
import { fmtSize, t } from '../i18n';
import type { Attachment } from '../types';
import { IconPaperclip, IconSend, IconX } from './Icons';

export interface Pending {
  key: string;
  name: string;
  size: number;
  att?: Attachment;
  preview?: string;
}

export type ComposerMode = 'reply' | 'note';

/** The files picked or pasted for the next reply (uploading or ready), each removable. */
export function AttachmentList({ files, onRemove }: { files: Pending[]; onRemove: (key: string) => void }) {
  return (
    <ul class="composer-files">
      {files.map((f) => (
        <li key={f.key} class={'chip' + (f.att ? '' : ' chip-busy')}>
          {f.preview ? <img src={f.preview} alt="" class="chip-thumb" /> : null}
          <span class="chip-name" title={f.name}>
            {f.name}
          </span>
          <span class="chip-size">{f.att ? fmtSize(f.size) : t('composer.uploading')}</span>
          <button type="button" class="chip-remove" onClick={() => onRemove(f.key)} aria-label={t('composer.remove', { name: f.name })}>
            <IconX size={12} />
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Reply or internal note, with the "only agents see this" badge for notes. */
export function ComposerModes({ note, onMode }: { note: boolean; onMode: (m: ComposerMode) => void }) {
  return (
    <div class="composer-modes" role="group" aria-label={t('composer.modeLabel')}>
      <button type="button" class={'composer-mode' + (!note ? ' is-active' : '')} aria-pressed={!note} onClick={() => onMode('reply')} data-testid="composer-mode-reply">
        {t('composer.reply')}
      </button>
      <button type="button" class={'composer-mode composer-mode-note' + (note ? ' is-active' : '')} aria-pressed={note} onClick={() => onMode('note')} data-testid="composer-mode-note">
        {t('composer.note')}
      </button>
      {note && (
        <span class="composer-note-badge" data-testid="note-only-agents">
          {t('composer.noteOnly')}
        </span>
      )}
    </div>
  );
}

/** The row under the text: the (hidden) file input and its button, the key hint and send. */
export function ComposerActions({
  convId,
  note,
  canSend,
  fileInput,
  onFiles,
  onSend,
  coachSwitch,
  script,
}: {
  convId: number;
  note: boolean;
  canSend: boolean;
  fileInput: RefObject<HTMLInputElement | null>;
  onFiles: (files: File[]) => void;
  onSend: () => void;
  /** The etiquette coach's on/off button (replies only). */
  coachSwitch?: ComponentChildren;
  /** The script suggested for the moment (scripts/ScriptSuggest.tsx): in the hint's place, so nothing moves. */
  script?: ComponentChildren;
}) {
  return (
    <div class="composer-actions">
      <input
        ref={fileInput}
        type="file"
        multiple
        class="sr-only"
        tabIndex={-1}
        onChange={(e) => {
          const input = e.currentTarget;
          if (input.files) onFiles(Array.from(input.files));
          input.value = '';
        }}
        data-testid="attach-input"
        aria-label={t('composer.attach')}
      />
      {!note && (
        <button type="button" class="icon-button" onClick={() => fileInput.current?.click()} aria-label={t('composer.attach')} title={t('composer.attach')} data-testid="attach-button">
          <IconPaperclip />
        </button>
      )}
      {coachSwitch}
      {script}
      <span class={'composer-hint' + (script ? ' sr-only' : '')} id={'composer-hint-' + convId}>
        {note ? t('composer.noteHint') : t('composer.hint')}
      </span>
      <button type="button" class={'btn btn-send ' + (note ? 'btn-note' : 'btn-primary')} onClick={onSend} disabled={!canSend} data-testid="send-button">
        <IconSend size={15} />
        <span>{note ? t('composer.addNote') : t('composer.send')}</span>
      </button>
    </div>
  );
}
