// Stop 31's widget settings and visitor endpoints: translated widget texts and
// topic labels, progressive pre-chat (contact details at the handoff or later),
// call-back windows from the inbox's hours in its own zone, and the visitor's
// live current page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, loginAgent, newVisitor, DEMO, uuid, triaged } from '../lib/server.mjs';

let server, admin;
before(async () => {
  server = await startServer({ bot: true });  // the bot keeps new chats: handoffs are visible
  admin = await loginAgent(server.url, DEMO.admin);
  // Always open: out of hours the bot would hand new chats off at once.
  const demo = (await admin.call('/api/v1/inboxes')).json.inboxes.find((i) => i.public_key === 'demo');
  const r = await admin.call(`/api/v1/inboxes/${demo.id}`, { method: 'PATCH', body: { business_hours: { weekly: [] } } });
  assert.equal(r.status, 200, r.text);
});
after(async () => { await server.stop(); });

const post = (who, path, body) => who.call(path, { method: 'POST', body });
const patchInbox = (id, body) => admin.call(`/api/v1/inboxes/${id}`, { method: 'PATCH', body });
const config = async (key) => (await request(server.url, `/api/v1/widget/${key}/config`)).json;
const agentView = async (id) => (await admin.call(`/api/v1/conversations/${id}`)).json.conversation;
const slotsOf = async (key) => request(server.url, `/api/v1/widget/${key}/callback-slots`);

