// Failed sign-ins: the locked login form says so; the owner sees what happened
// when they next sign in (in their language), once.
import { test, expect } from './helpers.mjs';
import { request } from '../../tests/lib/server.mjs';
import { serverForFile, DEMO, SHOTS } from './helpers.mjs';

const env = serverForFile();

test('a locked account tells the person why, and the owner sees the attempts at their next sign-in', async ({ browser }) => {
  for (let i = 0; i < 6; i++)
    await request(env.server.url, '/api/v1/auth/login', { method: 'POST', body: { email: DEMO.marek.email, password: 'guess-' + i } });
  const ctx = await browser.newContext({ locale: 'pl-PL', viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await page.goto(env.server.url + '/console/');
  await page.getByTestId('login-email').fill(DEMO.marek.email);
  // The lock is short (a second here): the first try may be refused, then the password works.
  // Once signed in the form is gone: only wait for the notice then (on a loaded machine the
  // console may take longer than one try's wait to show it).
  await expect(async () => {
    const password = page.getByTestId('login-password');
    if (await password.isVisible()) {
      await password.fill(DEMO.marek.password);
      await page.getByTestId('login-submit').click();
    }
    await expect(page.getByTestId('security-notice')).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 30000 });
  const notice = page.getByTestId('security-notice');
  await expect(notice).toContainText('zablokowały Twoje konto');
  await expect(notice).toContainText('127.0.0.1');
  await page.screenshot({ path: `${SHOTS}/security-notice-pl-390.png` });
  await notice.getByRole('button').click();
  await expect(notice).toHaveCount(0);
  await ctx.close();
});
