// Two-factor sign-in and personal API tokens in the console: an agent sets up 2FA
// (reading the key from the page and computing the code), signs out and signs in
// with a code, then with a recovery code; an agent creates an API token, sees it
// once, and revokes it; an admin, refused until they have 2FA themselves, requires
// it for the workspace and an agent without it is walked through the forced setup;
// the admin then resets that agent's 2FA from the agents table.
import { test, expect } from './helpers.mjs';
import { createHmac } from 'node:crypto';
import { request } from '../../tests/lib/server.mjs';
import { serverForFile, consoleLogin, shotPath, DEMO } from './helpers.mjs';

// ---- RFC 6238 (TOTP, HMAC-SHA1, 30 s, 6 digits) --------------------------------

function base32Decode(s) {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of s.replace(/[\s=]/g, '').toUpperCase()) bits += A.indexOf(c).toString(2).padStart(5, '0');
  const out = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(out);
}

function codeAt(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, '0');
}

// The server takes a code one step either side of now, each step once: a fresh
// step per use, starting one step back so three uses need no wait. Near a step's
// end the test waits for the next one, so "one back" is still one back when the
// server checks.
const used = new Map();
async function nextCode(secret) {
  for (;;) {
    const seconds = Date.now() / 1000;
    const now = Math.floor(seconds / 30);
    const step = Math.max(now - 1, (used.get(secret) ?? -Infinity) + 1);
    if (step <= now + 1 && 30 - (seconds % 30) > 3) {
      used.set(secret, step);
      return codeAt(secret, step);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

// ---- helpers ---------------------------------------------------------------------

async function openAccount(page) {
  await page.getByTestId('my-account').click();
  await expect(page.getByTestId('account-page')).toBeVisible();
}

/** Runs the setup on the page (My account card or the forced page); returns the key and the recovery codes. */
async function completeSetup(page, shot) {
  const box = page.getByTestId('twofa-setup');
  await expect(box.getByTestId('twofa-qr')).toBeVisible();
  const secret = await box.getByTestId('twofa-secret').getAttribute('data-secret');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  // The key shown as text is the same, in groups of four.
  expect((await box.getByTestId('twofa-secret').textContent()).replace(/\s/g, '')).toBe(secret);
  // A wrong code is refused inline.
  await box.getByTestId('twofa-code').fill('000000');
  await box.getByTestId('twofa-enable').click();
  await expect(page.getByTestId('twofa-error')).toBeVisible();
  if (shot) await page.screenshot({ path: shotPath(shot + '-setup.png'), fullPage: true });
  await box.getByTestId('twofa-code').fill(await nextCode(secret));
  await box.getByTestId('twofa-enable').click();
  const codes = page.getByTestId('recovery-codes');
  await expect(codes).toBeVisible();
  const list = await codes.locator('[data-testid="recovery-list"] li').allTextContents();
  expect(list).toHaveLength(10);
  for (const c of list) expect(c.trim()).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4})+$/);
  // Done only once the codes are saved.
  await expect(codes.getByTestId('recovery-done')).toBeDisabled();
  const download = page.waitForEvent('download');
  await codes.getByTestId('recovery-download').click();
  expect((await download).suggestedFilename()).toBe('switchboard-recovery-codes.txt');
  await codes.getByTestId('recovery-saved').check();
  if (shot) await page.screenshot({ path: shotPath(shot + '-codes.png'), fullPage: true });
  await codes.getByTestId('recovery-done').click();
  return { secret, codes: list.map((c) => c.trim()) };
}

async function logoutFromAccount(page) {
  await page.getByTestId('session-logout').click();
  await expect(page.getByTestId('login-email')).toBeVisible();
}