async function newInbox(fields = {}) {
  const r = await post(admin, '/api/v1/inboxes', { name: 'Settings ' + uuid().slice(0, 6), topics: ['Orders', 'Returns'], ...fields });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// The local wall clock of an instant in a zone, as minutes after midnight and the weekday.
function local(ms, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', weekday: 'short',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { minute: Number(parts.hour) * 60 + Number(parts.minute), weekday: parts.weekday };
}

// ---------------------------------------------------------------- 1. settings

test('translations, pre-chat mode and pop-up delay are saved and the config returns them', async () => {
  const inbox = await newInbox();
  const translations = {
    it: { greeting: 'Ciao! Come possiamo aiutarti?', title: 'Assistenza', offline_message: 'Scrivici',
      popup_message: 'Serve aiuto?', topics: { Returns: 'Resi', Orders: 'Ordini' } },
    pl: { greeting: 'Cześć!', topics: { Returns: 'Zwroty' } },
  };
  const r = await patchInbox(inbox.id, { widget: { translations, prechat_mode: 'progressive', popup_delay_s: 15 } });
  assert.equal(r.status, 200, r.text);
  const widget = (await config(inbox.public_key)).inbox.widget;
  assert.deepEqual(widget.translations, translations);
  assert.equal(widget.prechat_mode, 'progressive');
  assert.equal(widget.popup_delay_s, 15);
  assert.equal(widget.color, '#2563eb', 'the other keys stay');
  // null takes the pop-up away; 0 is a pop-up at once.
  assert.equal((await patchInbox(inbox.id, { widget: { popup_delay_s: 0 } })).status, 200);
  assert.equal((await config(inbox.public_key)).inbox.widget.popup_delay_s, 0);
  assert.equal((await patchInbox(inbox.id, { widget: { popup_delay_s: null } })).status, 200);
  assert.equal('popup_delay_s' in (await config(inbox.public_key)).inbox.widget, false);
});

test('each bad widget value is 400 naming the field, and nothing of the patch is saved', async () => {
  const inbox = await newInbox();
  assert.equal((await patchInbox(inbox.id, { widget: { translations: { it: { greeting: 'Ciao' } } } })).status, 200);
  const before = await config(inbox.public_key);
  const cases = [
    [{ translations: 'x' }, 'widget.translations'],
    [{ translations: { de: { greeting: 'Hallo' } } }, 'widget.translations.de'],
    [{ translations: { it: 'Ciao' } }, 'widget.translations.it'],
    [{ translations: { it: { greeting: 5 } } }, 'widget.translations.it.greeting'],
    [{ translations: { it: { greeting: 'x'.repeat(501) } } }, 'widget.translations.it.greeting'],
    [{ translations: { it: { colour: 'rosso' } } }, 'widget.translations.it.colour'],
    [{ translations: { it: { topics: ['Resi'] } } }, 'widget.translations.it.topics'],
    [{ translations: { it: { topics: { Billing: 'Fatture' } } } }, 'widget.translations.it.topics.Billing'],
    [{ translations: { it: { topics: { Returns: 7 } } } }, 'widget.translations.it.topics.Returns'],
    [{ translations: { it: { topics: { Returns: 'x'.repeat(201) } } } }, 'widget.translations.it.topics.Returns'],
    [{ prechat_mode: 'after' }, 'widget.prechat_mode'],
    [{ prechat_mode: null }, 'widget.prechat_mode'],
    [{ popup_delay_s: 601 }, 'widget.popup_delay_s'],
    [{ popup_delay_s: -1 }, 'widget.popup_delay_s'],
    [{ popup_delay_s: 1.5 }, 'widget.popup_delay_s'],
    [{ popup_delay_s: '10' }, 'widget.popup_delay_s'],
    [{ greeting: { text: 'hi' } }, 'widget.greeting'],
  ];
  for (const [widget, field] of cases) {
    // A valid name and greeting ride along: they must not be saved either.
    const r = await patchInbox(inbox.id, { name: 'Renamed', widget: { greeting: 'Changed', ...widget } });
    assert.equal(r.status, 400, `${JSON.stringify(widget)}: ${r.text}`);
    assert.equal(r.json.error.code, 'bad_request');
    assert.ok(r.json.error.message.startsWith(field + ' '), `${field} named in: ${r.json.error.message}`);
  }
  assert.deepEqual(await config(inbox.public_key), before);
});

test('translated labels follow the topics: checked against the patch\'s topics, pruned when a topic goes', async () => {
  const inbox = await newInbox();
  // A new topic and its label in one patch.
  let r = await patchInbox(inbox.id, {
    topics: ['Orders', 'Returns', 'Billing'],
    widget: { translations: { it: { topics: { Returns: 'Resi', Billing: 'Fatture' } }, hu: { topics: { Billing: 'Számlázás' } } } },
  });
  assert.equal(r.status, 200, r.text);
  r = await patchInbox(inbox.id, { topics: ['Orders', 'Returns'] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.widget.translations, { it: { topics: { Returns: 'Resi' } }, hu: { topics: {} } });
  const c = await config(inbox.public_key);
  assert.deepEqual(c.inbox.topics, ['Orders', 'Returns']);
  assert.deepEqual(c.inbox.widget.translations.it.topics, { Returns: 'Resi' });
  // Taking a topic away while labelling it in the same patch is refused.
  r = await patchInbox(inbox.id, { topics: ['Orders'], widget: { translations: { it: { topics: { Returns: 'Resi' } } } } });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /^widget\.translations\.it\.topics\.Returns /);
  assert.deepEqual((await config(inbox.public_key)).inbox.topics, ['Orders', 'Returns']);
});

// ---------------------------------------------------------------- 2. progressive pre-chat

async function progressiveChat() {
  const v = await newVisitor(server.url);
  const r = await v.startChat({ name: '', email: '', message: '' });
  assert.equal(r.status, 201, r.text);
  return { v, id: r.json.id };
}

test('a handoff with name and e-mail puts them on the contact the agent sees', async () => {
  const { v, id } = await progressiveChat();
  assert.equal((await agentView(id)).meta.bot.state, 'active');
  const email = `lucia.${uuid().slice(0, 8)}@example.com`;
  const r = await post(v, `/api/v1/widget/conversations/${id}/handoff`, { name: '  Lucia Verdi ', email, phone: '+39 333 000 1111' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.meta.bot.state, 'handed_off');
  assert.equal(r.json.contact, undefined, 'the widget never sees the contact record');
  const seen = await agentView(id);
  assert.equal(seen.contact.name, 'Lucia Verdi');
  assert.equal(seen.contact.email, email);
  assert.equal(seen.contact.phone, '+393330001111');
  // Their later messages carry the name.
  const m = await post(v, `/api/v1/widget/conversations/${id}/messages`, { client_id: uuid(), body: 'Grazie' });
  assert.equal(m.status, 201, m.text);
  assert.equal(m.json.author.name, 'Lucia Verdi');
});

test('a bad e-mail or an over-long field is 400: nothing saved, no handoff', async () => {
  const { v, id } = await progressiveChat();
  const before = (await agentView(id)).contact;
  for (const [body, message] of [
    [{ name: 'Lucia', email: 'not-an-address' }, /^e-mail address is not valid$/],
    [{ name: 'x'.repeat(201) }, /name/],
    [{ email: 'a'.repeat(250) + '@example.com' }, /email/],
    [{ phone: '12ab' }, /phone/],
    [{ name: 42 }, /name/],
  ]) {
    const r = await post(v, `/api/v1/widget/conversations/${id}/handoff`, body);
    assert.equal(r.status, 400, JSON.stringify(body) + ' ' + r.text);
    assert.equal(r.json.error.code, 'bad_request');
    assert.match(r.json.error.message, message);
  }
  const after = await agentView(id);
  assert.deepEqual(after.contact, before);
  assert.equal(after.meta.bot.state, 'active');
  // An empty body still hands off, as before.
  const r = await v.call(`/api/v1/widget/conversations/${id}/handoff`, { method: 'POST' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.meta.bot.state, 'handed_off');
});

test('/contact saves the details without a handoff', async () => {
  const { v, id } = await progressiveChat();
  const email = `paolo.${uuid().slice(0, 8)}@example.com`;
  const r = await post(v, `/api/v1/widget/conversations/${id}/contact`, { name: 'Paolo Neri', email });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, id);
  assert.equal(r.json.meta.bot.state, 'active', 'no handoff');
  const seen = await agentView(id);
  assert.equal(seen.contact.name, 'Paolo Neri');
  assert.equal(seen.contact.email, email);
  const bad = await post(v, `/api/v1/widget/conversations/${id}/contact`, { name: 'Someone Else', email: 'nope@' });
  assert.equal(bad.status, 400);
  assert.equal((await agentView(id)).contact.name, 'Paolo Neri');
  // Another visitor's conversation is not theirs.
  const other = await newVisitor(server.url);
  assert.equal((await post(other, `/api/v1/widget/conversations/${id}/contact`, { name: 'Mallory' })).status, 404);
});

test('an address that is another contact\'s is not taken over; agents get a note', async () => {
  const first = await newVisitor(server.url);
  const email = `owner.${uuid().slice(0, 8)}@example.com`;
  assert.equal((await first.startChat({ name: 'Owner', email, message: '' })).status, 201);
  const { v, id } = await progressiveChat();
  const r = await post(v, `/api/v1/widget/conversations/${id}/contact`, { name: 'Claimer', email });
  assert.equal(r.status, 200, r.text);
  const seen = await agentView(id);
  assert.equal(seen.contact.name, 'Claimer');
  assert.notEqual(seen.contact.email, email);
  const events = (await admin.call(`/api/v1/conversations/${id}/events?after=0`)).json.events;
  assert.ok(events.some((e) => e.kind === 'note' && e.body.includes(email)), JSON.stringify(events));
});

// ---------------------------------------------------------------- 3. call-back windows

test('call-back slots are one-hour windows inside the hours, in the inbox\'s zone, ahead of now', async () => {
  const inbox = await newInbox();
  const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' }));
  const tz = 'Pacific/Auckland';  // far from UTC: its day starts 12-13 hours earlier
  assert.equal((await patchInbox(inbox.id, { timezone: tz, business_hours: { weekly: weekdays } })).status, 200);
  const now = Date.now();
  const r = await slotsOf(inbox.public_key);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.timezone, tz);
  assert.equal(typeof r.json.open_now, 'boolean');
  const { slots } = r.json;
  assert.ok(slots.length >= 8 && slots.length <= 60, `${slots.length} slots`);
  for (const [i, s] of slots.entries()) {
    assert.ok(Number.isInteger(s.from) && Number.isInteger(s.to), JSON.stringify(s));
    assert.equal(s.to - s.from, 3600e3);
    assert.ok(s.to >= now + 30 * 60e3 - 5000, 'ends at least 30 min from now');
    assert.ok(s.from < now + 7 * 86400e3, 'within 7 days');
    if (i) assert.ok(s.from >= slots[i - 1].to, 'in order, no overlap');
    const from = local(s.from, tz), to = local(s.to, tz);
    assert.ok(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'].includes(from.weekday), from.weekday);
    assert.ok(from.minute >= 9 * 60 && to.minute <= 17 * 60 && from.minute % 60 === 0, JSON.stringify({ from, to }));
  }
  // Always open: 08:00-20:00 in its zone.
  assert.equal((await patchInbox(inbox.id, { timezone: 'America/New_York', business_hours: { weekly: [] } })).status, 200);
  const open = (await slotsOf(inbox.public_key)).json;
  assert.equal(open.timezone, 'America/New_York');
  assert.ok(open.slots.length > 0 && open.slots.length <= 60);
  for (const s of open.slots) {
    const from = local(s.from, 'America/New_York');
    assert.ok(from.minute >= 8 * 60 && from.minute < 20 * 60, JSON.stringify(from));
  }
  assert.equal((await slotsOf('no-such-key')).status, 404);
});

test('a call-back window must be ahead and inside the inbox\'s hours', async () => {
  const inbox = await newInbox();
  const all = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '09:00', close: '17:00' }));
  assert.equal((await patchInbox(inbox.id, { timezone: 'Europe/Rome', business_hours: { weekly: all } })).status, 200);
  const { slots } = (await slotsOf(inbox.public_key)).json;
  const v = await newVisitor(server.url, inbox.public_key);
  const callback = (from, to) => v.startChat({ kind: 'callback', phone: '+39 333 123 4567', window_from: from, window_to: to, message: '' });
  const past = await callback(Date.now() - 3 * 3600e3, Date.now() - 2 * 3600e3);
  assert.equal(past.status, 400);
  assert.equal(past.json.error.message, 'the call-back window has already passed');
  const last = slots.at(-1);  // 16:00-17:00 Rome: an hour later it is closed
  const outside = await callback(last.to, last.to + 3600e3);
  assert.equal(outside.status, 400);
  assert.equal(outside.json.error.message, 'the call-back window is outside our opening hours');
  const straddling = await callback(last.from + 1800e3, last.to + 1800e3);
  assert.equal(straddling.status, 400);
  assert.equal((await v.call('/api/v1/widget/conversations')).json.conversations.length, 0, 'nothing created');
  const ok = await callback(slots[0].from, slots[0].to);
  assert.equal(ok.status, 201, ok.text);
  assert.deepEqual(ok.json.meta.callback, { phone: '+39 333 123 4567', window_from: slots[0].from, window_to: slots[0].to });
  // No window: "as soon as possible" is still allowed.
  assert.equal((await callback(undefined, undefined)).status, 201);
});

