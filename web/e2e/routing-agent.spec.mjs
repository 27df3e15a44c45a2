// Routing from the agent's chair: offers declined and accepted, transfer
// with a note (and the capacity 409), internal notes with @mentions, and the
// widget's live wait estimate while nobody is free.
import { test, expect } from './helpers.mjs';
import { loginAgent, newVisitor, DEMO } from '../../tests/lib/server.mjs';
import { setup, setCapacity, teardown, consoleLogin, startWidgetChat, consoleMessages, headerAction } from './helpers.mjs';

const SHOTS = '/tmp';

// A long grace: agents set online through the API keep their status without a socket.
const GRACE = ['--grace-ms', '600000'];

let env;
test.afterEach(async ({}, testInfo) => {
  await teardown(env, testInfo);
  env = undefined;
});

test('offer mode: declined by the first agent, offered to and accepted by the second; the visitor sees the agent join', async ({ browser }) => {
  env = await setup({ args: GRACE, routing: { mode: 'offer', offer_timeout_s: 90 }, online: ['anna', 'marek'] });
  const url = env.server.url;
  const annaPage = await (await browser.newContext()).newPage();
  const marekPage = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  await consoleLogin(annaPage, url, 'anna');
  await consoleLogin(marekPage, url, 'marek');

  const message = 'Hello, I was charged twice for order 1042.';
  await startWidgetChat(visitor, url, { name: 'Sofia Greco', email: 'sofia@example.com', topic: 'Returns', message });

  // Exactly one of them gets the offer first (lowest load, then longest idle).
  const cards = (p) => p.getByTestId('offer-card');
  await expect.poll(async () => (await cards(annaPage).count()) + (await cards(marekPage).count())).toBe(1);
  const annaFirst = (await cards(annaPage).count()) === 1;
  const [first, second] = annaFirst ? [annaPage, marekPage] : [marekPage, annaPage];
  const secondName = annaFirst ? 'Marek Nowak' : 'Anna Rossi';

  const card = cards(first);
  await expect(card).toContainText('Sofia Greco');
  await expect(card).toContainText(message);
  await expect(card.getByTestId('offer-countdown')).toHaveText(/^[01]:\d\dExpires in \d+ seconds$/);
  await expect(card.getByTestId('offer-accept')).toBeVisible();
  await expect(first.getByTestId('offer-announcer')).toContainText('Sofia Greco');
  await first.waitForTimeout(300); // let the entry animation finish
  await first.screenshot({ path: `${SHOTS}/routing-offer-card.png` });

  // D declines (keyboard): gone here, offered to the other agent.
  await first.locator('body').press('d');
  await expect(cards(first)).toHaveCount(0);
  await expect(cards(second)).toHaveCount(1);
  await expect(cards(second)).toContainText('Sofia Greco');

  // A accepts: the conversation opens, assigned to them.
  await second.locator('body').press('a');
  await expect(cards(second)).toHaveCount(0);
  await expect(second).toHaveURL(/\/console\/mine\/\d+$/);
  await expect(second.getByTestId('assignee')).toContainText('Assigned to you');
  await expect(consoleMessages(second).filter({ hasText: message })).toHaveCount(1);

  // The visitor sees the agent join, and the wait estimate is gone.
  await expect(visitor.getByTestId('system-message').filter({ hasText: `${secondName} joined` })).toHaveCount(1);
  await expect(visitor.getByTestId('queue-wait')).toBeHidden();

  // Status picker: away, with the time in status.
  await second.getByTestId('status-select').selectOption('away');
  await expect(second.getByTestId('status-since')).toHaveText('< 1 min');
  const me = await loginAgent(url, annaFirst ? DEMO.marek : DEMO.anna);
  await expect.poll(async () => (await me.call('/api/v1/me')).json.agent.status).toBe('away');
});

