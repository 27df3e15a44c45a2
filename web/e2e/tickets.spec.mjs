// The help desk in the console: the ticket views with counts, filters, a bulk
// change of the selected tickets, and a ticket's properties edited beside its
// conversation (priority, tags, a custom field, status), each change landing in
// the timeline. Screenshots at 1366 and 390 px.
import { test, expect } from './helpers.mjs';
import { newVisitor } from '../../tests/lib/server.mjs';
import { serverForFile, consoleLogin, shotPath } from './helpers.mjs';

const tickets = [];
const env = serverForFile({ online: [] }, async (env) => {
  const mk = async (email, message) => {
    const v = await newVisitor(env.server.url);
    const r = await v.call('/api/v1/widget/conversations', {
      method: 'POST',
      body: { kind: 'offline', inbox_key: 'demo', client_id: crypto.randomUUID(), name: email.split('@')[0], email, topic: message.slice(0, 60), message, language: 'en' },
    });
    if (r.status !== 201) throw new Error('offline form: ' + r.text);
    tickets.push(r.json);
  };
  await mk('laura@example.com', 'My kettle arrived broken');
  await mk('marco@example.com', 'Refund for order 4711');
  await mk('julia@example.com', 'Change of delivery address');
  const high = await env.admin.call(`/api/v1/tickets/${tickets[1].id}`, { method: 'PATCH', body: { priority: 'high', tags: ['refund'] } });
  if (high.status !== 200) throw new Error('patch: ' + high.text);
  const field = await env.admin.call('/api/v1/ticket-fields', { method: 'POST', body: { key: 'order_no', label: 'Order number', type: 'text' } });
  if (field.status !== 201) throw new Error('field: ' + field.text);
});

const rows = (page) => page.getByTestId('ticket-row');

test('the views count, filters narrow and a bulk change applies to the selected tickets', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 860 });
  await consoleLogin(page, env.server.url, 'anna');
  await page.getByTestId('nav-tickets').click();
  await expect(page).toHaveURL(/\/console\/tickets\/mine_open$/);
  await expect(page.getByTestId('tickets-empty')).toBeVisible();
  await page.getByTestId('ticket-view-all_open').click();
  await expect(rows(page)).toHaveCount(3);
  await expect(page.getByTestId('ticket-count-all_open')).toHaveText('3');
  await expect(page.getByTestId('ticket-count-unassigned')).toHaveText('3');
  await expect(page.getByTestId('ticket-tag-refund')).toBeVisible();

  // Filters: priority, then a tag from the sidebar.
  await page.getByTestId('filter-priority').selectOption('high');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText('Refund for order 4711');
  await page.getByTestId('filter-priority').selectOption('');
  await expect(rows(page)).toHaveCount(3);
  await page.getByTestId('tickets-search').fill('kettle');
  await expect(rows(page)).toHaveCount(1);
  await page.getByTestId('tickets-search').fill('');
  await expect(rows(page)).toHaveCount(3);

  // Select two (one by the keyboard) and change them together.
  await rows(page).filter({ hasText: 'kettle' }).getByTestId('ticket-select').check();
  await rows(page).filter({ hasText: 'delivery address' }).getByTestId('ticket-open').focus();
  await page.keyboard.press('x');
  await expect(page.getByTestId('bulk-bar')).toContainText('2 selected');
  await page.screenshot({ path: shotPath('tickets-list-bulk-en-1366.png') });
  await page.getByTestId('bulk-status').selectOption('pending_customer');
  await expect(rows(page).filter({ hasText: 'Waiting for customer' })).toHaveCount(2);
  await expect(page.getByTestId('ticket-count-pending')).toHaveText('2');
  for (const i of [0, 2]) {
    const c = (await env.admin.call(`/api/v1/conversations/${tickets[i].id}`)).json.conversation;
    expect(c.ticket.status).toBe('pending_customer');
  }
  // The selection clears after a change; select again and tag both.
  await page.getByTestId('select-all').check();
  await page.getByTestId('bulk-tag').fill('VIP');
  await page.getByTestId('bulk-tag').press('Enter');
  await expect(rows(page).locator('.tag-chip', { hasText: 'vip' })).toHaveCount(3);
  await page.getByTestId('ticket-tag-vip').click();
  await expect(page).toHaveURL(/tag=vip/);
  await expect(rows(page)).toHaveCount(3);
  await page.getByTestId('ticket-view-pending').click();
  await expect(rows(page)).toHaveCount(2);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('ticket-view-all_open').click();
  await expect(rows(page)).toHaveCount(3);
  await page.screenshot({ path: shotPath('tickets-list-en-390.png'), fullPage: true });
  // On a phone the filters fold behind a button (open at once when one is set).
  await expect(page.getByTestId('filter-priority')).toBeHidden();
  await page.getByTestId('tickets-filter-toggle').click();
  await expect(page.getByTestId('tickets-filter-toggle')).toHaveAttribute('aria-expanded', 'true');
  await page.getByTestId('filter-priority').selectOption('high');
  await expect(rows(page)).toHaveCount(1);
  await page.getByTestId('tickets-filter-toggle').click();
  await expect(page.getByTestId('filter-priority')).toBeHidden();
  await expect(page.getByTestId('tickets-filter-toggle')).toContainText('1');
});

