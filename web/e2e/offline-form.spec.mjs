// Inbox closed: the widget shows the offline notice and the offline form instead
// of the chat; a submitted message reaches the agents as an "offline" conversation.
import { test, expect } from './helpers.mjs';
import { mkdirSync } from 'node:fs';
import { serverForFile, agentAndVisitor, consoleLogin, consoleMessages, dateIn, SHOTS, setContactPanel } from './helpers.mjs';

// Open every day round the clock, so only the holiday closes it.
const ALL_WEEK = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '00:00', close: '24:00' }));
// A holiday today (and tomorrow, in case the test runs across midnight in Rome).
const holidayToday = (weekly) => ({ weekly, holidays: [dateIn('Europe/Rome'), dateIn('Europe/Rome', 1)] });

async function setHours(hours) {
  const r = await env.admin.call(`/api/v1/inboxes/${env.inbox.id}`, { method: 'PATCH', body: { business_hours: hours } });
  expect(r.status).toBe(200);
}

const widgetAvailability = async () => (await (await fetch(env.server.url + '/api/v1/widget/demo/config')).json()).availability;

const env = serverForFile({ hours: holidayToday(ALL_WEEK) });

test('closed for a holiday: offline form creates a conversation for the agents', async ({ browser }) => {
  const url = env.server.url;
  expect(await widgetAvailability()).toMatchObject({ open: false, reason: 'holiday' });

  const { agent, visitor, close } = await agentAndVisitor(browser);
  // Marek watches every conversation; routing hands the offline message (a ticket) to an agent.
  await consoleLogin(agent, url, 'marek', '/console/all');
  await expect(agent.getByTestId('conversation-item')).toHaveCount(0);

  await visitor.goto(url + '/demo/');
  await visitor.getByTestId('launcher').click();
  const notice = visitor.getByTestId('offline-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("We're closed today for a holiday");
  await expect(visitor.getByTestId('chat-button')).toHaveCount(0);
  await expect(visitor.getByTestId('composer')).toHaveCount(0);

  // Validation first: nothing filled in.
  await visitor.getByTestId('offline-submit').click();
  await expect(visitor.getByTestId('offline-email')).toHaveAttribute('aria-invalid', 'true');
  await expect(visitor.getByTestId('offline-message')).toHaveAttribute('aria-invalid', 'true');
  await expect(visitor.getByTestId('confirmation')).toHaveCount(0);

  const text = 'The blossom lamp arrived with a cracked shade. Can you send a new one?';
  await visitor.getByTestId('offline-name').fill('Ilona Kovács');
  await visitor.getByTestId('offline-email').fill('ilona.kovacs@example.com');
  await visitor.getByTestId('offline-message').fill(text);
  await visitor.getByTestId('offline-submit').click();
  await expect(visitor.getByTestId('confirmation')).toBeVisible();
  await expect(visitor.getByTestId('confirmation')).toContainText('ilona.kovacs@example.com');

  // The agent sees it arrive live, as an offline message with the text.
  const item = agent.getByTestId('conversation-item');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('Ilona Kovács');
  await expect(item.getByRole('img', { name: 'Offline message' })).toBeVisible();
  await item.click();
  await expect(consoleMessages(agent).filter({ hasText: text })).toHaveCount(1);
  await setContactPanel(agent);
  await expect(agent.getByTestId('contact-email')).toHaveText('ilona.kovacs@example.com');
  await expect(agent.locator('.conv-subtitle')).toContainText('Offline message');
  // It is a ticket: number and status in the header.
  const list0 = (await env.admin.call('/api/v1/conversations?view=all&status=open')).json.conversations;
  await expect(agent.getByTestId('ticket-badge')).toHaveText(`#${list0[0].id} · New`);
  mkdirSync(SHOTS, { recursive: true });
  await agent.screenshot({ path: `${SHOTS}/offline-ticket.png` });

  const list = (await env.admin.call('/api/v1/conversations?view=all&status=open')).json.conversations;
  expect(list.map((c) => [c.kind, c.contact.email])).toEqual([['offline', 'ilona.kovacs@example.com']]);

  await close();
});

test('outside business hours the widget says when it opens again', async ({ browser }) => {
  // Open only on a weekday that is not today (in Rome), for one hour.
  const today = new Date(dateIn('Europe/Rome') + 'T12:00:00Z').getUTCDay();
  await setHours({ weekly: [{ day: (today + 3) % 7, open: '10:00', close: '11:00' }], holidays: [] });

  const ctx = await browser.newContext();
  const visitor = await ctx.newPage();
  await visitor.goto(env.server.url + '/demo/product.html');
  await visitor.getByTestId('launcher').click();
  const notice = visitor.getByTestId('offline-notice');
  await expect(notice).toContainText("We're offline right now");
  const day = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][(today + 3) % 7];
  await expect(notice).toContainText(new RegExp(`We open again: ${day}.*10:00`));
  await expect(visitor.getByTestId('offline-submit')).toBeVisible();
  await expect(visitor.getByTestId('callback-button')).toBeVisible();
  await ctx.close();
});

// The console's inbox form offers holidays for always-open inboxes too.
test('a holiday also closes an always-open inbox', async () => {
  await setHours(holidayToday([]));
  expect(await widgetAvailability()).toMatchObject({ open: false, reason: 'holiday' });
});
