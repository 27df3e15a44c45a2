// Personal API tokens: an agent's own (My account: create, shown once, revoke) and,
// for admins, every token in the workspace with its owner (Settings → Security).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { fmtDate, fmtDateTime, t } from '../i18n';
import { errorText, toast } from '../store';
import { ErrorNotice, FieldError, FormActions, useSubmit } from '../components/Common';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog } from '../components/ConvRoutingActions';
import { IconAlert, IconKey, IconPlus } from '../components/Icons';
import { useCopied } from '../admin/EmbedSnippet';
import '../security.css';

export type TokenScope = 'read' | 'write';

export interface ApiToken {
  id: number | string;
  name: string;
  scopes: TokenScope[];
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  last_used_ip?: string | null;
  expires_at: number | null;
  /** Admin list: who owns it. */
  agent?: { id: number; name: string };
}

/** Loads a token list; `missing` when the server has no such endpoint yet (404). */
function useTokens(path: string) {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function load() {
    setError(null);
    try {
      const res = await api.get<{ tokens: ApiToken[] }>(path);
      setTokens([...(res.tokens ?? [])].sort((a, b) => b.created_at - a.created_at));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setError(t('tokens.unavailable'));
      else if (!(err instanceof ApiError && err.status === 401)) setError(errorText(err));
    }
  }
  useEffect(() => {
    void load();
  }, [path]);
  return { tokens, error, load, setTokens };
}

const expired = (tk: ApiToken) => tk.expires_at != null && tk.expires_at <= Date.now();

function ScopeBadges({ scopes }: { scopes: TokenScope[] }) {
  const write = scopes.includes('write');
  return (
    <span class={'token-scope' + (write ? ' is-write' : '')} data-testid="token-scope">
      {write ? t('tokens.readWrite') : t('tokens.read')}
    </span>
  );
}

/** One token: name, access, prefix; created, last use with IP, expiry; a Revoke button. */
function TokenItem({ tk, owner, onRevoke }: { tk: ApiToken; owner?: boolean; onRevoke: () => void }) {
  const gone = expired(tk);
  return (
    <li class={'token' + (gone ? ' is-expired' : '')} data-testid="token-row" data-id={tk.id}>
      <span class="session-icon" aria-hidden="true">
        <IconKey size={17} />
      </span>
      <div class="session-text">
        <span class="token-head">
          <strong class="token-name" data-testid="token-name">
            {tk.name}
          </strong>
          <ScopeBadges scopes={tk.scopes} />
          <code class="token-prefix">{tk.prefix}</code>
        </span>
        {owner && tk.agent && (
          <span class="small token-owner" data-testid="token-owner">
            {t('tokens.owner', { name: tk.agent.name })}
          </span>
        )}
        <span class="muted small session-meta">
          <span title={fmtDateTime(tk.created_at)}>{t('tokens.created', { when: fmtDate(tk.created_at) })}</span>
          <span data-testid="token-last-used">
            {tk.last_used_at ? t('tokens.lastUsed', { when: fmtDateTime(tk.last_used_at), ip: tk.last_used_ip || '—' }) : t('tokens.neverUsed')}
          </span>
          <span class={gone ? 'token-expired' : undefined}>
            {tk.expires_at == null
              ? t('tokens.noExpiry')
              : t(gone ? 'tokens.expired' : 'tokens.expires', { when: fmtDate(tk.expires_at) })}
          </span>
        </span>
      </div>
      <button
        type="button"
        class="btn btn-ghost btn-sm btn-danger"
        onClick={onRevoke}
        aria-label={t('tokens.revokeFor', { name: tk.name })}
        aria-haspopup="dialog"
        data-testid="token-revoke"
      >
        {t('tokens.revoke')}
      </button>
    </li>
  );
}

