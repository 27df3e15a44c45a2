import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, MAX_UPLOAD_BYTES } from '../api';
import { fmtSize, t } from '../i18n';
import { errorText, noteTyping, sendMessage, stopTyping, toast, upload } from '../store';
import type { Attachment } from '../types';
import { uuid } from '../util';
import { IconPaperclip, IconSend, IconX } from './Icons';

interface Pending {
  key: string;
  name: string;
  size: number;
  att?: Attachment;
  preview?: string;
}

// Drafts survive switching between conversations (memory only).
const drafts = new Map<number, string>();

export interface ComposerHandle {
  addFiles: (files: File[]) => void;
}

export function Composer({ convId, handle }: { convId: number; handle: { current: ComposerHandle | null } }) {
  const [text, setText] = useState(drafts.get(convId) ?? '');
  const [files, setFiles] = useState<Pending[]>([]);
  const area = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const convRef = useRef(convId);

  useEffect(() => {
    convRef.current = convId;
    setText(drafts.get(convId) ?? '');
    setFiles([]);
    return () => stopTyping();
  }, [convId]);

  // Grow with the text up to a limit.
  useLayoutEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = Math.min(el.scrollHeight, 220) + 'px';
  }, [text]);

  function addFiles(list: File[]) {
    for (const file of list) {
      if (file.size > MAX_UPLOAD_BYTES) {
        toast(t('composer.tooLarge', { name: file.name }), 'error');
        continue;
      }
      const key = uuid();
      const preview = /^image\//.test(file.type) ? URL.createObjectURL(file) : undefined;
      setFiles((fs) => [...fs, { key, name: file.name, size: file.size, preview }]);
      const forConv = convRef.current;
      upload<Attachment>(file)
        .then((att) => {
          if (convRef.current !== forConv) return;
          setFiles((fs) => fs.map((f) => (f.key === key ? { ...f, att } : f)));
        })
        .catch((err) => {
          setFiles((fs) => fs.filter((f) => f.key !== key));
          if (preview) URL.revokeObjectURL(preview);
          if (err instanceof ApiError && err.status === 413) toast(t('composer.tooLarge', { name: file.name }), 'error');
          else if (err instanceof ApiError && err.status === 415) toast(t('composer.unsupported', { name: file.name }), 'error');
          else if (!(err instanceof ApiError && err.status === 401))
            toast(t('composer.uploadFailed', { name: file.name, message: errorText(err) }), 'error');
        });
    }
  }
  handle.current = { addFiles };

  const uploading = files.some((f) => !f.att);
  const canSend = !uploading && (text.trim().length > 0 || files.length > 0);

  function send() {
    if (!canSend) return;
    const atts = files.map((f) => f.att!).filter(Boolean);
    sendMessage(convId, text.trim(), atts);
    files.forEach((f) => f.preview && URL.revokeObjectURL(f.preview));
    setText('');
    drafts.delete(convId);
    setFiles([]);
    area.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Enter' && !e.isComposing && e.keyCode !== 229) {
      if (e.shiftKey && !(e.ctrlKey || e.metaKey)) return; // newline
      e.preventDefault();
      send();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      (e.currentTarget as HTMLTextAreaElement).blur();
    }
  }

  function onInput(e: Event) {
    const v = (e.currentTarget as HTMLTextAreaElement).value;
    setText(v);
    drafts.set(convId, v);
    if (v.trim()) noteTyping(convId);
    else stopTyping();
  }

  function onPaste(e: ClipboardEvent) {
    const items = e.clipboardData?.files;
    if (items && items.length) {
      e.preventDefault();
      addFiles(Array.from(items));
    }
  }

  function remove(key: string) {
    setFiles((fs) => {
      const f = fs.find((x) => x.key === key);
      if (f?.preview) URL.revokeObjectURL(f.preview);
      return fs.filter((x) => x.key !== key);
    });
  }

  return (
    <div class="composer">
      {files.length > 0 && (
        <ul class="composer-files">
          {files.map((f) => (
            <li key={f.key} class={'chip' + (f.att ? '' : ' chip-busy')}>
              {f.preview ? <img src={f.preview} alt="" class="chip-thumb" /> : null}
              <span class="chip-name" title={f.name}>
                {f.name}
              </span>
              <span class="chip-size">{f.att ? fmtSize(f.size) : t('composer.uploading')}</span>
              <button type="button" class="chip-remove" onClick={() => remove(f.key)} aria-label={t('composer.remove', { name: f.name })}>
                <IconX size={12} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="composer-box">
        <label class="sr-only" for={'composer-' + convId}>
          {t('composer.label')}
        </label>
        <textarea
          id={'composer-' + convId}
          ref={area}
          rows={1}
          value={text}
          placeholder={t('composer.placeholder')}
          onInput={onInput}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => stopTyping()}
          data-testid="composer"
          aria-describedby={'composer-hint-' + convId}
        />
        <div class="composer-actions">
          <input
            ref={fileInput}
            type="file"
            multiple
            class="sr-only"
            tabIndex={-1}
            onChange={(e) => {
              const input = e.currentTarget;
              if (input.files) addFiles(Array.from(input.files));
              input.value = '';
            }}
            data-testid="attach-input"
            aria-label={t('composer.attach')}
          />
          <button type="button" class="icon-button" onClick={() => fileInput.current?.click()} aria-label={t('composer.attach')} title={t('composer.attach')} data-testid="attach-button">
            <IconPaperclip />
          </button>
          <span class="composer-hint" id={'composer-hint-' + convId}>
            {t('composer.hint')}
          </span>
          <button type="button" class="btn btn-primary btn-send" onClick={send} disabled={!canSend} data-testid="send-button">
            <IconSend size={15} />
            <span>{t('composer.send')}</span>
          </button>
        </div>
      </div>
    </div>
  );
}
