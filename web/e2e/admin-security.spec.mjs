// Roles, access and account security in the console: an admin creates a supervisor
// limited to one inbox and one team, finds that in the audit log, deactivates and
// reactivates an agent; the supervisor sees the live view and reports but no settings;
// an agent changes their password and manages their sessions; one address in two
// workspaces picks one at sign-in.
import { test, expect } from './helpers.mjs';
import { initWorkspace, loginAgent, request } from '../../tests/lib/server.mjs';
import { serverForFile, consoleLogin, shotPath, DEMO } from './helpers.mjs';

const SAM = { email: 'sam.super@demo.switchboard.test', password: 'supervise-me-1' };

const env = serverForFile({ online: [] }, async (env) => {
  // Teams to pick from (the demo has none) and a second inbox.
  const r = await env.admin.call('/api/v1/routing', {
    method: 'PUT',
    body: { skills: [], teams: [{ name: 'Returns' }, { name: 'Billing' }], statuses: [] },
  });
  if (r.status !== 200) throw new Error('routing: ' + r.text);
  const i = await env.admin.call('/api/v1/inboxes', { method: 'POST', body: { name: 'Wholesale', timezone: 'Europe/Rome' } });
  if (i.status !== 201 && i.status !== 200) throw new Error('inbox: ' + i.status + ' ' + i.text);
});

