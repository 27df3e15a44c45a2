// Canned answers with files, and their effect (console). The admin writes a workspace answer
// /manual on the Canned answers page and adds a PDF (its upload shown, then ready) and an .exe
// (refused: 415, said at its row, removed); the row says "Files: 1". A customer chats; Anna
// types /manu, the picker shows the file, Enter inserts the text and the answer's fresh copy
// among the reply's files; sent, the message carries the PDF in the console and the widget,
// and the use is counted with the conversation. The effect panel (supervisors and admins
// only) says there is not enough data yet. Screenshots: the form with its files, the composer
// with the copy, the effect at 1366 and 390 px and in Italian.
import { test, expect } from './helpers.mjs';
import { loginAgent } from '../../tests/lib/server.mjs';
import { serverForFile, agentAndVisitor, consoleLogin, startWidgetChat, widgetMessages, consoleMessages, makePdf, shotPath, DEMO } from './helpers.mjs';

const env = serverForFile({ online: ['anna'] });

test('a canned answer keeps a file; inserted in a conversation, the message carries its copy', async ({ browser }) => {
  const url = env.server.url;
  const pdf = makePdf('User manual');

  // ---- the admin writes /manual with a file ----
  const adminCtx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const admin = await adminCtx.newPage();
  await consoleLogin(admin, url, 'admin', '/console/canned');
  await admin.getByTestId('canned-new').click();
  const form = admin.getByTestId('canned-form');
  await form.getByTestId('canned-shortcut').fill('manual');
  await form.getByTestId('canned-title').fill('The user manual');
  await form.getByTestId('canned-scope-workspace').check();
  await form.getByTestId('canned-variant-text').first().fill('Here is the manual, {{contact.first_name}}.');
  await expect(form.getByTestId('canned-file-add')).toBeEnabled();
  await form.getByTestId('canned-file-input').setInputFiles({ name: 'manual.pdf', mimeType: 'application/pdf', buffer: pdf });
  const file = form.locator('[data-testid="canned-file"][data-name="manual.pdf"]');
  await expect(file).toHaveAttribute('data-state', 'ready');
  await expect(file).toContainText(/\d+(\.\d+)? (B|byte|kB)/);
  // A type the server does not take: said at its row, not saved.
  await form.getByTestId('canned-file-input').setInputFiles({ name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ not a program') });
  const bad = form.locator('[data-testid="canned-file"][data-name="setup.exe"]');
  await expect(bad).toHaveAttribute('data-state', 'failed');
  await expect(bad.getByTestId('canned-file-error')).toHaveText('“setup.exe”: this file type is not allowed.');
  await bad.scrollIntoViewIfNeeded();
  await admin.screenshot({ path: shotPath('canned-files-form-1366.png') });
  await bad.getByRole('button', { name: 'Remove setup.exe' }).click();
  await expect(bad).toHaveCount(0);
  // Larger than 10 MB: refused before it is sent.
  await form.getByTestId('canned-file-input').setInputFiles({ name: 'huge.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 32) });
  const huge = form.locator('[data-testid="canned-file"][data-name="huge.pdf"]');
  await expect(huge.getByTestId('canned-file-error')).toHaveText('“huge.pdf” is larger than 10 MB.');
  await huge.getByRole('button', { name: 'Remove huge.pdf' }).click();
  await expect(form.getByTestId('canned-file')).toHaveCount(1);
  await form.getByTestId('canned-save').click();
  await expect(form).toHaveCount(0);
  const row = admin.locator('[data-testid="canned-row"][data-shortcut="manual"]');
  await expect(row.getByTestId('canned-row-files')).toHaveText('Files: 1');
  const saved = (await env.admin.call('/api/v1/canned?q=manual')).json.answers.find((a) => a.shortcut === 'manual');
  expect(saved.attachments.map((a) => [a.name, a.content_type, a.size])).toEqual([['manual.pdf', 'application/pdf', pdf.length]]);

  // Reopened, the form lists the file; removing it and cancelling keeps it.
  await row.getByTestId('canned-edit').click();
  await expect(form.locator('[data-testid="canned-file"][data-name="manual.pdf"]')).toHaveAttribute('data-state', 'ready');
  await form.getByRole('button', { name: 'Cancel' }).first().click();

  // The form in Russian on a phone.
  const ru = await adminCtx.newPage();
  await ru.setViewportSize({ width: 390, height: 844 });
  await ru.addInitScript(() => localStorage.setItem('sb.console.lang', 'ru'));
  await ru.goto(url + '/console/canned');
  await ru.locator('[data-testid="canned-row"][data-shortcut="manual"]').getByTestId('canned-edit').click();
  await expect(ru.getByTestId('canned-file-add')).toHaveText('Добавить файл');
  await ru.getByTestId('canned-files').scrollIntoViewIfNeeded();
  await expect.poll(() => ru.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await ru.screenshot({ path: shotPath('canned-files-form-ru-390.png') });
  await ru.close();

  // ---- a customer writes; Anna answers with /manu ----
  const { agent, visitor, close } = await agentAndVisitor(browser);
  await agent.setViewportSize({ width: 1366, height: 860 });
  await startWidgetChat(visitor, url, { name: 'Giulia Bianchi', email: 'giulia.manual@example.com', message: 'Do you have a manual?' });
  await consoleLogin(agent, url, 'anna');
  await agent.getByTestId('view-mine').click();
  await agent.getByTestId('conversation-item').first().click();
  const convId = Number(new URL(agent.url()).pathname.split('/').pop());
  const composer = agent.getByTestId('composer');
  await composer.click();
  await composer.pressSequentially('/manu', { delay: 25 });
  const option = agent.locator('[data-testid="canned-option"][data-shortcut="manual"]');
  await expect(option.getByTestId('canned-option-files')).toHaveText('Files: 1');
  const used = agent.waitForRequest((r) => /\/api\/v1\/canned\/\d+\/used$/.test(r.url()));
  await composer.press('Enter');
  await expect(composer).toHaveValue('Here is the manual, Giulia.');
  const chip = agent.locator('.composer-files .chip').filter({ hasText: 'manual.pdf' });
  await expect(chip).toHaveCount(1);
  await expect(chip).not.toHaveClass(/chip-busy/);
  await expect(agent.getByTestId('send-button')).toBeEnabled();
  await agent.screenshot({ path: shotPath('canned-files-composer-1366.png') });
  await composer.press('Enter');

  // The message carries the file: in the console, and for the customer (the same bytes).
  const sent = consoleMessages(agent).filter({ hasText: 'Here is the manual, Giulia.' });
  await expect(sent.locator('a.att-file')).toContainText('manual.pdf');
  await expect(agent.locator('.composer-files')).toHaveCount(0);
  const link = widgetMessages(visitor).locator('a[download="manual.pdf"]');
  await expect(link).toBeVisible();
  const got = await visitor.request.get(await link.getAttribute('href'));
  expect(got.status()).toBe(200);
  expect(Buffer.compare(await got.body(), pdf)).toBe(0);
  // Its own copy: not the answer's file.
  const events = (await env.admin.call(`/api/v1/conversations/${convId}/events?after=0`)).json.events;
  const msg = events.find((e) => e.body === 'Here is the manual, Giulia.');
  expect(msg.attachments.map((a) => a.name)).toEqual(['manual.pdf']);
  expect(msg.attachments[0].id).not.toBe(saved.attachments[0].id);
  // The use is counted with the conversation.
  expect((await used).postDataJSON()).toEqual({ variant: 0, conversation_id: convId });
  await expect.poll(async () => (await env.admin.call('/api/v1/canned?q=manual')).json.answers.find((a) => a.shortcut === 'manual').uses).toBe(1);

  // In an internal note the files are not added (notes carry none).
  await agent.getByTestId('composer-mode-note').click();
  await composer.pressSequentially('/manu', { delay: 25 });
  await expect(option).toBeVisible();
  await composer.press('Enter');
  await expect(agent.locator('.toast').filter({ hasText: 'Notes carry no files' })).toHaveCount(1);
  await composer.fill('');
  await close();
  await adminCtx.close();
});

test('the effect of a canned answer: not enough data yet, for supervisors and admins only', async ({ browser }) => {
  const url = env.server.url;
  const made = await env.admin.call('/api/v1/canned', {
    method: 'POST',
    body: { scope: 'workspace', shortcut: 'delay', title: 'Delivery delayed', variants: ['Your parcel is late, sorry.', 'The courier is running late, sorry.'] },
  });
  expect(made.status, made.text).toBe(201);

  // An agent sees no Effect button.
  const anna = await loginAgent(url, DEMO.anna);
  expect((await anna.call(`/api/v1/canned/${made.json.id}/effect`)).status).toBe(403);
  const agentCtx = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  const agentPage = await agentCtx.newPage();
  await consoleLogin(agentPage, url, 'anna', '/console/canned');
  await expect(agentPage.locator('[data-testid="canned-row"][data-shortcut="delay"]')).toBeVisible();
  await expect(agentPage.getByTestId('canned-effect-open')).toHaveCount(0);
  await agentCtx.close();

  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await ctx.newPage();
  await consoleLogin(page, url, 'admin', '/console/canned');
  const row = page.locator('[data-testid="canned-row"][data-shortcut="delay"]');
  await row.getByRole('button', { name: 'Effect of /delay' }).click();
  const panel = page.getByTestId('canned-effect');
  await expect(panel.getByRole('heading', { name: 'Effect of /delay “Delivery delayed”' })).toBeFocused();
  await expect(panel.getByTestId('effect-verdict-csat')).toHaveAttribute('data-verdict', 'not_enough_data');
  await expect(panel.getByTestId('effect-verdict-csat')).toContainText('Not enough data yet: each variant needs 30 rated conversations (the fewest has 0).');
  await expect(panel.getByTestId('effect-verdict-resolution')).toContainText('Not enough data yet');
  await expect(panel.getByTestId('effect-verdict-handle')).toContainText('Not enough data yet');
  const rows = panel.getByTestId('effect-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Variant 1');
  await expect(rows.nth(0)).toContainText('Your parcel is late, sorry.');
  await expect(rows.nth(1)).toContainText('Variant 2');
  await page.screenshot({ path: shotPath('canned-effect-1366.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: shotPath('canned-effect-390.png') });
  await panel.getByTestId('effect-table').scrollIntoViewIfNeeded();
  await page.screenshot({ path: shotPath('canned-effect-table-390.png') });
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shotPath('canned-list-390.png') });
  await page.setViewportSize({ width: 1366, height: 900 });
  await panel.getByRole('heading').focus();
  // Esc closes it; the focus goes back to its button.
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(row.getByTestId('canned-effect-open')).toBeFocused();

  // In Italian.
  const it = await ctx.newPage();
  await it.addInitScript(() => localStorage.setItem('sb.console.lang', 'it'));
  await it.goto(url + '/console/canned');
  await it.locator('[data-testid="canned-row"][data-shortcut="delay"]').getByTestId('canned-effect-open').click();
  await expect(it.getByTestId('effect-verdict-csat')).toContainText('Dati ancora insufficienti');
  await it.screenshot({ path: shotPath('canned-effect-it-1366.png') });
  await ctx.close();
});