test('a ticket opens beside its properties; each edit is saved and written into the timeline', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 860 });
  await consoleLogin(page, env.server.url, 'anna', '/console/tickets/all_open');
  await rows(page).filter({ hasText: 'Refund for order 4711' }).getByTestId('ticket-open').click();
  const id = tickets[1].id;
  await expect(page).toHaveURL(new RegExp(`/console/tickets/all_open/${id}$`));
  const panel = page.getByTestId('ticket-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('tp-priority')).toHaveValue('high');

  await panel.getByTestId('tp-priority').selectOption('urgent');
  await expect(page.getByTestId('ticket-badge')).toContainText('Urgent');
  await expect(page.locator('.messages')).toContainText('Anna Rossi changed the priority from High to Urgent');

  await panel.getByTestId('tp-tag-input').fill('damaged');
  await panel.getByTestId('tp-tag-input').press('Enter');
  await expect(panel.getByTestId('tp-tags')).toContainText('damaged');

  await panel.getByTestId('tp-cf-order_no').fill('A-1001');
  await panel.getByTestId('tp-cf-order_no').press('Enter');
  await expect.poll(async () => (await env.admin.call(`/api/v1/conversations/${id}`)).json.conversation.ticket.custom_fields.order_no).toBe('A-1001');

  await panel.getByTestId('tp-assignee').selectOption({ label: 'Anna Rossi (me)' });
  await expect(page.getByTestId('assignee')).toBeVisible();
  await panel.getByTestId('tp-status').selectOption('solved');
  await expect(page.getByTestId('ticket-badge')).toContainText('Solved');
  const t = (await env.admin.call(`/api/v1/conversations/${id}`)).json.conversation.ticket;
  expect(t.priority).toBe('urgent');
  expect(t.tags).toEqual(['refund', 'vip', 'damaged']);
  expect(t.status).toBe('solved');
  await page.screenshot({ path: shotPath('ticket-properties-en-1366.png') });

  // The subject, edited in place.
  await panel.getByTestId('tp-subject').fill('Refund for a broken kettle');
  await panel.getByTestId('tp-subject').press('Enter');
  await expect(page.locator('.ticket-crumbs')).toContainText('Refund for a broken kettle');

  // Back to the list, which shows the change.
  await page.getByTestId('ticket-back').click();
  await page.getByTestId('ticket-view-solved').click();
  await expect(rows(page).filter({ hasText: 'Refund for a broken kettle' })).toHaveCount(1);

  // On a phone the ticket opens on its conversation, the actions wrapped under the name;
  // the properties open over it on request.
  await page.setViewportSize({ width: 390, height: 844 });
  await rows(page).first().getByTestId('ticket-open').click();
  await expect(page.getByTestId('ticket-panel')).toHaveCount(0);
  const show = page.getByRole('button', { name: 'Show the properties' });
  await expect(show).toBeInViewport();
  await expect(page.locator('.conv-title')).toBeInViewport();
  await page.screenshot({ path: shotPath('ticket-conversation-en-390.png') });
  await show.click();
  await expect(page.getByTestId('ticket-panel')).toBeVisible();
  // Over the conversation it behaves as a dialog: it takes the focus, Escape closes it.
  await expect(page.getByTestId('ticket-panel').getByRole('button', { name: 'Hide the properties' })).toBeFocused();
  await page.screenshot({ path: shotPath('ticket-properties-en-390.png') });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('ticket-panel')).toHaveCount(0);
  await expect(show).toBeFocused();
});

test('merge and split from the properties panel', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 860 });
  const [a, b] = [tickets[0].id, tickets[2].id];
  await consoleLogin(page, env.server.url, 'admin', `/console/tickets/all_open/${b}`);
  await page.getByTestId('tp-merge').click();
  await page.getByTestId('merge-into').fill('#' + a);
  await page.screenshot({ path: shotPath('ticket-merge-en-1366.png') });
  await page.getByTestId('merge-submit').click();
  await expect(page).toHaveURL(new RegExp(`/console/tickets/all_open/${a}$`));
  await expect(page.locator('.messages')).toContainText(`merged ticket #${b} into this one`);
  const merged = (await env.admin.call(`/api/v1/conversations/${b}`)).json.conversation.ticket;
  expect(merged.merged_into).toBe(a);
  expect(merged.status).toBe('closed');

  await page.getByTestId('tp-split').click();
  await expect(page.getByTestId('split-dialog')).toBeVisible();
  await page.getByTestId('split-choice').first().check();
  await page.getByTestId('split-submit').click();
  await expect(page).not.toHaveURL(new RegExp(`/${a}$`));
  await expect(page.locator('.messages')).toContainText(`split this ticket off from #${a}`);
});