// ---------------------------------------------------------------- 4. current page

test('the visitor\'s current page is kept in meta and sent live to the agents', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  const ws = admin.ws();
  await ws.opened;
  await ws.next((f) => f.type === 'hello');
  const path = `/api/v1/widget/conversations/${conv.id}/page`;
  // Refused ones cost nothing of the rate.
  for (const body of [{ url: 'javascript:alert(1)' }, { url: 'ftp://shop.example/x' }, { url: 'https://x/' + 'a'.repeat(2000) },
    { url: 'https://shop.example/', title: 'x'.repeat(301) }, { title: 'no url' }, { url: 42 }]) {
    const r = await post(v, path, body);
    assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80) + ' ' + r.text);
  }
  await triaged(server.url);  // the bot's greeting is a change of its own
  const versionBefore = (await agentView(conv.id)).version;
  const r = await post(v, path, { url: 'https://shop.example/p/42?c=red', title: 'Red shoes' });
  assert.equal(r.status, 204, r.text);
  const frame = await ws.next((f) => f.type === 'visitor_page');
  assert.equal(frame.conversation_id, conv.id);
  assert.equal(frame.url, 'https://shop.example/p/42?c=red');
  assert.equal(frame.title, 'Red shoes');
  assert.ok(Math.abs(frame.at - Date.now()) < 60e3);
  const seen = await agentView(conv.id);
  assert.deepEqual(seen.meta.current_page, { url: frame.url, title: frame.title, at: frame.at });
  assert.equal(seen.meta.page_url, 'http://shop.example/cart', 'where the chat started stays');
  assert.equal(seen.version, versionBefore, 'a heartbeat is no conversation change');
  // One per 5 s per conversation.
  const again = await post(v, path, { url: 'https://shop.example/p/43' });
  assert.equal(again.status, 429, again.text);
  assert.equal(again.json.error.code, 'rate_limited');
  assert.ok(Number(again.headers.get('retry-after')) >= 1);
  assert.equal((await agentView(conv.id)).meta.current_page.url, frame.url);
  // Another visitor's conversation.
  const other = await newVisitor(server.url);
  assert.equal((await post(other, path, { url: 'https://evil.example/' })).status, 404);
  ws.close();
});

test('the demo shop greets in the visitor\'s language and lets them write first', async () => {
  const { widget, topics } = (await config('demo')).inbox;
  assert.equal(widget.prechat_mode, 'progressive');
  for (const lang of ['it', 'ru', 'hu', 'pl']) {
    const tr = widget.translations[lang];
    assert.ok(tr.greeting && tr.greeting !== widget.greeting, `${lang} greeting`);
    assert.deepEqual(Object.keys(tr.topics).sort(), [...topics].sort(), `${lang} topic labels`);
  }
  assert.match(widget.translations.it.greeting, /aiutarLa/);  // formal, as the bot
});
