// Call-back request: the visitor leaves a phone number and a time window; the
// agent sees a call-back conversation with the number and the window.
import { test, expect } from './helpers.mjs';
import { serverForFile, agentAndVisitor, consoleLogin, setContactPanel } from './helpers.mjs';

const env = serverForFile();

test('call-back request reaches the agent with phone and window', async ({ browser }) => {
  const url = env.server.url;
  const { agent, visitor, close } = await agentAndVisitor(browser);
  await consoleLogin(agent, url, 'anna', '/console/all');

  await visitor.goto(url + '/demo/product.html');
  await visitor.getByTestId('launcher').click();
  await visitor.getByTestId('callback-button').click();

  // An invalid number is refused in the form.
  await visitor.getByTestId('callback-name').fill('Olga Smirnova');
  await visitor.getByTestId('callback-phone').fill('12ab');
  await visitor.getByTestId('callback-submit').click();
  await expect(visitor.getByTestId('callback-phone')).toHaveAttribute('aria-invalid', 'true');
  await expect(visitor.getByTestId('confirmation')).toHaveCount(0);

  const phone = '+39 333 123 4567';
  await visitor.getByTestId('callback-phone').fill(phone);
  // The inbox's one-hour slots (always open: 08:00-20:00 in Rome, the visitor's zone too).
  await expect(visitor.getByTestId('callback-day')).toBeEnabled();
  await visitor.getByTestId('callback-day').selectOption({ label: 'Tomorrow' });
  await expect(visitor.getByTestId('callback-time')).toBeVisible();
  await visitor.getByTestId('callback-time').selectOption({ label: '10:00–11:00' });
  await visitor.getByTestId('callback-submit').click();
  const ok = visitor.getByTestId('confirmation');
  await expect(ok).toBeVisible();
  await expect(ok).toContainText(`We'll call you at ${phone}.`);
  await expect(ok).toContainText('Tomorrow, 10:00–11:00');

  // The window is tomorrow 10:00–11:00 in the visitor's time zone.
  const [from, to] = await visitor.evaluate(() => {
    const d = new Date();
    d.setHours(0, 0, 0, 0);
    d.setDate(d.getDate() + 1);
    return [d.getTime() + 600 * 60e3, d.getTime() + 660 * 60e3];
  });
  const list = (await env.admin.call('/api/v1/conversations?view=all&status=open')).json.conversations;
  expect(list).toHaveLength(1);
  expect(list[0]).toMatchObject({ kind: 'callback', meta: { callback: { phone, window_from: from, window_to: to } } });

  // Live in the console list, with the number; details in the contact panel.
  const item = agent.getByTestId('conversation-item');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('Olga Smirnova');
  await expect(item.locator('.conv-callback')).toContainText(phone);
  await expect(item.getByRole('img', { name: 'Call-back request' })).toBeVisible();
  await item.click();
  await setContactPanel(agent);
  await expect(agent.getByTestId('contact-phone')).toHaveText(phone);
  await expect(agent.getByTestId('contact-phone')).toHaveAttribute('href', 'tel:+393331234567');
  await expect(agent.getByTestId('contact-callback')).toHaveText(/^Tomorrow 10:00\sAM–11:00\sAM$/);

  await close();
});
