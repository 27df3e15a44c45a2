// Small pieces the admin, supervisor and desk views share.
import type { ComponentChildren, Ref } from 'preact';
import { useState } from 'preact/hooks';
import { formError } from '../admin/routingApi';
import { t } from '../i18n';
import { IconX } from './Icons';

/** A form's or a view's error message, announced; nothing when there is none. */
export function ErrorNotice({ error, testid, id, class: cls }: { error: string | null | undefined; testid?: string; id?: string; class?: string }) {
  if (!error) return null;
  return (
    <p class={'notice notice-error' + (cls ? ' ' + cls : '')} role="alert" id={id} data-testid={testid}>
      {error}
    </p>
  );
}

/**
 * The head of every settings, account and supervisor page: its title, a line under it
 * (`small`: a smaller note line; none when empty), and on the right any actions (`children`).
 */
export function SettingsHeader({
  title,
  subtitle,
  small,
  children,
}: {
  title: ComponentChildren;
  subtitle?: ComponentChildren;
  small?: boolean;
  children?: ComponentChildren;
}) {
  return (
    <header class="settings-header">
      <div>
        <h1>{title}</h1>
        {subtitle ? <p class={small ? 'muted small' : 'muted'}>{subtitle}</p> : null}
      </div>
      {children}
    </header>
  );
}

/** A column heading: its label, or its label and a class ("num" for a right-aligned number column). */
export type Column = string | { label: string; class: string };

/** A table's header row; `actions` adds a last column, unlabelled but for screen readers, for the row buttons. */
export function TableHead({ cols, actions, children }: { cols: Column[]; actions?: boolean; children?: ComponentChildren }) {
  return (
    <thead>
      <tr>
        {cols.map((c, i) =>
          typeof c === 'string' ? (
            <th key={i} scope="col">
              {c}
            </th>
          ) : (
            <th key={i} scope="col" class={c.class}>
              {c.label}
            </th>
          ),
        )}
        {children}
        {actions && (
          <th scope="col">
            <span class="sr-only">{t('agents.actions')}</span>
          </th>
        )}
      </tr>
    </thead>
  );
}

/** The head of an editor card: its title (`headingRef`: focusable, to take the focus on open) and a close button that cancels. */
export function FormCardHeader({
  id,
  headingRef,
  onCancel,
  children,
}: {
  id: string;
  headingRef?: Ref<HTMLHeadingElement>;
  onCancel: () => void;
  children: ComponentChildren;
}) {
  return (
    <header class="form-card-header">
      <h2 id={id} tabIndex={headingRef ? -1 : undefined} ref={headingRef}>
        {children}
      </h2>
      <button type="button" class="icon-button" onClick={onCancel} aria-label={t('common.cancel')}>
        <IconX />
      </button>
    </header>
  );
}

/**
 * Cancel and submit at the foot of a form: a <footer class="form-actions">, or with `class` (even "") a <div>
 * (a dialog's). The submit is red with `danger`, and takes a dialog's first focus with `autofocus`.
 */
export function FormActions({
  class: cls,
  onCancel,
  disabled,
  testid,
  danger,
  autofocus,
  children,
}: {
  class?: string;
  onCancel: () => void;
  disabled: boolean;
  testid: string;
  danger?: boolean;
  autofocus?: boolean;
  children: ComponentChildren;
}) {
  const buttons = (
    <>
      <button type="button" class="btn btn-ghost" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      <button type="submit" class={danger ? 'btn btn-danger-solid' : 'btn btn-primary'} disabled={disabled} data-autofocus={autofocus || undefined} data-testid={testid}>
        {children}
      </button>
    </>
  );
  return cls == null ? <footer class="form-actions">{buttons}</footer> : <div class={cls ? 'form-actions ' + cls : 'form-actions'}>{buttons}</div>;
}

/** A field's error under it, announced; `id` is what the field's aria-describedby names. Nothing when there is none. */
export function FieldError({ id, error, testid }: { id: string; error: ComponentChildren; testid?: string }) {
  if (!error) return null;
  return (
    <span class="field-error" id={id} role="alert" data-testid={testid}>
      {error}
    </span>
  );
}

/** A key handler for a one-line field: Enter runs `f` (and does not submit the form). */
export const onEnter = (f: () => void) => (e: KeyboardEvent) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    f();
  }
};

/** One figure in a <ul class="stat-row">: its label, the value (`testid` on it), a line under it if any; `tone` colours the card. */
export function StatCard({
  label,
  value,
  sub,
  testid,
  tone,
}: {
  label: ComponentChildren;
  value: ComponentChildren;
  sub?: ComponentChildren;
  testid?: string;
  tone?: 'good' | 'bad' | null;
}) {
  return (
    <li class={tone ? 'stat-card is-' + tone : 'stat-card'}>
      <span class="stat-label">{label}</span>
      <span class="stat-value" data-testid={testid}>
        {value}
      </span>
      {sub != null && <span class="stat-sub">{sub}</span>}
    </li>
  );
}

/**
 * The submit state of a form or dialog (one hook for all of them): `run(work)` clears the error and
 * is busy while the work runs; if the work throws, `describe(err)` is the error shown (null: handled,
 * nothing to show; `run` may take its own). `run` resolves to whether the work succeeded.
 */
export function useSubmit(describe: (err: unknown) => string | null = formError) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run(work: () => Promise<unknown>, describeThis = describe): Promise<boolean> {
    setError(null);
    setBusy(true);
    try {
      await work();
      return true;
    } catch (err) {
      setError(describeThis(err));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}
