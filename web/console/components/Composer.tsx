import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, MAX_UPLOAD_BYTES } from '../api';
import { t } from '../i18n';
import { errorText, getState, noteTyping, sendMessage, stopTyping, toast, upload, useStore } from '../store';
import type { Attachment } from '../types';
import { isTypingTarget, uuid } from '../util';
import { addNote } from '../agentdesk';
import { useSubmit } from './Common';
import { AttachmentList, ComposerActions, ComposerModes, type ComposerMode, type Pending } from './ComposerParts';
import { MentionMenu, mentionAt, mentionMatches, type MentionQuery } from './MentionMenu';
import { MailComposerFields, mailReplyOptions, resetMailDraft } from '../mail/MailComposerFields';
import { isMailTicket } from '../mail/mailApi';
import { CoachBackdrop, CoachHints, CoachSwitch, useCoach, useCoachSwitch } from '../coach/Coach';
import { applySuggestion, coachDraftSent, reportAccepted, type CoachFlag, type CoachSuggestion } from '../coach/coachApi';
import { useCannedPicker } from '../canned/CannedPicker';
import { useScriptSuggest } from '../scripts/ScriptSuggest';

// Drafts survive switching between conversations (memory only).
const drafts = new Map<number, string>();
// Reply or internal note, per conversation (memory only).
const modes = new Map<number, ComposerMode>();

export interface ComposerHandle {
  addFiles: (files: File[]) => void;
}

