// Canned answers (P1) in the console: the admin keeps a workspace answer /refund with two
// variants on the Canned answers page (a 422 at the variant, a 409 at the shortcut, the live
// preview); a customer chats as Giulia Bianchi; Anna types /ref, the picker offers it, Enter
// inserts it filled in for Giulia, the chip cycles to the second variant, and sending it
// reaches the widget and counts that variant. Anna keeps a personal answer of her own.
// Screenshots: the picker at 1366 and 390 px, the page at 1366 and in Russian.
import { test, expect } from './helpers.mjs';
import { loginAgent } from '../../tests/lib/server.mjs';
import { serverForFile, agentAndVisitor, consoleLogin, startWidgetChat, widgetMessages, shotPath, DEMO, setContactPanel } from './helpers.mjs';

const env = serverForFile({ online: ['anna'] });

const V1 = 'Hi {{contact.first_name}}, your refund is on its way.';
const V2 = 'Good news {{contact.first_name}}: the refund has been sent.';

/** The workspace's /refund as the API lists it. */
async function refund() {
  const r = await env.admin.call('/api/v1/canned?q=refund');
  expect(r.status, r.text).toBe(200);
  return r.json.answers.find((a) => a.shortcut === 'refund' && a.scope === 'workspace');
}

test('canned answers: kept on the page, picked with /, variants cycled, use counted', async ({ browser }) => {
  const url = env.server.url;

  // ---- the admin writes the workspace's /refund ----
  const adminCtx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const admin = await adminCtx.newPage();
  await consoleLogin(admin, url, 'admin', '/console/canned');
  await expect(admin.getByTestId('canned-page')).toBeVisible();
  await admin.getByTestId('canned-new').click();
  const form = admin.getByTestId('canned-form');
  await form.getByTestId('canned-shortcut').fill('refund');
  await form.getByTestId('canned-title').fill('Refund on its way');
  await form.getByTestId('canned-scope-workspace').check();
  await form.getByTestId('canned-variant-text').first().fill(V1);
  // The preview fills the sample customer in, as she will be.
  await expect(form.getByTestId('canned-preview')).toHaveText('Hi Giulia, your refund is on its way.');
  await form.getByTestId('canned-variant-add').click();
  await form.getByTestId('canned-variant-text').nth(1).fill('Good news {{contact.password}}');
  await form.getByTestId('canned-save').click();
  // The server names the variant; the error sits under it.
  await expect(form.getByTestId('canned-error-variants[1]')).toContainText(/unknown variable \{\{contact\.password\}\}/i);
  await expect(form.getByTestId('canned-variant-text').nth(1)).toBeFocused();
  await form.getByTestId('canned-variant-text').nth(1).fill(V2);
  await expect(form.getByTestId('canned-error-variants[1]')).toHaveCount(0);
  await form.getByTestId('canned-action-priority').selectOption('high');
  await form.getByTestId('canned-action-tags').fill('refund');
  await form.getByTestId('canned-save').click();
  await expect(form).toHaveCount(0);
  const row = admin.locator('[data-testid="canned-row"][data-shortcut="refund"]');
  await expect(row).toContainText('Refund on its way');
  await expect(row).toContainText('2 variants');

  // A second workspace /refund: 409, shown on the shortcut.
  await admin.getByTestId('canned-new').click();
  await form.getByTestId('canned-shortcut').fill('refund');
  await form.getByTestId('canned-title').fill('Again');
  await form.getByTestId('canned-scope-workspace').check();
  await form.getByTestId('canned-variant-text').first().fill('Hello {{contact.name|there}}, {{agent.first_name}} here.');
  await form.getByTestId('canned-save').click();
  await expect(form.getByTestId('canned-error-shortcut')).toHaveText('This shortcut is already taken in this scope.');
  await expect(form.getByTestId('canned-shortcut')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByTestId('canned-shortcut')).toBeFocused();
  await admin.getByTestId('canned-page').evaluate((el) => (el.scrollTop = 0));
  await admin.screenshot({ path: shotPath('canned-page-1366.png') });
  await form.getByRole('button', { name: 'Cancel' }).first().click();
  await expect(admin.getByTestId('canned-row')).toHaveCount(1);

  // ---- a customer writes; Anna answers with /ref ----
  const { agent, visitor, close } = await agentAndVisitor(browser);
  await agent.setViewportSize({ width: 1366, height: 860 });
  await startWidgetChat(visitor, url, { name: 'Giulia Bianchi', email: 'giulia.bianchi@example.com', message: 'Hello, where is my refund?' });
  await consoleLogin(agent, url, 'anna');
  await agent.getByTestId('view-mine').click();
  await agent.getByTestId('conversation-item').first().click();
  const composer = agent.getByTestId('composer');
  await composer.click();
  await composer.pressSequentially('/ref', { delay: 25 });
  const option = agent.locator('[data-testid="canned-option"][data-shortcut="refund"]');
  await expect(option).toBeVisible();
  await expect(option).toContainText('Refund on its way');
  await expect(option).toContainText('2 variants');
  await expect(option).toContainText('Workspace');
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await expect(composer).toHaveAttribute('aria-expanded', 'true');
  await expect(composer).toHaveAttribute('aria-activedescendant', await option.getAttribute('id'));
  await agent.screenshot({ path: shotPath('canned-picker-1366.png') });
  await composer.press('Enter');
  await expect(composer).toHaveValue('Hi Giulia, your refund is on its way.');
  await expect(agent.getByTestId('canned-menu')).toHaveCount(0);
  const chip = agent.getByTestId('canned-variant');
  await expect(chip).toHaveText(/Variant 1\/2/);
  await chip.click();
  await expect(composer).toHaveValue('Good news Giulia: the refund has been sent.');
  await expect(chip).toHaveText(/Variant 2\/2/);
  await expect(composer).toBeFocused();
  await composer.press('Enter');

  // The customer reads the filled text; the second variant has one use.
  await expect(widgetMessages(visitor).filter({ hasText: 'Good news Giulia: the refund has been sent.' })).toHaveCount(1);
  await expect.poll(async () => (await refund()).variants.map((v) => v.uses)).toEqual([0, 1]);
  await expect(agent.getByTestId('canned-bar')).toHaveCount(0);

  // A value the conversation lacks: named under the text, the caret waits where it goes.
  const annaApi = await loginAgent(url, DEMO.anna);
  const call = await annaApi.call('/api/v1/canned', { method: 'POST', body: { shortcut: 'callme', title: 'Call back', variants: ['I will call you at {{contact.phone}} today.'] } });
  expect(call.status, call.text).toBe(201);
  await composer.pressSequentially('/callm', { delay: 25 });
  await expect(agent.locator('[data-testid="canned-option"][data-shortcut="callme"]')).toHaveAttribute('aria-selected', 'true');
  await composer.press('Tab');
  await expect(composer).toHaveValue('I will call you at  today.');
  await expect(agent.getByTestId('canned-missing')).toHaveText('Fill in: contact.phone');
  expect(await composer.evaluate((el) => el.selectionStart)).toBe('I will call you at '.length);
  await composer.pressSequentially('+39 333 1234', { delay: 10 });
  await expect(composer).toHaveValue('I will call you at +39 333 1234 today.');
  await expect(agent.getByTestId('canned-missing')).toHaveCount(0);
  await composer.fill('');

  // On a ticket, a predefined answer sets its fields when it is sent.
  const conv = (await env.admin.call('/api/v1/conversations?view=all')).json.conversations[0];
  const made = await env.admin.call(`/api/v1/conversations/${conv.id}/ticket`, { method: 'POST', body: { status: 'open', follow_up_hours: 0 } });
  expect(made.status, made.text).toBe(201);
  await composer.pressSequentially('/refund', { delay: 20 });
  await expect(option).toBeVisible();
  await composer.press('Enter');
  await expect(agent.getByTestId('canned-sets')).toHaveText('Sets on send: Priority: High · Tags: refund');
  await composer.press('Enter');
  await expect(agent.locator('.toast').filter({ hasText: 'Ticket updated by the canned answer: Priority: High · Tags: refund' })).toHaveCount(1);
  await expect.poll(async () => {
    const t = (await env.admin.call(`/api/v1/conversations/${conv.id}`)).json;
    const ticket = (t.conversation ?? t).ticket;
    return [ticket?.priority, ticket?.tags];
  }).toEqual(['high', ['refund']]);

  // On a phone: "/" alone lists the answers; Esc closes the list and keeps the text.
  await setContactPanel(agent, false);
  await agent.setViewportSize({ width: 390, height: 780 });
  await composer.click();
  await composer.pressSequentially('/', { delay: 25 });
  await expect(option).toBeVisible();
  const box = await agent.getByTestId('canned-menu').boundingBox();
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await agent.screenshot({ path: shotPath('canned-picker-390.png') });
  await composer.press('Escape');
  await expect(agent.getByTestId('canned-menu')).toHaveCount(0);
  await expect(composer).toHaveValue('/');
  await composer.fill('');
  await agent.setViewportSize({ width: 1366, height: 860 });

  // ---- Anna keeps an answer of her own (no team or workspace scope for an agent) ----
  await agent.getByTestId('nav-canned').click();
  await expect(agent.getByTestId('canned-page')).toBeVisible();
  const refundRow = agent.locator('[data-testid="canned-row"][data-shortcut="refund"]');
  await expect(refundRow.getByTestId('canned-uses')).toHaveText('Uses: 2 (1 · 1)');
  await expect(refundRow.getByTestId('canned-edit')).toHaveCount(0);
  await agent.getByTestId('canned-new').click();
  const mine = agent.getByTestId('canned-form');
  await expect(mine.getByTestId('canned-scope-workspace')).toHaveCount(0);
  await mine.getByTestId('canned-shortcut').fill('thanks');
  await mine.getByTestId('canned-title').fill('Thanks for waiting');
  await mine.getByTestId('canned-variant-text').first().fill('Thank you for waiting, {{contact.first_name|there}}!');
  await mine.getByTestId('canned-save').click();
  const thanks = agent.locator('[data-testid="canned-row"][data-shortcut="thanks"]');
  await expect(thanks).toHaveAttribute('data-scope', 'personal');
  await agent.getByTestId('canned-filter-personal').click();
  // Hers: /thanks and /callme (made above through the API); not the workspace's /refund.
  await expect(agent.getByTestId('canned-row')).toHaveCount(2);
  await expect(agent.locator('[data-testid="canned-row"][data-scope="personal"]')).toHaveCount(2);
  const own = (await annaApi.call('/api/v1/canned?q=thanks')).json.answers.find((a) => a.shortcut === 'thanks');
  expect(own.owner_id).toBe(annaApi.agent.id);
  await close();

  // ---- the page in Russian ----
  const ru = await adminCtx.newPage();
  await ru.addInitScript(() => localStorage.setItem('sb.console.lang', 'ru'));
  await ru.goto(url + '/console/canned');
  await expect(ru.getByTestId('canned-page')).toBeVisible();
  await expect(ru.getByRole('heading', { name: 'Шаблоны ответов' })).toBeVisible();
  await expect(ru.getByTestId('canned-uses')).toHaveText('Использований: 2 (1 · 1)');
  await ru.screenshot({ path: shotPath('canned-list-ru.png') });
  await ru.locator('[data-testid="canned-row"][data-shortcut="refund"]').getByTestId('canned-edit').click();
  await expect(ru.getByTestId('canned-form')).toBeVisible();
  await ru.screenshot({ path: shotPath('canned-page-ru.png') });
  await adminCtx.close();
});