async function signInWithCode(page, url, who, code) {
  await page.goto(url + '/console/');
  await page.getByTestId('login-email').fill(DEMO[who].email);
  await page.getByTestId('login-password').fill(DEMO[who].password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-otp')).toBeVisible();
  await page.getByTestId('login-otp').fill(code);
  await page.getByTestId('login-otp-submit').click();
}

const env = serverForFile({ online: [] });

test('an agent sets up two-factor sign-in, then signs in with a code and with a recovery code', async ({ page }) => {
  test.setTimeout(120_000);
  const url = env.server.url;
  await consoleLogin(page, url, 'anna');
  await openAccount(page);
  const card = page.getByTestId('twofa-card');
  await expect(card.getByTestId('twofa-status')).toHaveAttribute('data-on', 'false');
  await card.getByTestId('twofa-start').click();
  const { secret, codes } = await completeSetup(page, 'twofa-account-en-1280');
  await expect(card.getByTestId('twofa-status')).toHaveAttribute('data-on', 'true');
  await expect(card.getByTestId('twofa-new-codes')).toBeVisible();

  // Turning it off needs the password: a wrong one is refused, and it stays on.
  await card.getByTestId('twofa-disable').click();
  await page.getByTestId('twofa-off-password').fill('not-the-password');
  await page.getByTestId('twofa-off-submit').click();
  await expect(page.getByTestId('twofa-off-error')).toHaveText('The password is wrong.');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('twofa-off-dialog')).toHaveCount(0);
  await expect(card.getByTestId('twofa-status')).toHaveAttribute('data-on', 'true');

  // Sign out; the password alone is not enough any more.
  await logoutFromAccount(page);
  await signInWithCode(page, url, 'anna', '123456');
  await expect(page.getByTestId('login-error')).toContainText('code is not right');
  await expect(page.getByTestId('login-otp')).toHaveValue('');
  await page.screenshot({ path: shotPath('twofa-login-code-en-1280.png') });
  await page.getByTestId('login-otp').fill(await nextCode(secret));
  await page.getByTestId('login-otp-submit').click();
  await expect(page.getByTestId('view-all')).toBeVisible();

  // A recovery code works once.
  await openAccount(page);
  await logoutFromAccount(page);
  await signInWithCode(page, url, 'anna', codes[0]);
  await expect(page.getByTestId('view-all')).toBeVisible();
  await openAccount(page);
  await logoutFromAccount(page);
  await signInWithCode(page, url, 'anna', codes[0]);
  await expect(page.getByTestId('login-error')).toBeVisible();
  await page.getByTestId('login-otp').fill(await nextCode(secret));
  await page.getByTestId('login-otp-submit').click();
  await expect(page.getByTestId('view-all')).toBeVisible();

  // New recovery codes need a code from the app.
  await openAccount(page);
  await card.getByTestId('twofa-new-codes').click();
  await page.getByTestId('twofa-regen-code').fill(await nextCode(secret));
  await page.getByTestId('twofa-regen-submit').click();
  await expect(page.getByTestId('recovery-codes')).toBeVisible();
  const fresh = await page.getByTestId('recovery-list').locator('li').allTextContents();
  expect(fresh).toHaveLength(10);
  expect(fresh.map((c) => c.trim())).not.toContain(codes[1]);
  await page.getByTestId('recovery-saved').check();
  await page.getByTestId('recovery-done').click();
  await expect(page.getByTestId('recovery-codes')).toHaveCount(0);
});

test('an agent creates an API token, sees it once and revokes it', async ({ page }) => {
  const url = env.server.url;
  const probe = await env.admin.call('/api/v1/me/tokens');
  test.skip(probe.status === 404, 'the server has no /api/v1/me/tokens yet');
  await consoleLogin(page, url, 'marek');
  await openAccount(page);
  const card = page.getByTestId('tokens-card');
  await expect(card.getByTestId('tokens-empty')).toBeVisible();
  await card.getByTestId('token-new').click();
  const dlg = page.getByTestId('token-create-dialog');
  await dlg.getByTestId('token-create-submit').click();
  await expect(dlg.getByText('Give the token a name.')).toBeVisible();
  await dlg.getByTestId('token-name-input').fill('Nightly export');
  await dlg.getByTestId('token-access-write').check();
  await dlg.getByTestId('token-expiry').selectOption('30');
  await dlg.getByTestId('token-create-submit').click();
  const created = page.getByTestId('token-created-dialog');
  await expect(created).toContainText('it will not be shown again');
  const secret = await created.getByTestId('token-secret').inputValue();
  expect(secret).toMatch(/^sbp_/);
  await page.screenshot({ path: shotPath('token-created-en-1280.png') });
  await created.getByTestId('token-done').click();

  const row = card.getByTestId('token-row').filter({ hasText: 'Nightly export' });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('token-scope')).toHaveText('Read and write');
  await expect(row.getByTestId('token-last-used')).toHaveText('Never used');
  expect(await row.textContent()).not.toContain(secret);

  // The token works as a bearer token; the list then shows its use.
  const me = await request(url, '/api/v1/me', { headers: { Authorization: 'Bearer ' + secret } });
  expect(me.status).toBe(200);

  // The admin sees it with its owner on Settings → Security.
  const admin = await env.admin.call('/api/v1/admin/tokens');
  expect(admin.json.tokens.some((x) => x.name === 'Nightly export' && x.agent?.name)).toBe(true);

  await row.getByTestId('token-revoke').click();
  await page.getByTestId('token-revoke-confirm').click();
  await expect(card.getByTestId('tokens-empty')).toBeVisible();
  const after = await request(url, '/api/v1/me', { headers: { Authorization: 'Bearer ' + secret } });
  expect(after.status).toBe(401);
});

