// Admin side of routing: the routing catalogue, an agent's routing profile, the
// supervisor's live view with a waiting customer, and the staffing simulator.
import { test, expect } from './helpers.mjs';
import { newVisitor } from '../../tests/lib/server.mjs';
import { serverForFile, consoleLogin, shotPath } from './helpers.mjs';

// Nobody online: the chat the visitor starts waits in the queue.
const env = serverForFile({ online: [] });

test('admin sets up routing, watches the queue and runs the simulator', async ({ page }) => {
  test.setTimeout(150_000); // a long walk through four pages; CI shares 2 cores with the other suites
  const url = env.server.url;
  const visitor = await newVisitor(url);
  const started = await visitor.startChat({ name: 'Waiting Walter', email: 'walter@example.com' });
  expect(started.status).toBe(201);
  const convId = started.json.id;

  await consoleLogin(page, url, 'admin');

  // Routing settings: a skill and a team.
  await page.getByTestId('settings').click();
  await page.getByTestId('settings-routing').click();
  await expect(page).toHaveURL(/\/console\/settings\/routing$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Routing' })).toBeVisible();
  await page.getByTestId('skill-name').fill('Bad Name!');
  await expect(page.getByTestId('skill-add')).toBeDisabled();
  await page.getByTestId('skill-name').fill('lang:it');
  await page.getByTestId('skill-label').fill('Italian');
  await page.getByTestId('skill-add').click();
  await page.getByTestId('team-name').fill('Billing');
  await page.getByTestId('team-name').press('Enter');
  await page.getByTestId('status-name').fill('Lunch');
  await page.getByTestId('status-add').click();
  await page.getByTestId('routing-save').click();
  await expect(page.getByTestId('skill-row')).toHaveCount(1);
  await expect(page.getByTestId('team-row')).toHaveCount(1);
  await expect(page.getByTestId('routing-save')).toBeDisabled(); // saved, nothing dirty
  // The server's 400 is shown with the form.
  const teamInput = page.getByTestId('team-row').getByRole('textbox');
  await teamInput.fill(' ');
  await page.getByTestId('routing-save').click();
  await expect(page.getByTestId('routing-error')).toContainText('teams');
  await teamInput.fill('Billing');
  await page.getByTestId('routing-save').click();
  await expect(page.getByTestId('routing-error')).toHaveCount(0);
  await expect(page.getByTestId('routing-save')).toBeDisabled();
  const catalogue = (await env.admin.call('/api/v1/routing')).json;
  expect(catalogue.skills).toEqual([{ name: 'lang:it', label: 'Italian' }]);
  expect(catalogue.teams.map((t) => t.name)).toEqual(['Billing']);
  const teamId = catalogue.teams[0].id;
  await page.screenshot({ path: shotPath('routing-settings.png'), fullPage: true });

  // Anna's routing profile: Italian 4, chat capacity 2, team Billing.
  await page.getByTestId('settings-agents').click();
  const anna = page.getByTestId('agent-row').filter({ hasText: 'Anna' });
  await anna.getByTestId('agent-routing').click();
  const form = page.getByTestId('agent-routing-form');
  await expect(form).toBeVisible();
  await form.getByTestId('agent-skill-lang:it').selectOption('4');
  await form.getByTestId('agent-capacity-chat').fill('');
  await form.getByTestId('agent-routing-save').click();
  await expect(page.getByTestId('agent-routing-error')).toContainText('Chat');
  await form.getByTestId('agent-capacity-chat').fill('2');
  await form.getByTestId(`agent-team-${teamId}`).check();
  await page.screenshot({ path: shotPath('agent-routing.png'), fullPage: true });
  await form.getByTestId('agent-routing-save').click();
  await expect(form).toHaveCount(0);
  await expect(anna.getByTestId('agent-routing-summary')).toContainText('lang:it 4');
  await expect(anna.getByTestId('agent-routing-summary')).toContainText('Chat 2');
  const annaView = (await env.admin.call('/api/v1/agents')).json.agents.find((a) => a.name.startsWith('Anna'));
  expect(annaView.routing.capacity.chat).toBe(2);
  expect(annaView.routing.skills).toEqual({ 'lang:it': 4 });
  expect(annaView.routing.teams).toEqual([teamId]);

  // The demo inbox: a rule and fallback; a bad value is refused before saving.
  await page.getByTestId('settings-inboxes').click();
  await page.getByTestId('inbox-item').first().click();
  const routing = page.getByTestId('inbox-routing');
  await routing.getByTestId('inbox-routing-add-rule').click();
  await routing.getByLabel('Rule 1: Value').fill('Returns');
  await routing.getByTestId('inbox-routing-overflow_after_s').fill('900');
  await routing.getByTestId('inbox-routing-priority').fill('500');
  await page.getByTestId('inbox-save').click();
  await expect(page.getByTestId('inbox-routing-error')).toContainText('priority');
  await routing.getByTestId('inbox-routing-priority').fill('5');
  await page.getByTestId('inbox-save').click();
  await expect(page.getByTestId('inbox-error')).toHaveCount(0);
  await expect(page.getByTestId('inbox-routing-error')).toHaveCount(0);
  await expect
    .poll(async () => (await env.admin.call('/api/v1/inboxes')).json.inboxes.find((i) => i.id === env.inbox.id).routing)
    .toMatchObject({ priority: 5, rules: [{ when: 'topic', value: 'Returns', skill: 'lang:it', min_level: 1 }], fallback: { overflow_after_s: 900 } });
  await routing.screenshot({ path: shotPath('inbox-routing.png') });

  // Live view: the agents and the waiting conversation.
  await page.getByTestId('nav-supervisor').click();
  await expect(page).toHaveURL(/\/console\/supervisor$/);
  await expect(page.getByTestId('sup-agent')).toHaveCount(3);
  await expect(page.getByTestId('sup-agents')).toContainText('Anna Rossi');
  const waiting = page.locator(`[data-testid="sup-queue-item"][data-id="${convId}"]`);
  await expect(waiting).toBeVisible();
  await expect(waiting).toContainText('Waiting Walter');
  await expect(waiting).toContainText('Chat');
  await page.screenshot({ path: shotPath('supervisor.png'), fullPage: true });

  // Assigning Anna: her capacity allows it.
  await waiting.getByTestId('sup-assign').click();
  await page.getByTestId('sup-assign-agent').selectOption(String(annaView.id));
  await page.getByTestId('sup-action-submit').click();
  await expect(waiting).toHaveCount(0);
  const active = page.locator(`[data-testid="sup-active-item"][data-id="${convId}"]`);
  await expect(active).toContainText('Anna Rossi');
  // Whisper to her: an internal note.
  await active.getByTestId('sup-whisper').click();
  await page.getByTestId('sup-whisper-body').fill('Offer free shipping on the return.');
  await page.getByTestId('sup-action-submit').click();
  await expect(page.getByTestId('sup-action-form')).toHaveCount(0);
  const events = (await env.admin.call(`/api/v1/conversations/${convId}/events`)).json.events;
  expect(events.some((e) => e.kind === 'note' && e.body === 'Offer free shipping on the return.')).toBe(true);

  // Simulator: a bad scenario names the field; the default one draws the charts.
  await page.getByTestId('nav-simulator').click();
  await expect(page).toHaveURL(/\/console\/simulator$/);
  const editor = page.getByTestId('sim-scenario');
  const original = await editor.inputValue();
  await editor.fill(original.replace('"hours": 10', '"hours": 0'));
  await page.getByTestId('sim-run').click();
  await expect(page.getByTestId('sim-error')).toContainText('day.hours');
  await editor.fill(original);
  await page.getByTestId('sim-run').click();
  await expect(page.getByTestId('sim-chart')).toBeVisible();
  await expect(page.getByTestId('sim-staff-chart')).toBeVisible();
  await expect(page.getByTestId('sim-sl')).toHaveText(/\d+\.\d%/);
  await expect(page.getByTestId('sim-chart').locator('.ch-bars rect')).toHaveCount(10);
  await page.getByTestId('sim-table-toggle').click();
  await expect(page.getByTestId('sim-table').locator('tbody tr')).toHaveCount(10);
  await page.screenshot({ path: shotPath('simulator.png'), fullPage: true });
  await page.getByTestId('sim-channel-email').click();
  await expect(page.getByTestId('sim-chart')).toBeVisible();
});

test('plain agents do not see the admin pages', async ({ page }) => {
  const url = env.server.url;
  await consoleLogin(page, url, 'marek', '/console/supervisor');
  await expect(page.getByTestId('nav-supervisor')).toHaveCount(0);
  await expect(page.getByTestId('supervisor')).toHaveCount(0);
  await expect(page).toHaveURL(/\/console\/mine$/);
});