function RevokeDialog({ tk, path, onClose, onDone }: { tk: ApiToken; path: string; onClose: () => void; onDone: () => void }) {
  return (
    <ConfirmDialog
      title={t('tokens.revokeTitle', { name: tk.name })}
      testid="token-revoke-dialog"
      text={tk.agent ? t('tokens.revokeTextOwner', { name: tk.agent.name }) : t('tokens.revokeText')}
      confirm={t('tokens.revoke')}
      confirmTestid="token-revoke-confirm"
      onClose={onClose}
      action={async () => {
        await api.del(`${path}/${encodeURIComponent(String(tk.id))}`);
        toast(t('tokens.revoked', { name: tk.name }), 'success');
        onDone();
      }}
      describe={(err) => {
        if (!(err instanceof ApiError && err.status === 404)) return errorText(err);
        onDone(); // already gone
        return null;
      }}
    />
  );
}

const EXPIRIES = ['30', '90', '365', 'never'] as const;
type Expiry = (typeof EXPIRIES)[number];

function CreateDialog({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [write, setWrite] = useState(false);
  const [expiry, setExpiry] = useState<Expiry>('90');
  const { busy, error, run } = useSubmit();
  const [nameError, setNameError] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const { copied, copy } = useCopied();
  const tokenRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (secret) tokenRef.current?.select();
  }, [secret]);

  async function submit(e: Event) {
    e.preventDefault();
    if (!name.trim()) return setNameError(true);
    await run(
      async () => {
        const res = await api.post<ApiToken & { token: string }>('/me/tokens', {
          name: name.trim(),
          scopes: write ? ['read', 'write'] : ['read'],
          expires_in_days: expiry === 'never' ? null : Number(expiry),
        });
        setSecret(res.token);
        onCreated();
      },
      (err) => (err instanceof ApiError && err.status === 404 ? t('tokens.unavailable') : errorText(err)),
    );
  }

  if (secret) {
    return (
      <Dialog title={t('tokens.createdTitle', { name: name.trim() })} onClose={onClose} testid="token-created-dialog">
        <div class="desk-form">
          <p class="notice notice-warn token-once" role="status">
            <IconAlert size={16} />
            <span>{t('tokens.once')}</span>
          </p>
          <label class="sr-only" for="token-secret">
            {t('tokens.secretLabel')}
          </label>
          <div class="token-secret-row">
            <input id="token-secret" ref={tokenRef} class="mono token-secret" readOnly value={secret} onFocus={(e) => e.currentTarget.select()} data-testid="token-secret" />
            <button type="button" class="btn btn-secondary" onClick={() => copy(secret)} data-testid="token-copy">
              {copied ? t('common.copied') : t('common.copy')}
            </button>
          </div>
          <p class="muted small">{t('tokens.usage')}</p>
          <div class="form-actions dialog-actions">
            <button type="button" class="btn btn-primary" onClick={onClose} data-testid="token-done">
              {t('twofa.done')}
            </button>
          </div>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={t('tokens.newTitle')} onClose={onClose} testid="token-create-dialog">
      <form class="desk-form" onSubmit={submit} noValidate>
        <ErrorNotice error={error} testid="token-error" />
        <div class="field">
          <label class="field-label" for="token-name">
            {t('tokens.name')}
          </label>
          <input
            id="token-name"
            maxLength={100}
            value={name}
            placeholder={t('tokens.namePlaceholder')}
            onInput={(e) => {
              setName(e.currentTarget.value);
              setNameError(false);
            }}
            aria-invalid={nameError ? 'true' : undefined}
            aria-describedby={nameError ? 'token-name-error' : undefined}
            data-testid="token-name-input"
          />
          <FieldError id="token-name-error" error={nameError && t('tokens.nameRequired')} />
        </div>
        <fieldset class="field role-picker">
          <legend class="field-label">{t('tokens.access')}</legend>
          <div class="role-options token-access">
            {([false, true] as const).map((w) => (
              <label key={String(w)} class={'role-option' + (write === w ? ' is-selected' : '')}>
                <input type="radio" name="token-access" checked={write === w} onChange={() => setWrite(w)} data-testid={w ? 'token-access-write' : 'token-access-read'} />
                <span class="role-option-text">
                  <span class="role-option-name">{w ? t('tokens.readWrite') : t('tokens.read')}</span>
                  <span class="role-option-hint">{w ? t('tokens.readWriteHint') : t('tokens.readHint')}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <label class="field">
          <span class="field-label">{t('tokens.expiry')}</span>
          <select value={expiry} onChange={(e) => setExpiry(e.currentTarget.value as Expiry)} data-testid="token-expiry">
            {EXPIRIES.map((x) => (
              <option key={x} value={x}>
                {x === 'never' ? t('tokens.never') : x === '365' ? t('tokens.oneYear') : t('tokens.days', { n: x })}
              </option>
            ))}
          </select>
          {expiry === 'never' && <span class="field-hint">{t('tokens.neverHint')}</span>}
        </label>
        <FormActions class="dialog-actions" onCancel={onClose} disabled={busy} testid="token-create-submit">
          {busy ? t('common.saving') : t('tokens.create')}
        </FormActions>
      </form>
    </Dialog>
  );
}

/**
 * The tokens from `path` (loading, none: `empty`, or the list; `owner`: each one's owner) with a Revoke
 * button each that asks first, then `reload`s.
 */
function TokenList({
  tokens,
  error,
  path,
  reload,
  owner,
  empty,
  emptyTestid,
  testid,
}: {
  tokens: ApiToken[] | null;
  error: string | null;
  path: string;
  reload: () => Promise<void>;
  owner?: boolean;
  empty: string;
  emptyTestid?: string;
  testid: string;
}) {
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  return (
    <>
      {!tokens ? (
        !error && <p class="muted">{t('common.loading')}</p>
      ) : tokens.length === 0 ? (
        <p class="muted small token-empty" data-testid={emptyTestid}>
          {empty}
        </p>
      ) : (
        <ul class="session-list" data-testid={testid}>
          {tokens.map((tk) => (
            <TokenItem key={tk.id} tk={tk} owner={owner} onRevoke={() => setRevoking(tk)} />
          ))}
        </ul>
      )}
      {revoking && (
        <RevokeDialog
          tk={revoking}
          path={path}
          onClose={() => setRevoking(null)}
          onDone={() => {
            setRevoking(null);
            void reload();
          }}
        />
      )}
    </>
  );
}

/** My account: the agent's own tokens. */
export function ApiTokensCard() {
  const { tokens, error, load } = useTokens('/me/tokens');
  const [creating, setCreating] = useState(false);
  return (
    <section class="card form-section account-section" aria-labelledby="tokens-title" data-testid="tokens-card">
      <div class="section-head">
        <div>
          <h2 id="tokens-title" class="section-title">
            <IconKey size={17} />
            {t('tokens.title')}
          </h2>
          <p class="muted small">{t('tokens.hint')}</p>
        </div>
        <button type="button" class="btn btn-secondary btn-sm" onClick={() => setCreating(true)} aria-haspopup="dialog" disabled={!tokens} data-testid="token-new">
          <IconPlus size={15} />
          {t('tokens.create')}
        </button>
      </div>
      <ErrorNotice error={error} testid="tokens-error" />
      <TokenList tokens={tokens} error={error} path="/me/tokens" reload={load} empty={t('tokens.empty')} emptyTestid="tokens-empty" testid="token-list" />
      {creating && <CreateDialog onClose={() => setCreating(false)} onCreated={() => void load()} />}
    </section>
  );
}

/** Settings → Security: every token in the workspace, with its owner. */
export function WorkspaceTokens() {
  const { tokens, error, load } = useTokens('/admin/tokens');
  return (
    <section class="card form-section account-section" aria-labelledby="ws-tokens-title" data-testid="workspace-tokens">
      <h2 id="ws-tokens-title" class="section-title">
        <IconKey size={17} />
        {t('security.tokensTitle')}
      </h2>
      <p class="muted small">{t('security.tokensHint')}</p>
      <ErrorNotice error={error} />
      <TokenList tokens={tokens} error={error} path="/admin/tokens" reload={load} owner empty={t('security.noTokens')} testid="workspace-token-list" />
    </section>
  );
}