export function Composer({ convId, handle }: { convId: number; handle: { current: ComposerHandle | null } }) {
  const [text, setText] = useState(drafts.get(convId) ?? '');
  const [files, setFiles] = useState<Pending[]>([]);
  const area = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const convRef = useRef(convId);
  const [mode, setModeState] = useState<ComposerMode>(modes.get(convId) ?? 'reply');
  // A failed note is a toast; the text stays in the box.
  const { busy: noteBusy, run: runNote } = useSubmit((err) => {
    toast(errorText(err), 'error');
    return null;
  });
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const agents = useStore((s) => s.agents);
  const me = useStore((s) => s.me);
  const conv = useStore((s) => s.convs[convId]);
  const note = mode === 'note';
  const mentionList = note && mention ? mentionMatches(agents, mention.query, me?.id) : [];
  // The etiquette coach reads replies (not notes) while the agent types; it never blocks sending.
  const [coachOn, toggleCoach] = useCoachSwitch();
  /** Replaces the draft (an inserted answer or script) and puts the caret. */
  const applyDraft = (v: string, caret: number) => {
    setText(v);
    drafts.set(convRef.current, v);
    setMention(null);
    requestAnimationFrame(() => {
      const el = area.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(caret, caret);
    });
  };
  /** A canned answer's files: shown as on their way, then its fresh copies, as if the agent had uploaded them. */
  const attachCopies = (list: Attachment[], copies: Promise<Attachment[]>) => {
    const forConv = convRef.current;
    const keys = list.map(() => uuid());
    setFiles((fs) => [...fs, ...list.map((a, i) => ({ key: keys[i], name: a.name, size: a.size }))]);
    const drop = (fs: Pending[]) => fs.filter((f) => !keys.includes(f.key));
    copies
      .then((atts) => {
        if (convRef.current !== forConv) return;
        setFiles((fs) => {
          // A copy whose chip the agent removed meanwhile is left out.
          const left = fs.filter((f) => keys.includes(f.key)).map((f) => f.name);
          const kept = atts.filter((att) => {
            const i = left.indexOf(att.name);
            if (i >= 0) left.splice(i, 1);
            return i >= 0;
          });
          return [...drop(fs), ...kept.map((att) => ({ key: uuid(), name: att.name, size: att.size, att }))];
        });
      })
      .catch((err) => {
        setFiles(drop);
        if (!(err instanceof ApiError && err.status === 401)) toast(t('canned.attachFailed', { message: errorText(err) }), 'error');
      });
  };
  // Canned answers: "/" opens the picker (replies and notes).
  const canned = useCannedPicker({ convId, conv, text, note, area, apply: applyDraft, attach: attachCopies });
  // Scripts: the one for the moment under the text (replies), Alt+S inserts it.
  const scripts = useScriptSuggest({ convId, conv, text, note, area, apply: applyDraft });
  // ...and while it is open the coach does not read the "/query".
  const coach = useCoach(convId, text, !note && coachOn && !canned.open);

  function setMode(m: ComposerMode) {
    modes.set(convRef.current, m);
    setModeState(m);
    setMention(null);
    if (m === 'note') stopTyping(); // the visitor must not see "typing…" for a note
  }

  useEffect(() => {
    convRef.current = convId;
    setText(drafts.get(convId) ?? '');
    setFiles([]);
    setModeState(modes.get(convId) ?? 'reply');
    setMention(null);
    return () => stopTyping();
  }, [convId]);

  // N (outside text fields): write an internal note.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.key !== 'n' && e.key !== 'N') || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      if ((e.target as HTMLElement | null)?.closest?.('[aria-modal="true"]') || document.querySelector('[aria-modal="true"]')) return;
      e.preventDefault();
      setMode('note');
      area.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

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
  const canSend = note ? !noteBusy && text.trim().length > 0 : !uploading && (text.trim().length > 0 || files.length > 0);

  async function sendNote() {
    const body = text.trim();
    if (!body || noteBusy) return;
    await runNote(async () => {
      await addNote(convId, body);
      if (convRef.current === convId) {
        canned.sent(body, true);
        setText('');
        drafts.delete(convId);
        setMention(null);
      }
    });
    area.current?.focus();
  }

  function pickMention(i: number) {
    const el = area.current;
    const a = mentionList[i];
    if (!el || !mention || !a) return;
    const insert = '@' + a.handle + ' ';
    const v = text.slice(0, mention.start) + insert + text.slice(mention.end);
    setText(v);
    drafts.set(convId, v);
    setMention(null);
    const caret = mention.start + insert.length;
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(caret, caret);
    });
  }

  function applyCoach(f: CoachFlag, s: CoachSuggestion) {
    const el = area.current;
    const r = applySuggestion(text, s);
    setText(r.text);
    drafts.set(convId, r.text);
    reportAccepted(convId, f.rule, coach.language);
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      el.setSelectionRange(r.caret, r.caret);
    });
  }

  function send() {
    if (!canSend) return;
    if (note) return void sendNote();
    coachDraftSent(convId);
    const atts = files.map((f) => f.att!).filter(Boolean);
    const mail = mailReplyOptions(conv, getState().events[convId] ?? []);
    sendMessage(convId, text.trim(), atts, mail);
    canned.sent(text.trim(), false);
    if (mail) resetMailDraft(convId);
    files.forEach((f) => f.preview && URL.revokeObjectURL(f.preview));
    setText('');
    drafts.delete(convId);
    setFiles([]);
    area.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent) {
    if (canned.onKeyDown(e)) return;
    if (scripts.onKeyDown(e)) return;
    if (mention && mentionList.length && !e.isComposing) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const n = mentionList.length;
        setMention({ ...mention, index: (mention.index + (e.key === 'ArrowDown' ? 1 : n - 1)) % n });
        return;
      }
      if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
        e.preventDefault();
        pickMention(Math.min(mention.index, mentionList.length - 1));
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setMention(null);
        return;
      }
    }
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
    const el = e.currentTarget as HTMLTextAreaElement;
    const v = el.value;
    setText(v);
    drafts.set(convId, v);
    canned.onInput(v, el.selectionStart ?? v.length);
    if (note) {
      const q = mentionAt(v, el.selectionStart ?? v.length);
      setMention(q ? { ...q, index: mention && mention.start === q.start ? mention.index : 0 } : null);
      return; // no typing indicator for notes
    }
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
    <div class={'composer' + (note ? ' composer-is-note' : '')}>
      {!note && isMailTicket(conv) && <MailComposerFields conv={conv} />}
      {!note && files.length > 0 && <AttachmentList files={files} onRemove={remove} />}
      <div class={'composer-box' + (note ? ' composer-note' : '')} data-mode={mode}>
        <ComposerModes note={note} onMode={setMode} />
        {canned.menu}
        {!canned.open && scripts.menu}
        {!canned.open && note && mention && mentionList.length > 0 && (
          <MentionMenu id={'mentions-' + convId} items={mentionList} active={mention.index} onPick={pickMention} />
        )}
        <label class="sr-only" for={'composer-' + convId}>
          {note ? t('composer.note') : t('composer.label')}
        </label>
        <div class="coach-field">
          {!note && <CoachBackdrop area={area} text={text} flags={coach.flags} />}
          <textarea
            id={'composer-' + convId}
            ref={area}
            rows={1}
            value={text}
            placeholder={note ? t('composer.notePlaceholder') : t('composer.placeholder')}
            onInput={onInput}
            onKeyDown={onKeyDown}
            onPaste={onPaste}
            onFocus={scripts.onFocus}
            onBlur={() => {
              stopTyping();
              canned.onBlur();
              setTimeout(() => setMention(null), 150);
            }}
            onClick={(e) => {
              const el = e.currentTarget as HTMLTextAreaElement;
              canned.onCaret(el.value, el.selectionStart ?? el.value.length);
              if (!note) return;
              const q = mentionAt(el.value, el.selectionStart ?? el.value.length);
              setMention(q ? { ...q, index: 0 } : null);
            }}
            data-testid="composer"
            data-mode={mode}
            aria-describedby={'composer-hint-' + convId}
            aria-autocomplete="list"
            aria-controls={canned.aria ? canned.aria['aria-controls'] : note && mentionList.length ? 'mentions-' + convId : undefined}
            // Only while a list is open (a textarea may not carry aria-expanded="false").
            aria-expanded={!!canned.aria || (note && mentionList.length > 0) ? true : undefined}
            aria-activedescendant={
              canned.aria ? canned.aria['aria-activedescendant'] : note && mention && mentionList.length ? `mentions-${convId}-${Math.min(mention.index, mentionList.length - 1)}` : undefined
            }
          />
        </div>
        {canned.bar}
        <ComposerActions
          convId={convId}
          note={note}
          canSend={canSend}
          fileInput={fileInput}
          onFiles={addFiles}
          onSend={send}
          coachSwitch={!note && <CoachSwitch on={coachOn} onToggle={toggleCoach} />}
          script={scripts.chip}
        />
        {scripts.live}
      </div>
      {!note && coachOn && <CoachHints convId={convId} text={text} flags={coach.flags} onApply={applyCoach} />}
    </div>
  );
}
