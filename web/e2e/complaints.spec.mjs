// The complaint playbook in the console: an angry customer's chat is suggested as
// a complaint, the agent takes it, ticks steps with the keyboard and the mouse,
// sees who ticked what and the progress, a colleague's console follows live, the
// fix + report + check resolve it, and the reports page counts it. Screenshots at
// 390 and 1366 px (English and Polish).
import { test, expect } from './helpers.mjs';
import { newVisitor, loginAgent, triaged } from '../../tests/lib/server.mjs';
import { serverForFile, consoleLogin, shotPath, DEMO, headerAction } from './helpers.mjs';

const env = serverForFile({ online: [] });

async function chat(message) {
  const v = await newVisitor(env.server.url);
  const r = await v.startChat({ message, language: 'en', name: 'Laura Rossi' });
  if (r.status !== 201) throw new Error('chat: ' + r.text);
  await triaged(env.server.url);
  return r.json.id;
}

test('an upset customer is suggested as a complaint; the agent ticks the steps and resolves it', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const url = env.server.url;
  const id = await chat('This is a f***ing scam!!! Third time I write, I will cancel my account and call my lawyer.');
  await page.setViewportSize({ width: 1366, height: 900 });
  await consoleLogin(page, url, 'anna', `/console/c/${id}`);
  const banner = page.getByTestId('complaint-suggestion');
  await expect(banner).toContainText('The customer sounds upset');
  await page.screenshot({ path: shotPath('complaint-suggestion-1366.png') });
  await banner.getByTestId('complaint-treat').click();
  const panel = page.getByTestId('complaint-panel');
  await expect(panel.getByTestId('complaint-progress')).toHaveText('0 of 8 steps');
  await expect(panel.getByTestId('complaint-step')).toHaveCount(8);
  await expect(panel.getByTestId('complaint-step').first()).toContainText('Thank the customer for reporting the complaint');

  // A colleague viewing the same conversation follows live.
  const otherCtx = await browser.newContext();
  const other = await otherCtx.newPage();
  await consoleLogin(other, url, 'marek', `/console/c/${id}`);
  await expect(other.getByTestId('complaint-progress')).toHaveText('0 of 8 steps');

  // Keyboard: focus the first step, Space ticks it; Tab moves to the next.
  const thank = panel.getByRole('checkbox', { name: /Thank the customer/ });
  await thank.focus();
  await page.keyboard.press('Space');
  await expect(panel.getByTestId('complaint-progress')).toHaveText('1 of 8 steps');
  await expect(panel.locator('[data-step="thank"]').getByTestId('complaint-who')).toContainText('Anna');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await expect(panel.getByRole('checkbox', { name: /why it matters/ })).toBeChecked();
  await expect(other.getByTestId('complaint-progress')).toHaveText('2 of 8 steps');
  await expect(other.locator('[data-step="thank"]').getByTestId('complaint-who')).toContainText('Anna');

  await panel.getByTestId('complaint-category').selectOption('delivery');
  await panel.getByRole('checkbox', { name: /Apologise/ }).check();
  await panel.getByRole('checkbox', { name: /Take corrective action/ }).check();
  await expect(panel.getByTestId('complaint-progress')).toHaveText('4 of 8 steps');
  await page.screenshot({ path: shotPath('complaint-panel-1366.png') });
  await panel.getByRole('checkbox', { name: /has been fixed/ }).check();
  await panel.getByRole('checkbox', { name: /customer is satisfied/ }).check();
  await expect(panel.getByTestId('complaint-status')).toHaveText('Resolved');
  await expect(other.getByTestId('complaint-status')).toHaveText('Resolved');
  await expect(page.getByTestId('message').filter({ hasText: 'Complaint resolved' })).toBeVisible();

  // On a phone (contact details closed): the resolved complaint starts folded.
  const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const phone = await phoneCtx.newPage();
  await phone.addInitScript(() => localStorage.setItem('sb.console.contactPanel', '0'));
  await consoleLogin(phone, url, 'anna', `/console/c/${id}`);
  const small = phone.getByTestId('complaint-panel');
  await expect(small.getByTestId('complaint-status')).toHaveText('Resolved');
  await expect(small.getByTestId('complaint-step')).toHaveCount(0);
  await phone.screenshot({ path: shotPath('complaint-panel-390.png') });
  await phoneCtx.close();
  await otherCtx.close();
});

test('"Mark as complaint" on a calm chat; Polish console; the report counts it', async ({ page }) => {
  test.setTimeout(120_000);
  const url = env.server.url;
  const id = await chat('Hello, my parcel arrived damaged.');
  await page.addInitScript(() => {
    localStorage.setItem('sb.console.lang', 'pl');
    localStorage.setItem('sb.console.contactPanel', '0');
  });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url + `/console/c/${id}`);
  await page.getByTestId('login-email').fill(DEMO.anna.email);
  await page.getByTestId('login-password').fill(DEMO.anna.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('complaint-suggestion')).toHaveCount(0);
  await headerAction(page, 'complaint-mark');
  const panel = page.getByTestId('complaint-panel');
  await expect(panel.getByTestId('complaint-progress')).toHaveText('0 z 8 kroków');
  await expect(panel.getByTestId('complaint-step').first()).toContainText('Podziękuj klientowi za zgłoszoną reklamację');
  await panel.getByRole('checkbox', { name: /Przeproś klienta/ }).check();
  await expect(panel.getByTestId('complaint-progress')).toHaveText('1 z 8 kroków');
  await page.screenshot({ path: shotPath('complaint-panel-pl-390.png') });
  // Opened again on the phone, the open complaint starts folded: its progress shows,
  // the conversation keeps its room, the steps are a tap away.
  await page.reload();
  await expect(panel.getByTestId('complaint-progress')).toHaveText('1 z 8 kroków');
  await expect(panel.getByTestId('complaint-step')).toHaveCount(0);
  await expect(page.getByTestId('message').filter({ hasText: 'my parcel arrived damaged' })).toBeInViewport();
  await panel.locator('.complaint-toggle').click();
  await expect(panel.getByTestId('complaint-step')).toHaveCount(8);

  const admin = await page.context().browser().newContext();
  const rp = await admin.newPage();
  await rp.setViewportSize({ width: 1366, height: 900 });
  await consoleLogin(rp, url, 'admin', '/console/reports/complaints');
  const report = rp.getByTestId('complaints-report');
  await expect(report.getByTestId('complaints-total')).toHaveText('2');
  await expect(report.getByTestId('complaints-open')).toHaveText('1');
  await expect(report.getByTestId('complaints-resolved')).toHaveText('1');
  await expect(report.getByTestId('complaints-categories')).toContainText('Delivery');
  await report.scrollIntoViewIfNeeded();
  await rp.screenshot({ path: shotPath('complaints-report-1366.png'), fullPage: true });
  await rp.setViewportSize({ width: 390, height: 844 });
  await report.scrollIntoViewIfNeeded();
  await rp.screenshot({ path: shotPath('complaints-report-390.png') });
  await admin.close();
});