test('transfer with a note: the receiver reads the note first, the visitor only the notice; the 409 at capacity is shown', async ({ browser }) => {
  env = await setup({ args: GRACE, online: ['anna'] });
  const url = env.server.url;
  const anna = await (await browser.newContext()).newPage();
  const marek = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  await consoleLogin(anna, url, 'anna');
  await consoleLogin(marek, url, 'marek');

  const message = 'My washing machine arrived with a dent.';
  await startWidgetChat(visitor, url, { name: 'Luca Ferri', email: 'luca@example.com', topic: 'Returns', message });

  // Auto mode: assigned to Anna (the only agent online).
  await anna.getByTestId('view-mine').click();
  const item = anna.getByTestId('conversation-item').filter({ hasText: 'Luca Ferri' });
  await expect(item).toHaveCount(1);
  await item.click();
  await expect(anna.getByTestId('assignee')).toContainText('Assigned to you');

  // Internal note with an @mention picked from the autocomplete.
  await anna.getByTestId('composer-mode-note').click();
  await expect(anna.getByTestId('note-only-agents')).toHaveText('Only agents see this');
  const composer = anna.getByTestId('composer');
  await composer.pressSequentially('Photo looks like transport damage, @Ma', { delay: 15 });
  await expect(anna.getByTestId('mention-option')).toHaveCount(1);
  await expect(anna.getByTestId('mention-option')).toContainText('Marek Nowak');
  await anna.screenshot({ path: `${SHOTS}/routing-note-composer.png` });
  await composer.press('Enter'); // picks the mention
  await expect(composer).toHaveValue('Photo looks like transport damage, @Marek ');
  await composer.pressSequentially('can you check the courier?', { delay: 5 });
  await composer.press('Enter'); // adds the note
  const annaNote = anna.locator('.messages [data-testid="message"][data-kind="note"]');
  await expect(annaNote).toHaveCount(1);
  await expect(annaNote).toContainText('@Marek can you check the courier?');
  // Marek gets a mention notice with a link to the conversation.
  await expect(marek.getByTestId('mention-notice')).toContainText('Anna Rossi mentioned you');
  await expect(marek.getByTestId('mention-notice')).toContainText('Luca Ferri');
  await marek.screenshot({ path: `${SHOTS}/routing-mention-notice.png` });

  // Hold, with a message the customer sees.
  await headerAction(anna, 'hold-open');
  const hold = anna.getByTestId('hold-dialog');
  await expect(hold.getByTestId('hold-message')).toBeFocused();
  await hold.getByTestId('hold-message').fill('One moment please, I am looking into it.');
  await hold.getByTestId('hold-submit').click();
  await expect(hold).toHaveCount(0);
  await expect(anna.locator('.messages [data-kind="system"]').filter({ hasText: 'One moment please' })).toHaveCount(1);
  await expect(visitor.getByTestId('system-message').filter({ hasText: 'One moment please, I am looking into it.' })).toHaveCount(1);

  // Marek is full: the transfer is refused with the server's message.
  await setCapacity(env, 'marek', 0);
  await headerAction(anna, 'transfer-open');
  const dialog = anna.getByTestId('transfer-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('transfer-agent')).toBeFocused();
  await dialog.getByTestId('transfer-agent').selectOption(String(env.agent('marek').id));
  const transferNote = 'Customer prefers a replacement, not a refund. Photos are above.';
  await dialog.getByTestId('transfer-note').fill(transferNote);
  await dialog.getByTestId('transfer-submit').click();
  await expect(dialog.getByTestId('transfer-error')).toContainText(/capacity/i);
  await anna.screenshot({ path: `${SHOTS}/routing-transfer-dialog.png` });

  // Room again: the transfer goes through.
  await setCapacity(env, 'marek', 3);
  await dialog.getByTestId('transfer-submit').click();
  await expect(dialog).toHaveCount(0);
  await expect(anna.getByTestId('assignee')).toContainText('Marek Nowak');

  // Marek: in Mine, the note comes before the transfer notice.
  await marek.getByTestId('view-mine').click();
  const mItem = marek.getByTestId('conversation-item').filter({ hasText: 'Luca Ferri' });
  await expect(mItem).toHaveCount(1);
  await mItem.click();
  const rows = marek.locator('.messages [data-testid="message"]');
  await expect(rows.filter({ hasText: transferNote })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'transferred the conversation to Marek Nowak' })).toHaveCount(1);
  const order = await rows.evaluateAll((els, note) => {
    const i = els.findIndex((e) => e.textContent.includes(note));
    const j = els.findIndex((e) => e.textContent.includes('transferred the conversation'));
    return { i, j, kind: els[i]?.dataset.kind };
  }, transferNote);
  expect(order.kind).toBe('note');
  expect(order.i).toBeGreaterThanOrEqual(0);
  expect(order.i).toBeLessThan(order.j);

  // The visitor sees the notice, never the notes.
  const panel = visitor.getByTestId('panel');
  await expect(panel.getByTestId('system-message').filter({ hasText: 'transferred the conversation to Marek Nowak' })).toHaveCount(1);
  await expect(panel).not.toContainText(transferNote);
  await expect(panel).not.toContainText('courier');
});

test('widget: a live wait estimate while every agent is at capacity, gone once an agent joins', async ({ browser }) => {
  env = await setup({ args: GRACE, online: ['anna'], capacity: { anna: 1 } });
  const url = env.server.url;

  // Anna's one slot is taken by another customer.
  const other = await newVisitor(url);
  const created = await other.startChat({ message: 'First in line.' });
  expect(created.status).toBe(201);
  const anna = await loginAgent(url, DEMO.anna);
  await expect
    .poll(async () => (await anna.call(`/api/v1/conversations/${created.json.id}`)).json?.conversation?.assignee?.id ?? null)
    .toBe(env.agent('anna').id);

  const visitor = await (await browser.newContext()).newPage();
  await startWidgetChat(visitor, url, { name: 'Elena Conti', email: 'elena@example.com', topic: 'Returns', message: 'Is anyone there?' });
  const wait = visitor.getByTestId('queue-wait');
  await expect(wait).toBeVisible();
  await expect(wait).toHaveText(/^Estimated wait: (about \d+ min|less than a minute)$/);
  await visitor.screenshot({ path: `${SHOTS}/routing-widget-wait.png` });

  // The first chat ends: Anna gets this one, the estimate goes away.
  const closed = await anna.call(`/api/v1/conversations/${created.json.id}/close`, { method: 'POST', body: {} });
  expect(closed.status).toBe(200);
  await expect(visitor.getByTestId('system-message').filter({ hasText: 'Anna Rossi joined' })).toHaveCount(1);
  await expect(wait).toBeHidden();
});