test('an admin requires two-factor sign-in and an agent without it is walked through the setup', async ({ page, browser }) => {
  test.setTimeout(150_000);
  const url = env.server.url;
  await consoleLogin(page, url, 'admin');
  await page.getByTestId('settings').click();
  await page.getByTestId('settings-security').click();
  await expect(page).toHaveURL(/\/console\/settings\/security$/);
  const count = page.getByTestId('agents-without-2fa');
  await expect(count).toHaveAttribute('data-count', /^[1-9]/);

  // Refused while the admin has no 2FA: the page says why and leads to My account.
  await page.getByTestId('require-2fa').click({ force: true });
  await expect(page.getByTestId('security-own-first')).toBeVisible();
  await expect(page.getByTestId('require-2fa')).not.toBeChecked();
  await page.screenshot({ path: shotPath('security-own-first-en-1280.png'), fullPage: true });
  await page.getByTestId('security-go-account').click();
  await page.getByTestId('twofa-card').getByTestId('twofa-start').click();
  await completeSetup(page);

  await page.getByTestId('settings').click();
  await page.getByTestId('settings-security').click();
  await page.getByTestId('require-2fa').click({ force: true });
  await expect(page.getByTestId('require-2fa')).toBeChecked();
  await expect(page.getByTestId('security-own-first')).toHaveCount(0);
  await page.screenshot({ path: shotPath('security-required-en-1280.png'), fullPage: true });

  // Marek has no 2FA: after the password he sees only the setup (and log out).
  const ctx = await browser.newContext();
  const marek = await ctx.newPage();
  await marek.goto(url + '/console/');
  await marek.getByTestId('login-email').fill(DEMO.marek.email);
  await marek.getByTestId('login-password').fill(DEMO.marek.password);
  await marek.getByTestId('login-submit').click();
  await expect(marek.getByTestId('twofa-forced')).toBeVisible();
  await expect(marek.getByTestId('view-all')).toHaveCount(0);
  await marek.screenshot({ path: shotPath('twofa-forced-en-1280.png'), fullPage: true });
  // A reload keeps him there.
  await marek.reload();
  await expect(marek.getByTestId('twofa-forced')).toBeVisible();
  const { secret } = await completeSetup(marek);
  await expect(marek.getByTestId('view-all')).toBeVisible();
  await expect(marek.getByTestId('twofa-forced')).toHaveCount(0);

  // Now he cannot turn it off: the workspace requires it.
  await marek.getByTestId('my-account').click();
  await marek.getByTestId('twofa-disable').click();
  await marek.getByTestId('twofa-off-password').fill(DEMO.marek.password);
  await marek.getByTestId('twofa-off-submit').click();
  await expect(marek.getByTestId('twofa-required')).toBeVisible();
  await marek.keyboard.press('Escape');
  expect(secret).toBeTruthy();

  // The admin sees his badge and resets it (he lost his phone): his sessions end.
  await page.getByTestId('settings-agents').click();
  const row = page.getByTestId('agent-row').filter({ hasText: 'Marek' });
  await expect(row.getByTestId('agent-2fa')).toBeVisible();
  await page.screenshot({ path: shotPath('agents-2fa-en-1280.png') });
  await row.getByTestId('agent-reset-2fa').click();
  await expect(page.getByTestId('reset-2fa-dialog')).toBeVisible();
  await page.getByTestId('confirm-reset-2fa').click();
  await expect(row.getByTestId('agent-2fa')).toHaveCount(0);
  await expect(row.getByTestId('agent-reset-2fa')).toHaveCount(0);

  // His console notices at the next request: back to sign-in, then to the setup again.
  await marek.reload();
  await expect(marek.getByTestId('login-email')).toBeVisible();
  await marek.getByTestId('login-email').fill(DEMO.marek.email);
  await marek.getByTestId('login-password').fill(DEMO.marek.password);
  await marek.getByTestId('login-submit').click();
  await expect(marek.getByTestId('twofa-forced')).toBeVisible();
  await marek.getByTestId('twofa-logout').click();
  await expect(marek.getByTestId('login-email')).toBeVisible();
  await ctx.close();

  // Turning the requirement off again.
  await page.getByTestId('settings-security').click();
  await page.getByTestId('require-2fa').click({ force: true });
  await expect(page.getByTestId('require-2fa')).not.toBeChecked();
});
