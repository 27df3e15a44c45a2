// Accessibility: axe-core on every main screen of the console (the conversation list, an
// open conversation with its composer, tickets, contacts, reports, settings pages, the
// knowledge base, canned answers, scripts, surveys): no serious or critical violation.
import { test, expect } from './helpers.mjs';
import AxeBuilder from '@axe-core/playwright';
import { serverForFile, consoleLogin, startWidgetChat, setContactPanel } from './helpers.mjs';

const env = serverForFile({ online: ['anna'] });

async function check(page, name) {
  await page.waitForTimeout(400); // lazy chunks, entry animations
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const said = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.length}× e.g. ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(said, name).toEqual([]);
}

test('the agent screens: list, a conversation with its composer, tickets, contacts, canned, scripts', async ({ browser }) => {
  test.setTimeout(180_000);
  const visitor = await (await browser.newContext()).newPage();
  await startWidgetChat(visitor, env.server.url, { name: 'Elena Bianchi', email: 'elena@example.com', message: 'Can I change the delivery address?' });
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await consoleLogin(page, env.server.url, 'anna');
  await check(page, 'conversation list');
  // The Open/Closed toggle reached by the keyboard shows its focus ring (a mouse click does not).
  const closed = page.getByTestId('filter-closed');
  await page.getByTestId('filter-open').focus();
  await page.keyboard.press('ArrowRight');  // a key press: focus from here on is keyboard focus
  await closed.focus();
  await expect.poll(() => closed.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
  await page.getByTestId('view-mine').click();
  await page.getByTestId('conversation-item').filter({ hasText: 'Elena Bianchi' }).click();
  await expect(page.getByTestId('composer')).toBeVisible();
  await check(page, 'open conversation');
  // 1366 px with the contact panel opened: the name keeps its room, the actions that do not
  // fit are in the "More" menu, which the keyboard opens, walks and closes.
  await setContactPanel(page);
  await expect(page.getByTestId('contact-panel')).toBeVisible();
  const title = page.locator('#conv-title');
  expect((await title.boundingBox()).width).toBeGreaterThan(80);
  expect(await title.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  const header = await page.locator('.conv-header').boundingBox();
  const bar = await page.locator('.conv-actions').boundingBox();
  expect(bar.x + bar.width).toBeLessThanOrEqual(header.x + header.width);
  const more = page.getByTestId('conv-more');
  await expect(more).toHaveAttribute('aria-haspopup', 'menu');
  await expect(page.getByTestId('transfer-open')).toBeHidden();
  await more.focus();
  await page.keyboard.press('ArrowDown');
  const menu = page.getByTestId('conv-more-menu');
  await expect(menu).toBeVisible();
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  const items = menu.getByRole('menuitem');
  await expect(items.first()).toBeFocused();
  await expect(menu.getByTestId('more-transfer-open')).toBeVisible();
  await check(page, 'conversation header menu');
  await page.keyboard.press('End');
  await expect(items.last()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(more).toBeFocused();
  // Enter on an item runs it: Hold's dialog opens, and Esc brings the focus back to "More".
  await page.keyboard.press('Enter');
  await menu.getByTestId('more-hold-open').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('hold-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('hold-dialog')).toHaveCount(0);
  await expect(more).toBeFocused();
  for (const path of ['/console/tickets', '/console/contacts', '/console/canned', '/console/scripts']) {
    await page.goto(env.server.url + path);
    await check(page, path);
  }
});

test('the admin screens: reports, settings pages, knowledge base, surveys', async ({ browser }) => {
  test.setTimeout(240_000);
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await consoleLogin(page, env.server.url, 'admin');
  for (const path of [
    '/console/reports',
    '/console/settings/agents',
    '/console/settings/inboxes',
    '/console/settings/routing',
    '/console/settings/kb',
    '/console/settings/bot',
    '/console/settings/survey',
    '/console/settings/surveys',
    '/console/settings/sla',
    '/console/settings/security',
  ]) {
    await page.goto(env.server.url + path);
    await expect(page.locator('.settings-pane, main').first()).toBeVisible();
    await check(page, path);
  }
});