test('an admin defines a custom field in the settings; agents fill it in', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 860 });
  await consoleLogin(page, env.server.url, 'admin', '/console/settings/tickets');
  await expect(page.getByTestId('field-row')).toHaveCount(1);
  await page.getByTestId('field-new').click();
  const form = page.getByTestId('field-form');
  await form.getByTestId('field-label').fill('Product size');
  await expect(form.getByTestId('field-key')).toHaveValue('product_size');
  await form.getByTestId('field-type').selectOption('select');
  await form.getByTestId('field-save').click();
  await expect(form.getByTestId('tf-error-options')).toBeVisible();
  await form.getByTestId('field-options').fill('S\nM\nL');
  await form.getByTestId('field-required').check();
  await page.screenshot({ path: shotPath('ticket-fields-form-en-1366.png') });
  await form.getByTestId('field-save').click();
  await expect(page.getByTestId('field-row')).toHaveCount(2);
  await expect(page.getByTestId('field-row').filter({ hasText: 'Product size' })).toContainText('S · M · L');
  await page.screenshot({ path: shotPath('ticket-fields-en-1366.png') });
  // The required field blocks solving until it has a value, and says so under the field.
  await page.goto(env.server.url + `/console/tickets/all_open/${tickets[0].id}`);
  const panel = page.getByTestId('ticket-panel');
  await panel.getByTestId('tp-status').selectOption('solved');
  await expect(panel.getByText('required to solve the ticket')).toBeVisible();
  await panel.getByTestId('tp-cf-product_size').selectOption('M');
  await panel.getByTestId('tp-status').selectOption('solved');
  await expect(page.getByTestId('ticket-badge')).toContainText('Solved');
});

test('a complaint is marked on its row and listed under Complaints, with its status for screen readers, in English and Italian', async ({ page, browser }) => {
  const url = env.server.url;
  const v = await newVisitor(url);
  const made = await v.call('/api/v1/widget/conversations', {
    method: 'POST',
    body: { kind: 'offline', inbox_key: 'demo', client_id: crypto.randomUUID(), name: 'Piotr', email: 'piotr@example.com', topic: 'Third damaged parcel', message: 'Third damaged parcel in a row.', language: 'en' },
  });
  expect(made.status).toBe(201);
  const id = made.json.id;
  expect((await env.admin.call(`/api/v1/conversations/${id}/complaint`, { method: 'POST', body: { category: 'delivery' } })).status).toBe(201);

  await page.setViewportSize({ width: 1366, height: 860 });
  await consoleLogin(page, url, 'admin', '/console/tickets/all_open');
  const row = rows(page).filter({ hasText: 'Third damaged parcel' });
  const marker = row.getByTestId('complaint-marker');
  await expect(marker).toHaveAttribute('data-status', 'open');
  await expect(marker.locator('.ticket-complaint-word')).toHaveText('Complaint');
  await expect(marker.locator('.sr-only')).toHaveText('Complaint, not resolved yet');
  await expect(rows(page).filter({ hasNotText: 'Third damaged parcel' }).getByTestId('complaint-marker')).toHaveCount(0);
  await expect(page.getByTestId('ticket-count-complaints')).toHaveText('1');
  await page.getByTestId('ticket-view-complaints').click();
  await expect(page).toHaveURL(/\/console\/tickets\/complaints$/);
  await expect(page.getByTestId('tickets-title')).toContainText('Complaints');
  await expect(rows(page)).toHaveCount(1);
  await page.screenshot({ path: shotPath('tickets-complaints-en-1366.png') });

  // Resolved: the marker stays, quieter; the view (not resolved yet) empties.
  expect((await env.admin.call(`/api/v1/conversations/${id}/complaint/resolve`, { method: 'POST', body: {} })).status).toBe(200);
  await page.goto(url + '/console/tickets/all_open');
  await expect(row.getByTestId('complaint-marker')).toHaveAttribute('data-status', 'resolved');
  await expect(row.getByTestId('complaint-marker').locator('.sr-only')).toHaveText('Complaint, resolved');
  await expect(page.getByTestId('ticket-count-complaints')).toHaveText('0');

  // Italian, on a phone: the flag alone shows; the words are there for screen readers.
  expect((await env.admin.call(`/api/v1/conversations/${id}/complaint/reopen`, { method: 'POST', body: {} })).status).toBe(200);
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const phone = await ctx.newPage();
  await phone.addInitScript(() => localStorage.setItem('sb.console.lang', 'it'));
  await consoleLogin(phone, url, 'admin', '/console/tickets/complaints');
  const small = phone.getByTestId('complaint-marker');
  await expect(small).toHaveCount(1);
  await expect(small.locator('.sr-only')).toHaveText('Reclamo, non ancora risolto');
  await expect(small.locator('.ticket-complaint-word')).toBeHidden();
  await expect(small.locator('svg')).toBeVisible();
  await expect(phone.getByTestId('tickets-title')).toContainText('Reclami');
  await phone.screenshot({ path: shotPath('tickets-complaints-it-390.png') });
  await ctx.close();
});
