// A dialog that asks before it acts: revoke a token, deactivate or reactivate an agent, reset their two-factor sign-in.
import { ErrorNotice, FormActions, useSubmit } from './Common';
import { Dialog } from './ConvRoutingActions';

/**
 * The question (`text`), Cancel and the action's button (`confirm`; red unless `safe`), which takes the first
 * focus. Busy while `action` runs; a failure stays in the dialog, `describe(err)` its message (null: none; by
 * default the form's). `actionsClass` is the buttons row's class beside "form-actions".
 */
export function ConfirmDialog({
  title,
  testid,
  text,
  confirm,
  confirmTestid,
  safe,
  actionsClass = 'dialog-actions',
  onClose,
  action,
  describe,
}: {
  title: string;
  testid: string;
  text: string;
  confirm: string;
  confirmTestid: string;
  safe?: boolean;
  actionsClass?: string;
  onClose: () => void;
  action: () => Promise<unknown>;
  describe?: (err: unknown) => string | null;
}) {
  const { busy, error, run } = useSubmit();
  async function submit(e: Event) {
    e.preventDefault();
    await run(action, describe);
  }
  return (
    <Dialog title={title} onClose={onClose} testid={testid}>
      <form class="desk-form" onSubmit={submit}>
        <p class="dialog-text">{text}</p>
        <ErrorNotice error={error} />
        <FormActions class={actionsClass} onCancel={onClose} disabled={busy} danger={!safe} autofocus testid={confirmTestid}>
          {confirm}
        </FormActions>
      </form>
    </Dialog>
  );
}
