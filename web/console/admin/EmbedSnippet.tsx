import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { t } from '../i18n';
import { errorText } from '../store';

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API unavailable (http, old browser): fall back to a selection.
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    ta.remove();
    return ok;
  }
}

/** `copy(text)` puts the text on the clipboard; `copied` is true for two seconds after it did. */
export function useCopied() {
  const [copied, setCopied] = useState(false);
  async function copy(text: string) {
    if (await copyText(text)) {
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    }
  }
  return { copied, copy };
}

/** A snippet to paste (null while it loads) and its Copy button, which says "Copied" for two seconds, to screen readers too. */
export function SnippetBox({ text, class: cls, label, testid, copyTestid }: { text: string | null; class?: string; label?: string; testid: string; copyTestid: string }) {
  const { copied, copy } = useCopied();
  return (
    <>
      <div class={cls ? 'embed-box ' + cls : 'embed-box'}>
        <pre class="code" tabIndex={0} aria-label={label} data-testid={testid}>
          {text ?? t('common.loading')}
        </pre>
        <button type="button" class={'btn btn-sm ' + (copied ? 'btn-success' : 'btn-secondary')} onClick={() => text && copy(text)} disabled={!text} data-testid={copyTestid}>
          {copied ? t('common.copied') : t('common.copy')}
        </button>
      </div>
      <span class="sr-only" role="status" aria-live="polite">
        {copied ? t('common.copied') : ''}
      </span>
    </>
  );
}

export function EmbedSnippet({ inboxId }: { inboxId: number }) {
  const [snippet, setSnippet] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .get<{ snippet: string }>(`/inboxes/${inboxId}/embed`)
      .then((r) => live && setSnippet(r.snippet))
      .catch((err) => live && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [inboxId]);

  return (
    <div class="embed">
      <p class="muted small">{t('inboxes.embedHint')}</p>
      {error && <p class="notice notice-error">{error}</p>}
      <SnippetBox text={snippet} testid="embed-snippet" copyTestid="embed-copy" />
    </div>
  );
}