test('an admin creates a scoped supervisor, sees it in the audit log and deactivates an agent', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const url = env.server.url;
  await consoleLogin(page, url, 'admin');
  await page.getByTestId('settings').click();
  await page.getByTestId('settings-agents').click();

  // New agent: supervisor, Demo Shop inbox and the Returns team only.
  await page.getByTestId('agent-new').click();
  const form = page.getByTestId('agent-form');
  await form.getByTestId('agent-name').fill('Sam Super');
  await form.getByTestId('agent-email').fill(SAM.email);
  await form.getByTestId('agent-password').fill(SAM.password);
  await form.getByRole('radio', { name: /Supervisor/ }).check();
  await expect(form.getByTestId('scope-inboxes')).toContainText('All inboxes');
  await form.getByRole('checkbox', { name: 'Demo Shop' }).check();
  await form.getByRole('checkbox', { name: 'Returns' }).check();
  await expect(form.getByTestId('scope-inboxes')).toContainText('1 of 2 selected');
  await page.screenshot({ path: shotPath('agent-form-supervisor-en-1280.png') });
  await form.getByTestId('agent-save').click();
  await expect(form).toHaveCount(0);

  const row = page.getByTestId('agent-row').filter({ hasText: 'Sam Super' });
  await expect(row.getByTestId('agent-role-badge')).toHaveText('Supervisor');
  await expect(row.getByTestId('agent-scope-summary')).toHaveText('Inboxes: Demo Shop · Teams: Returns');
  const agents = (await env.admin.call('/api/v1/agents')).json.agents;
  const sam = agents.find((a) => a.email === SAM.email);
  const teams = (await env.admin.call('/api/v1/routing')).json.teams;
  expect(sam.role).toBe('supervisor');
  expect(sam.scope).toEqual({ inboxes: [env.inbox.id], teams: [teams.find((x) => x.name === 'Returns').id] });

  // The audit log shows the creation; its details hold the new role.
  await page.getByTestId('settings-audit').click();
  await expect(page).toHaveURL(/\/console\/settings\/audit$/);
  await page.getByTestId('audit-category').selectOption('agent.');
  const created = page.getByTestId('audit-row').filter({ hasText: 'Agent created' }).filter({ hasText: 'Sam Super' });
  await expect(created).toHaveCount(1);
  await expect(page.getByTestId('audit-row').filter({ hasText: 'Signed in' })).toHaveCount(0);
  await created.getByTestId('audit-toggle').click();
  await expect(created.getByTestId('audit-toggle')).toHaveAttribute('aria-expanded', 'true');
  const diff = page.getByTestId('audit-diff');
  await expect(diff.getByTestId('diff-changed').filter({ hasText: 'role' })).toContainText('"supervisor"');
  await page.getByTestId('audit-search').fill('sam.super');
  await expect(page.getByTestId('audit-row')).not.toHaveCount(0);
  await expect(page.getByTestId('audit-export')).toHaveAttribute('href', '/api/v1/audit/export?q=sam.super&action=agent.');
  await page.screenshot({ path: shotPath('audit-en-1280.png') });

  // Deactivate Marek: the dialog closes on Escape, then confirm; he is greyed with a badge and cannot sign in.
  await page.getByTestId('settings-agents').click();
  const marek = page.getByTestId('agent-row').filter({ hasText: 'Marek' });
  await marek.getByTestId('agent-deactivate').click();
  await expect(page.getByTestId('deactivate-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('deactivate-dialog')).toHaveCount(0);
  await expect(marek.getByTestId('agent-deactivate')).toBeFocused();
  await marek.getByTestId('agent-deactivate').click();
  await page.getByTestId('deactivate-dialog').getByTestId('confirm-active').click();
  await expect(marek).toHaveAttribute('data-active', 'false');
  await expect(marek.getByTestId('agent-inactive')).toHaveText('Deactivated');
  expect((await request(url, '/api/v1/auth/login', { method: 'POST', body: DEMO.marek })).status).toBe(401);
  await marek.getByTestId('agent-reactivate').click();
  await page.getByTestId('reactivate-dialog').getByTestId('confirm-active').click();
  await expect(marek).toHaveAttribute('data-active', 'true');

  // The supervisor: live view and reports, no simulator, no settings.
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const sp = await ctx.newPage();
  await sp.goto(url + '/console/');
  await sp.getByTestId('login-email').fill(SAM.email);
  await sp.getByTestId('login-password').fill(SAM.password);
  await sp.getByTestId('login-submit').click();
  await expect(sp.getByTestId('nav-supervisor')).toBeVisible();
  await expect(sp.getByTestId('nav-reports')).toBeVisible();
  await expect(sp.getByTestId('nav-simulator')).toHaveCount(0);
  await expect(sp.getByTestId('settings')).toHaveCount(0);
  await sp.getByTestId('nav-reports').click();
  await sp.getByTestId('report-tab-self-service').click();
  await expect(sp.getByTestId('self-service-report')).toBeVisible();
  await expect(sp.getByTestId('stat-shown')).toBeVisible();
  // A settings address opens the inbox instead.
  await sp.goto(url + '/console/settings/audit');
  await expect(sp).toHaveURL(/\/console\/mine$/);
  await expect(sp.getByTestId('audit-page')).toHaveCount(0);
  await ctx.close();
});

test('an agent changes their password and manages their sessions', async ({ browser }) => {
  const url = env.server.url;
  // Anna is also signed in elsewhere (an API client).
  const elsewhere = await loginAgent(url, DEMO.anna);
  const ctx = await browser.newContext({ locale: 'it-IT', viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await consoleLogin(page, url, 'anna');
  // Plain agents: no supervision, no settings.
  await expect(page.getByTestId('nav-supervisor')).toHaveCount(0);
  await expect(page.getByTestId('settings')).toHaveCount(0);

  await page.getByTestId('my-account').click();
  await expect(page).toHaveURL(/\/console\/account$/);
  const sessions = page.getByTestId('session');
  await expect(sessions).toHaveCount(2);
  await expect(sessions.first().getByTestId('session-current')).toHaveText('Questo dispositivo');
  await expect(page.getByTestId('session-current')).toHaveCount(1);
  await page.screenshot({ path: shotPath('account-it-390.png'), fullPage: true });

  // Inline errors: the new passwords differ, then the current one is wrong.
  await page.getByTestId('password-current').fill('not-my-password');
  await page.getByTestId('password-fresh').fill('brand-new-pass-1');
  await page.getByTestId('password-confirm').fill('brand-new-pass-2');
  await page.getByTestId('password-save').click();
  await expect(page.getByTestId('password-confirm-error')).toHaveText('Le due password non coincidono.');
  await expect(page.getByTestId('password-confirm')).toBeFocused();
  await page.getByTestId('password-confirm').fill('brand-new-pass-1');
  await page.getByTestId('password-save').click();
  await expect(page.getByTestId('password-current-error')).toHaveText('La password attuale non è corretta.');
  await expect(page.getByTestId('password-current')).toHaveAttribute('aria-invalid', 'true');

  // The right one: the other session is signed out, and the toast says how many.
  await page.getByTestId('password-current').fill(DEMO.anna.password);
  await page.getByTestId('password-save').click();
  await expect(page.locator('.toast-success')).toContainText('Altre sessioni disconnesse: 1');
  await expect(sessions).toHaveCount(1);
  await expect(page.getByTestId('sign-out-others')).toBeDisabled();
  expect((await elsewhere.call('/api/v1/me')).status).toBe(401);

  // A new sign-in elsewhere shows up and can be ended from here.
  const again = await loginAgent(url, { email: DEMO.anna.email, password: 'brand-new-pass-1' });
  await page.reload();
  await expect(sessions).toHaveCount(2);
  await sessions.filter({ hasNot: page.getByTestId('session-current') }).getByTestId('session-end').click();
  await expect(sessions).toHaveCount(1);
  expect((await again.call('/api/v1/me')).status).toBe(401);

  // The admin's audit log has the change.
  const audit = (await env.admin.call('/api/v1/audit?action=auth.password_change')).json.entries;
  expect(audit[0].actor.name).toBe('Anna Rossi');
  expect(audit[0].after).toEqual({ ended_sessions: 1 });
  await ctx.close();
});

test('an address in two workspaces picks one at sign-in', async ({ page }) => {
  initWorkspace(env.server.dataDir, 'Second Shop', DEMO.marek.email, DEMO.marek.password);
  await page.goto(env.server.url + '/console/');
  await page.getByTestId('login-email').fill(DEMO.marek.email);
  await page.getByTestId('login-password').fill(DEMO.marek.password);
  await page.getByTestId('login-submit').click();
  const chooser = page.getByTestId('workspace-chooser');
  await expect(chooser.getByRole('button', { name: 'Demo Shop' })).toBeVisible();
  await expect(chooser.getByTestId('workspace-option').first()).toBeFocused();
  await chooser.getByRole('button', { name: 'Second Shop' }).click();
  await expect(page.getByTestId('view-all')).toBeVisible();
  // Marek is the admin of the second workspace.
  await expect(page.getByTestId('settings')).toBeVisible();
});
