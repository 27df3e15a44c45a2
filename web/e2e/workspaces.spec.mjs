// Workspaces of the installation: a super-admin creates a workspace with its first admin
// (inline validation first), gets the inbox key and embed snippet and sees it listed;
// the new admin signs in to their own workspace; a plain agent never sees the page.
import { test, expect } from './helpers.mjs';
import { serverForFile, consoleLogin, shotPath } from './helpers.mjs';

const NEW = { workspace: 'Acme Outdoor', name: 'Olga Owner', email: 'olga@acme-outdoor.test', password: 'acme-owner-pass-1' };

const env = serverForFile({ online: [] });

test('a super-admin creates a workspace, sees it listed, and its admin signs in', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const url = env.server.url;
  await consoleLogin(page, url, 'admin');
  await page.getByTestId('settings').click();
  await page.getByTestId('settings-workspaces').click();
  await expect(page).toHaveURL(/\/console\/settings\/workspaces$/);
  const list = page.getByTestId('workspace-list');
  await expect(list.getByTestId('workspace-row').filter({ hasText: 'Demo Shop' })).toHaveCount(1);

  // The form takes the focus; invalid fields are marked and the first one focused, nothing is sent.
  await page.getByTestId('workspace-new').click();
  const form = page.getByTestId('workspace-form');
  await expect(form.getByTestId('ws-name')).toBeFocused();
  await page.keyboard.type(NEW.workspace);
  await form.getByTestId('ws-email').fill('not-an-address');
  await form.getByTestId('ws-password').fill('short');
  await form.getByTestId('workspace-create').click();
  await expect(form.getByTestId('ws-adminName')).toBeFocused();
  await expect(form.getByTestId('ws-adminName')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByTestId('ws-email-error')).toBeVisible();
  await expect(form.getByTestId('ws-password-error')).toBeVisible();
  await expect(form.getByTestId('ws-confirm-error')).toBeVisible();
  await expect(form.getByTestId('ws-name-error')).toHaveCount(0);

  await form.getByTestId('ws-adminName').fill(NEW.name);
  await form.getByTestId('ws-email').fill(NEW.email);
  await form.getByTestId('ws-password').fill(NEW.password);
  await form.getByTestId('ws-confirm').fill(NEW.password + 'x');
  await form.getByTestId('workspace-create').click();
  await expect(form.getByTestId('ws-confirm-error')).toBeVisible();
  await form.getByTestId('ws-confirm').fill(NEW.password);
  await expect(form.getByTestId('ws-confirm-error')).toHaveCount(0);
  await page.keyboard.press('Enter');

  // Success: the inbox key, the embed snippet with it, the sign-in note; the list has the new workspace.
  const done = page.getByTestId('workspace-created');
  await expect(done).toBeVisible();
  await expect(done.getByRole('heading', { level: 2 })).toBeFocused();
  const key = (await done.getByTestId('workspace-inbox-key').textContent()).trim();
  expect(key).toMatch(/^\S{6,}$/);
  await expect(done.getByTestId('workspace-snippet')).toHaveText(`<script src="${url}/widget.js" data-inbox="${key}" async></script>`);
  await expect(done.getByTestId('workspace-signin-note')).toContainText(NEW.email);
  const row = list.getByTestId('workspace-row').filter({ hasText: NEW.workspace });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('workspace-agents')).toHaveText('1');
  await expect(row.getByTestId('workspace-help')).toHaveAttribute('href', /^\/help\/[a-z0-9-]+$/);
  await page.screenshot({ path: shotPath('workspaces-created-en-1280.png') });
  const ws = (await env.admin.call('/api/v1/workspaces')).json.workspaces;
  expect(ws.map((w) => w.name)).toContain(NEW.workspace);

  // Done closes the panel and gives the focus back to "New workspace".
  await done.getByTestId('workspace-done').click();
  await expect(done).toHaveCount(0);
  await expect(page.getByTestId('workspace-new')).toBeFocused();

  // The new admin signs in to the new workspace; they are no super-admin.
  const ctx = await browser.newContext();
  const p2 = await ctx.newPage();
  await p2.goto(url + '/console/');
  await p2.getByTestId('login-email').fill(NEW.email);
  await p2.getByTestId('login-password').fill(NEW.password);
  await p2.getByTestId('login-submit').click();
  await expect(p2.getByTestId('view-all')).toBeVisible();
  await p2.getByTestId('settings').click();
  await expect(p2.getByTestId('settings-agents')).toBeVisible();
  await expect(p2.getByTestId('settings-workspaces')).toHaveCount(0);
  const me = await p2.evaluate(() => fetch('/api/v1/me').then((r) => r.json()));
  expect(me.agent.email).toBe(NEW.email);
  expect(me.agent.role).toBe('admin');
  await ctx.close();
});

test('a plain agent sees no Workspaces item and the address falls back', async ({ page }) => {
  const url = env.server.url;
  await consoleLogin(page, url, 'anna', '/console/settings/workspaces');
  await expect(page).toHaveURL(/\/console\/mine$/);
  await expect(page.getByTestId('settings-workspaces')).toHaveCount(0);
  await expect(page.getByTestId('settings')).toHaveCount(0);
  await expect(page.getByTestId('workspaces-page')).toHaveCount(0);
});

test('an admin who is no super-admin does not see the page either', async ({ page }) => {
  // Log in as the admin of a fresh workspace (created through the API).
  const r = await env.admin.call('/api/v1/workspaces', {
    method: 'POST',
    body: { name: 'Second Shop', admin_name: 'Sid', admin_email: 'sid@second.test', admin_password: 'second-shop-pass' },
  });
  expect(r.status).toBe(201);
  await page.goto(env.server.url + '/console/settings/workspaces');
  await page.getByTestId('login-email').fill('sid@second.test');
  await page.getByTestId('login-password').fill('second-shop-pass');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('view-all')).toBeVisible();
  await expect(page).toHaveURL(/\/console\/mine$/);
  await page.getByTestId('settings').click();
  await expect(page.getByTestId('settings-security')).toBeVisible();
  await expect(page.getByTestId('settings-workspaces')).toHaveCount(0);
});
