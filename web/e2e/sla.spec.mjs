// SLA in the console: an admin adds a policy in Settings → SLA policies; a ticket
// from the widget's offline form then shows its SLA badge (at risk: 20 minutes
// to answer, at risk under 30 minutes left) next to the ticket badge, with the
// whole sentence for screen readers; the SLA report is in Reports.
import { test, expect } from './helpers.mjs';
import { mkdirSync } from 'node:fs';
import { serverForFile, consoleLogin, SHOTS, setContactPanel } from './helpers.mjs';
import { newVisitor } from '../../tests/lib/server.mjs';

const env = serverForFile({});

async function shoot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: width > 600 ? 860 : 844 });
    await page.screenshot({ path: `${SHOTS}/sla-${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 860 });
}

test('an admin adds an SLA policy; a new ticket shows its time left, coloured at risk', async ({ page }) => {
  const url = env.server.url;
  await consoleLogin(page, url, 'admin', '/console/settings/sla');
  await expect(page.getByTestId('sla-empty')).toBeVisible();
  await page.getByTestId('sla-new').click();
  await page.getByTestId('sla-name').fill('Standard');
  await page.getByTestId('sla-target-first_response-normal').fill('20');
  await page.getByTestId('sla-business').uncheck();
  await shoot(page, 'form');
  await page.getByTestId('sla-save').click();
  await expect(page.getByTestId('sla-list')).toContainText('Standard');

  // A refused policy says which field is wrong.
  await page.getByTestId('sla-new').click();
  await page.getByTestId('sla-name').fill('Broken');
  await page.getByTestId('sla-target-first_response-normal').fill('0');
  await page.getByTestId('sla-save').click();
  await expect(page.getByTestId('sla-error')).toContainText('targets.first_response.normal');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('sla-list').locator('tbody tr')).toHaveCount(1);
  await shoot(page, 'settings');

  const v = await newVisitor(url);
  const ticket = (await v.startChat({ kind: 'offline', email: 'laura@example.com', message: 'The parcel never came' })).json;
  await page.goto(`${url}/console/all/${ticket.id}`);
  const badge = page.getByTestId('sla-badge');
  await expect(badge).toBeVisible();
  await expect(badge).toHaveAttribute('data-level', 'at_risk');
  await expect(badge).toContainText(/(19|20) min left/);
  await expect(badge).toHaveAttribute('aria-label', /SLA First response: at risk, (19|20) min left/);
  await expect(page.getByTestId('ticket-badge')).toBeVisible();
  await setContactPanel(page);
  await shoot(page, 'badge-with-contact');
  await setContactPanel(page, false);
  await shoot(page, 'badge');

  // In the help desk the properties say the clock in words, with its policy and due time;
  // the header's badge and the properties share one request for the clocks.
  const slaCalls = [];
  const onRequest = (r) => {
    if (new URL(r.url()).pathname === `/api/v1/conversations/${ticket.id}/sla`) slaCalls.push(r.url());
  };
  page.on('request', onRequest);
  await page.goto(`${url}/console/tickets/all_open/${ticket.id}`);
  const details = page.getByTestId('tp-sla');
  await expect(details).toContainText(/First response · (19|20) min left/);
  await expect(details).toContainText('Standard · due');
  await expect(page.getByTestId('sla-badge').first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  page.off('request', onRequest);
  expect(slaCalls).toHaveLength(1);

  await page.goto(`${url}/console/reports/sla`);
  await expect(page.getByTestId('sla-report')).toBeVisible();
  await expect(page.getByTestId('sla-stat-tickets')).toContainText('1');
  // The ticket is at risk: it is in the breaching-soon list, with its badge.
  await expect(page.getByTestId('sla-at-risk-count')).toHaveText('1');
  await expect(page.getByTestId('sla-at-risk').getByTestId('sla-badge')).toHaveAttribute('data-level', 'at_risk');
  await shoot(page, 'report');
});

test('breaching soon is a help-desk view with its count, the least time left first, in the console\'s language', async ({ page, browser }) => {
  const url = env.server.url;
  const inbox = (await env.admin.call('/api/v1/inboxes', { method: 'POST', body: { name: 'Priority line' } })).json;
  // Ten minutes to answer, at risk from the start: these tickets are breaching soon.
  const policy = await env.admin.call('/api/v1/sla-policies', {
    method: 'POST',
    body: { name: 'Priority', when: { inboxes: [inbox.id] }, targets: { first_response: { normal: 10 } }, hours: 'calendar', at_risk: { percent: 0, minutes: 15 }, position: 0 },
  });
  expect(policy.status).toBe(201);
  const made = [];
  for (const message of ['Card charged twice', 'Cannot log in since today']) {
    const v = await newVisitor(url, inbox.public_key);
    made.push((await v.startChat({ kind: 'offline', email: `${made.length}.risk@example.com`, topic: message, message })).json);
  }
  const count = async () => (await env.admin.call('/api/v1/tickets/views')).json.views.breaching_soon;
  await expect.poll(count, { timeout: 10000 }).toBeGreaterThanOrEqual(2);

  await consoleLogin(page, url, 'admin');
  await page.getByTestId('nav-tickets').click();
  const entry = page.getByTestId('ticket-view-breaching_soon');
  await expect(entry).toContainText('Breaching soon');
  await expect(page.getByTestId('ticket-count-breaching_soon')).toHaveText(String(await count()));
  await expect(page.getByTestId('ticket-count-breaching_soon')).toHaveClass(/nav-count-hot/);
  await entry.click();
  await expect(page).toHaveURL(/\/console\/tickets\/breaching_soon$/);
  const rows = page.getByTestId('ticket-row');
  await expect(rows).toHaveCount(await count());
  // The first made is due first: it comes before the second.
  const subjects = await rows.locator('.ticket-subject').allTextContents();
  expect(subjects.indexOf('Card charged twice')).toBeLessThan(subjects.indexOf('Cannot log in since today'));
  const badge = rows.filter({ hasText: 'Card charged twice' }).getByTestId('sla-badge');
  await expect(badge).toHaveAttribute('data-level', 'at_risk');
  await expect(badge).toContainText(/At risk · (9|10) min left/);
  await shoot(page, 'breaching-soon');

  // Answered: it leaves the view.
  await env.admin.call(`/api/v1/conversations/${made[0].id}/messages`, { method: 'POST', body: { client_id: crypto.randomUUID(), body: 'Refunded.' } });
  await expect.poll(count, { timeout: 10000 }).toBe(subjects.length - 1);
  await page.reload();
  await expect(rows.filter({ hasText: 'Card charged twice' })).toHaveCount(0);
  await expect(rows.filter({ hasText: 'Cannot log in since today' })).toHaveCount(1);

  // The view's name in the other four languages.
  for (const [locale, name] of [['it-IT', 'In scadenza'], ['ru-RU', 'Скоро нарушение'], ['hu-HU', 'Hamarosan lejár'], ['pl-PL', 'Wkrótce po terminie']]) {
    const ctx = await browser.newContext({ locale });
    const other = await ctx.newPage();
    await consoleLogin(other, url, 'admin', '/console/tickets/breaching_soon');
    await expect(other.getByTestId('ticket-view-breaching_soon')).toContainText(name);
    await ctx.close();
  }
  await env.admin.call(`/api/v1/sla-policies/${policy.json.id}`, { method: 'DELETE' });
});
