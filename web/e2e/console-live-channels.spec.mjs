// Live view (supervisor): only the channels that exist. Chat always; e-mail once an inbox
// has e-mail configured; SMS not (nothing configures it); before that no E-mail or SMS
// column in the agents' table nor a card for them.
import { test, expect } from './helpers.mjs';
import { serverForFile, consoleLogin, shotPath } from './helpers.mjs';

const env = serverForFile({ online: ['anna'] });

test('the live view shows chat, and e-mail only once an inbox has e-mail', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await consoleLogin(page, env.server.url, 'admin', '/console/supervisor');
  const table = page.getByTestId('sup-agents');
  await expect(table).toBeVisible();
  const heads = table.locator('thead th');
  await expect(heads.filter({ hasText: /^Chat$/ })).toHaveCount(1);
  await expect(heads.filter({ hasText: /^E-mail$/ })).toHaveCount(0);
  await expect(heads.filter({ hasText: /^SMS$/ })).toHaveCount(0);
  await page.screenshot({ path: shotPath('console-live-channels-before-1366.png') });

  const r = await env.admin.call(`/api/v1/inboxes/${env.inbox.id}/email`, {
    method: 'PUT',
    body: {
      enabled: true,
      imap: { host: '127.0.0.1', port: 9, security: 'none', user: 'support', password: 'x' },
      smtp: { host: '127.0.0.1', port: 9, security: 'none', user: '', password: '' },
      folder: 'INBOX',
      from_address: 'support@shop.example',
      display_name: 'Demo Support',
      company: { name: 'Demo Shop', department: '', address: '', phone: '', email: 'support@shop.example', tax_id: '' },
      answer_promise: '',
    },
  });
  expect(r.status, r.text).toBe(200);
  await page.reload();
  await expect(heads.filter({ hasText: /^E-mail$/ })).toHaveCount(1);
  await expect(heads.filter({ hasText: /^SMS$/ })).toHaveCount(0);
  await page.screenshot({ path: shotPath('console-live-channels-after-1366.png') });
});
