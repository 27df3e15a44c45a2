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

export function EmbedSnippet({ inboxId }: { inboxId: number }) {
  const [snippet, setSnippet] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

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

  async function copy() {
    if (!snippet) return;
    if (await copyText(snippet)) {
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    }
  }

  return (
    <div class="embed">
      <p class="muted small">{t('inboxes.embedHint')}</p>
      {error && <p class="notice notice-error">{error}</p>}
      <div class="embed-box">
        <pre class="code" data-testid="embed-snippet" tabIndex={0}>
          {snippet ?? t('common.loading')}
        </pre>
        <button type="button" class={'btn btn-sm ' + (copied ? 'btn-success' : 'btn-secondary')} onClick={copy} disabled={!snippet} data-testid="embed-copy">
          {copied ? t('common.copied') : t('common.copy')}
        </button>
      </div>
      <span class="sr-only" role="status" aria-live="polite">
        {copied ? t('common.copied') : ''}
      </span>
    </div>
  );
}
