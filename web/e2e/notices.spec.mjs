// System notices ({code, args} next to the English body) in the reader's language:
// an Italian visitor and an Italian console see joined, hold, transfer, back to the
// queue and overflow in Italian; the overflow notice offers the call-back form;
// an English visitor gets the English body. Agent names are text, never markup.
import { test, expect } from './helpers.mjs';
import { loginAgent, DEMO } from '../../tests/lib/server.mjs';
import { setup, setCapacity, setRouting, teardown, consoleLogin, startWidgetChat, headerAction } from './helpers.mjs';

const SHOTS = '/tmp';
const NO_FALLBACK = { widen_skills_after_s: null, widen_team_after_s: null };

// A long grace: agents set online through the API keep their status without a socket.
const GRACE = ['--grace-ms', '600000'];

let env;
test.afterEach(async ({}, testInfo) => {
  await teardown(env, testInfo);
  env = undefined;
});

test('Italian visitor and console: joined, hold, transfer, back to the queue and overflow in Italian; the call-back button opens the form', async ({ browser }) => {
  env = await setup({ args: GRACE, online: ['anna'] });
  const url = env.server.url;
  // A name with markup in it: the notices must show it as text.
  const marekName = 'Marek <i>Nowak</i>';
  const renamed = await env.admin.call(`/api/v1/agents/${env.agent('marek').id}`, { method: 'PATCH', body: { name: marekName } });
  expect(renamed.status).toBe(200);

  const anna = await (await browser.newContext({ locale: 'it-IT' })).newPage();
  const visitor = await (await browser.newContext({ locale: 'it-IT', viewport: { width: 520, height: 760 } })).newPage();
  await consoleLogin(anna, url, 'anna');

  const message = 'Buongiorno, la lavatrice è arrivata ammaccata.';
  await startWidgetChat(visitor, url, { name: 'Luca Ferri', email: 'luca@example.com', topic: 'Returns', message });
  const panel = visitor.getByTestId('panel');
  const sys = panel.getByTestId('system-message');

  // Auto mode: Anna joins; the visitor reads it in Italian, not the English body.
  await expect(sys.filter({ hasText: 'Anna Rossi si è unito/a alla conversazione' })).toHaveCount(1);
  await expect(panel).not.toContainText('joined the conversation');

  // The Italian console shows the same notice in Italian.
  await anna.getByTestId('view-mine').click();
  const item = anna.getByTestId('conversation-item').filter({ hasText: 'Luca Ferri' });
  await expect(item).toHaveCount(1);
  await item.click();
  const annaSys = anna.locator('.messages [data-kind="system"]');
  await expect(annaSys.filter({ hasText: 'Anna Rossi si è unito/a alla conversazione' })).toHaveCount(1);
  await expect(anna.locator('.messages')).not.toContainText('joined the conversation');

  // Hold without a message of her own: the default is said in Italian on both sides.
  await headerAction(anna, 'hold-open');
  await expect(anna.getByTestId('hold-message')).toBeFocused();
  await anna.getByTestId('hold-submit').click();
  await expect(anna.getByTestId('hold-dialog')).toHaveCount(0);
  await expect(sys.filter({ hasText: 'Anna Rossi sta verificando per Lei.' })).toHaveCount(1);
  await expect(annaSys.filter({ hasText: 'Anna Rossi sta verificando per Lei.' })).toHaveCount(1);

  // Transfer to Marek: Italian, and his name stays text.
  await headerAction(anna, 'transfer-open');
  const dialog = anna.getByTestId('transfer-dialog');
  await dialog.getByTestId('transfer-agent').selectOption(String(env.agent('marek').id));
  await dialog.getByTestId('transfer-submit').click();
  await expect(dialog).toHaveCount(0);
  const transferred = `Anna Rossi ha trasferito la conversazione a ${marekName}`;
  await expect(sys.filter({ hasText: transferred })).toHaveCount(1);
  await expect(annaSys.filter({ hasText: transferred })).toHaveCount(1);
  await expect(panel.locator('.sys i')).toHaveCount(0);
  await expect(anna.locator('.msg-system i')).toHaveCount(0);
  await expect(panel).not.toContainText('transferred the conversation');

  // Nobody free any more, overflow at once: Marek puts it back in the queue.
  await setCapacity(env, 'anna', 0);
  await setCapacity(env, 'marek', 0);
  await setRouting(env, { mode: 'auto', fallback: { ...NO_FALLBACK, overflow_after_s: 0 } });
  const marek = await loginAgent(url, DEMO.marek);
  const conv = (await marek.call('/api/v1/conversations?view=mine')).json.conversations[0];
  const back = await marek.call(`/api/v1/conversations/${conv.id}/assign`, { method: 'POST', body: { agent_id: null } });
  expect(back.status).toBe(200);
  await expect(sys.filter({ hasText: 'La conversazione è tornata in coda' })).toHaveCount(1);

  const overflow = sys.filter({ hasText: 'Tutti i nostri operatori sono ancora occupati.' });
  await expect(overflow).toHaveCount(1);
  await expect(annaSys.filter({ hasText: 'Tutti i nostri operatori sono ancora occupati.' })).toHaveCount(1);
  const offer = overflow.getByTestId('overflow-callback');
  await expect(offer).toHaveText('Richiedi una richiamata');
  await expect(panel).not.toContainText('All our agents are still busy');

  await visitor.waitForTimeout(300); // let the panel settle
  await visitor.screenshot({ path: `${SHOTS}/notices-widget-it.png` });
  await anna.screenshot({ path: `${SHOTS}/notices-console-it.png` });

  // The button opens the widget's call-back form.
  await offer.click();
  await expect(visitor.getByTestId('callback-phone')).toBeVisible();
  await expect(panel).toContainText('Richiamami');
  await visitor.screenshot({ path: `${SHOTS}/notices-widget-it-callback.png` });
});

test('English visitor: overflow with nobody free shows the English body and the call-back button', async ({ browser }) => {
  env = await setup({
    args: GRACE,
    online: ['anna'],
    capacity: { anna: 0 },
    routing: { mode: 'auto', fallback: { ...NO_FALLBACK, overflow_after_s: 0 } },
  });
  const visitor = await (await browser.newContext()).newPage();
  await startWidgetChat(visitor, env.server.url, { name: 'Emma Clark', email: 'emma@example.com', topic: 'Billing', message: 'Is anyone there?' });
  const overflow = visitor.getByTestId('system-message').filter({ hasText: 'All our agents are still busy.' });
  await expect(overflow).toHaveCount(1);
  await expect(overflow).toContainText('leave your phone number and we will call you back');
  await overflow.getByTestId('overflow-callback').click();
  await expect(visitor.getByTestId('callback-phone')).toBeVisible();
  await expect(visitor.getByTestId('panel')).toContainText('Call me back');
});
