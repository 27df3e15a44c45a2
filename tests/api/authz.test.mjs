// The authorization matrix: every route the server has (from its own table,
// GET /api/v1/routes) × every kind of caller. A route added without a case here
// fails the test. For each pair it asserts the status the caller's role and
// scope allow, and that nothing of another workspace appears in the answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAgent, newVisitor, initWorkspace, request, DEMO, uuid } from '../lib/server.mjs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const SECRET = 'authz-secret-of-workspace-one';
const RANK = { anonymous: 0, visitor: 1, agent: 2, supervisor: 3, admin: 4 };

// Which caller kinds a route's access admits.
function admits(access, kind, caller = {}) {
  switch (access) {
    case 'super_admin': return !!caller.super;
    case 'public': return true;
    case 'visitor': return kind === 'visitor';
    case 'agent_or_visitor': return kind !== 'anonymous';
    case 'self': return kind !== 'visitor' && RANK[kind] >= RANK.agent;
    default: return kind !== 'visitor' && RANK[kind] >= RANK[access];
  }
}

// How to call each route: path parameters, query, body. `scoped`: the scoped
// agent (who may not see workspace one's first inbox) gets this status.
// `asCaller`: the route is about the caller's own things; nobody else's ids are in it.
function cases(f) {
  const conv = { id: f.conv };
  const json = (body) => ({ body });
  return {
    'GET /healthz': {},
    'GET /readyz': {},
    'GET /metrics': {},
    'GET /api/v1/routes': {},
    'GET /api/v1/me/sessions': { asCaller: true },
    'DELETE /api/v1/me/sessions/:id': { params: { id: '0123456789abcdef' }, asCaller: true, allowed: [404] },
    'POST /api/v1/me/sessions/sign-out-others': { asCaller: true },
    'PUT /api/v1/me/password': { ...json({ current_password: 'x', new_password: 'short' }), asCaller: true, allowed: [400] },
    'POST /api/v1/auth/login': { ...json({}), allowed: [400] },
    'POST /api/v1/auth/logout': { asCaller: true, last: true },
    'GET /api/v1/me': { asCaller: true },
    'PUT /api/v1/me/status': { ...json({ status: 'away' }), asCaller: true },
    'GET /api/v1/widget/:key/config': { params: { key: f.key } },
    'POST /api/v1/widget/:key/visitors': { params: { key: f.key }, ...json({}) },
    'GET /api/v1/widget/conversations': { asCaller: true },
    'POST /api/v1/widget/conversations': { ...json({}), allowed: [400] },
    'GET /api/v1/widget/conversations/:id/events': { params: conv },
    'POST /api/v1/widget/conversations/:id/messages': { params: conv, ...json({ client_id: uuid(), body: 'hello' }) },
    'POST /api/v1/widget/conversations/:id/transcript': { params: conv, ...json({}), allowed: [400, 404, 409, 422, 503] },
    'POST /api/v1/widget/conversations/:id/handoff': { params: conv, ...json({}) },
    'POST /api/v1/widget/conversations/:id/contact': { params: conv, ...json({ name: 'Matrix Visitor' }) },
    'POST /api/v1/widget/conversations/:id/page': { params: conv, ...json({ url: 'https://shop.example/cart', title: 'Cart' }), allowed: [429] },
    'GET /api/v1/widget/:key/callback-slots': { params: { key: f.key } },
    'POST /api/v1/widget/:key/suggestions': { params: { key: f.key }, ...json({ text: 'refund' }) },
    'POST /api/v1/widget/:key/suggestions/:id': { params: { key: f.key, id: '999999' }, ...json({ outcome: 'helped' }), allowed: [400, 404] },
    'POST /api/v1/widget/uploads': { raw: PNG, type: 'image/png', asCaller: true },
    'GET /api/v1/widget/conversations/:id/queue': { params: conv },
    'GET /api/v1/conversations': { query: '?view=all' },
    'GET /api/v1/search': { query: '?q=authz%20secret%20workspace' },
    'GET /api/v1/conversations/:id': { params: conv, scoped: 404 },
    'GET /api/v1/conversations/:id/events': { params: conv, scoped: 404 },
    'POST /api/v1/conversations/:id/messages': { params: conv, ...json({ client_id: uuid(), body: 'reply' }), scoped: 404 },
    'POST /api/v1/conversations/:id/assign': { params: conv, ...json({}), scoped: 404 },
    'POST /api/v1/conversations/:id/close': { params: { id: f.spareConv }, scoped: 404 },
    'POST /api/v1/conversations/:id/reopen': { params: { id: f.spareConv }, scoped: 404 },
    'POST /api/v1/uploads': { raw: PNG, type: 'image/png', asCaller: true },
    // Complaints: anna marks the first and withdraws it (then nothing is left for the
    // others: 404; a colleague's would be 403); the spare one is marked in setup.
    'GET /api/v1/conversations/:id/complaint': { params: conv, scoped: 404 },
    'POST /api/v1/conversations/:id/complaint': { params: conv, ...json({ category: 'delivery' }), scoped: 404 },
    'DELETE /api/v1/conversations/:id/complaint': { params: conv, ...json({ reason: 'matrix' }), scoped: 404, allowed: [403, 404] },
    'PUT /api/v1/conversations/:id/complaint/steps/:key': { params: { id: f.spareConv, key: 'thank' }, ...json({ done: true }), scoped: 404 },
    'POST /api/v1/conversations/:id/complaint/resolve': { params: { id: f.spareConv }, ...json({}), scoped: 404 },
    'POST /api/v1/conversations/:id/complaint/reopen': { params: { id: f.spareConv }, scoped: 404, allowed: [409] },
    'GET /api/v1/reports/complaints': {},
    'POST /api/v1/coach/check': { ...json({ text: "I don't know", conversation_id: f.conv }), scoped: 404 },
    'POST /api/v1/coach/feedback': { ...json({ events: [{ rule: 'bare_no', language: 'en', action: 'shown' }] }) },
    'GET /api/v1/coach/rules': {},
    'PUT /api/v1/coach/rules/:lang': { params: { lang: 'hu' }, ...json({ phrases: 'x' }), allowed: [422] },
    'DELETE /api/v1/coach/rules/:lang': { params: { lang: 'it' } },
    'GET /api/v1/coach/stats': {},
    'GET /api/v1/coach/effect': {},
    'GET /api/v1/canned': {},
    'POST /api/v1/canned': { ...json({}), allowed: [422] },
    'PATCH /api/v1/canned/:id': { params: { id: '999999' }, ...json({}), allowed: [404] },
    'DELETE /api/v1/canned/:id': { params: { id: '999999' }, allowed: [404] },
    'POST /api/v1/canned/:id/render': { params: { id: '999999' }, ...json({}), allowed: [404] },
    'POST /api/v1/canned/:id/used': { params: { id: '999999' }, ...json({ variant: 0 }), allowed: [404] },
    'POST /api/v1/canned/:id/attach': { params: { id: '999999' }, ...json({}), allowed: [404] },
    'GET /api/v1/canned/:id/effect': { params: { id: '999999' }, allowed: [404] },
    'GET /api/v1/widget/conversations/:id/rating': { params: conv },
    'POST /api/v1/widget/conversations/:id/rating': { params: conv, ...json({ score: 3 }), allowed: [409] },
    'GET /api/v1/widget/conversations/:id/survey': { params: conv },
    'POST /api/v1/widget/conversations/:id/bot-feedback': { params: conv, ...json({ question_id: 999999, helpful: true }), allowed: [404] },
    'GET /api/v1/settings/survey': {},
    'PUT /api/v1/settings/survey': { ...json({}), allowed: [422] },
    'GET /api/v1/reports/csat': {},
    'GET /api/v1/surveys': {},
    'POST /api/v1/surveys': { ...json({}), allowed: [422] },
    'PATCH /api/v1/surveys/:id': { params: { id: '999999' }, ...json({}), allowed: [404] },
    'DELETE /api/v1/surveys/:id': { params: { id: '999999' }, allowed: [404] },
    'POST /api/v1/surveys/:id/links': { params: { id: '999999' }, ...json({}), allowed: [404] },
    'GET /api/v1/public/surveys/:token': { params: { token: '0'.repeat(48) }, allowed: [404] },
    'POST /api/v1/public/surveys/:token': { params: { token: '0'.repeat(48) }, ...json({ answers: {} }), allowed: [404] },
    'POST /api/v1/widget/surveys/:token': { params: { token: '0'.repeat(48) }, ...json({ answers: {} }), allowed: [404] },
    'GET /api/v1/reports/nps': { query: '?survey_id=999999', allowed: [404] },
    'GET /api/v1/reports/summary': {},
    'GET /api/v1/reports/daily': {},
    'GET /api/v1/reports/heatmap': {},
    'GET /api/v1/reports/channels': {},
    'GET /api/v1/reports/agents': {},
    'GET /api/v1/reports/drill': { query: '?metric=all' },
    'GET /api/v1/reports/live': {},
    'GET /api/v1/scripts': {},
    'POST /api/v1/scripts': { ...json({}), allowed: [422] },
    'GET /api/v1/scripts/suggest': { query: `?conversation_id=${f.conv}`, scoped: 404 },
    'GET /api/v1/scripts/proposals': { asCaller: true },
    'POST /api/v1/scripts/proposals': { ...json({}), allowed: [422] },
    'POST /api/v1/scripts/proposals/:id/approve': { params: { id: '999999' }, ...json({}), allowed: [404] },
    'POST /api/v1/scripts/proposals/:id/reject': { params: { id: '999999' }, ...json({}), allowed: [404] },
    'PATCH /api/v1/scripts/:id': { params: { id: '999999' }, ...json({}), allowed: [404] },
    'DELETE /api/v1/scripts/:id': { params: { id: '999999' }, allowed: [404] },
    'POST /api/v1/scripts/:id/used': { params: { id: '999999' }, ...json({ variant: 1, conversation_id: f.conv }), allowed: [404] },
    'GET /api/v1/scripts/:id/effect': { params: { id: '999999' }, allowed: [404] },
    'POST /api/v1/scripts/:id/promote': { params: { id: '999999' }, ...json({ variant: 1 }), allowed: [404] },
    'GET /api/v1/agents': {},
    'POST /api/v1/agents': { ...json({}), allowed: [400] },
    'PATCH /api/v1/agents/:id': { params: { id: f.marek }, ...json({}) },
    'GET /api/v1/inboxes': {},
    'POST /api/v1/inboxes': { ...json({}), allowed: [400] },
    'PATCH /api/v1/inboxes/:id': { params: { id: f.inbox }, ...json({}) },
    'GET /api/v1/inboxes/:id/embed': { params: { id: f.inbox } },
    'GET /api/v1/inboxes/:id/email': { params: { id: f.inbox } },
    'PUT /api/v1/inboxes/:id/email': { params: { id: f.inbox }, ...json({}), allowed: [422] },
    'POST /api/v1/inboxes/:id/email/test': { params: { id: f.inbox }, ...json({}), allowed: [422, 429] },
    'GET /api/v1/inboxes/:id/email/status': { params: { id: f.inbox } },
    // f.conv is a chat: no mail (200 with none), not answered by mail (409), no HTML (404).
    'GET /api/v1/conversations/:id/mail': { params: conv, scoped: 404 },
    'POST /api/v1/conversations/:id/mail/replies': { params: conv, ...json({ client_id: uuid(), body: 'reply' }), scoped: 404, allowed: [409] },
    'POST /api/v1/conversations/:id/mail/:event/retry': { params: { id: f.conv, event: '1' }, scoped: 404, allowed: [409] },
    'GET /api/v1/conversations/:id/mail/:event/html': { params: { id: f.conv, event: '1' }, scoped: 404, allowed: [404] },
    'GET /api/v1/attachments/:id': { params: { id: f.attachment }, scoped: 404 },
    'GET /api/v1/routing': {},
    'PUT /api/v1/routing': { ...json({ skills: 'x' }), allowed: [400] },
    'PUT /api/v1/agents/:id/routing': { params: { id: f.marek }, ...json({ skills: 'x' }), allowed: [400, 404] },
    'POST /api/v1/conversations/:id/accept': { params: conv, allowed: [409], foreign: [409] },
    'POST /api/v1/conversations/:id/decline': { params: conv, allowed: [409], foreign: [409] },
    'POST /api/v1/conversations/:id/transfer': { params: conv, ...json({}), scoped: 404, allowed: [400] },
    'POST /api/v1/conversations/:id/hold': { params: conv, ...json({}), scoped: 404, allowed: [400, 409] },
    'POST /api/v1/conversations/:id/notes': { params: conv, ...json({ client_id: uuid(), body: 'whisper' }), scoped: 404 },
    'GET /api/v1/supervisor/live': {},
    'GET /api/v1/tickets': { query: '?view=all' },
    'GET /api/v1/tickets/views': {},
    'PATCH /api/v1/tickets/:id': { params: { id: f.ticket }, ...json({ priority: 'high' }), scoped: 404 },
    'POST /api/v1/tickets/bulk': { ...json({ ids: [f.ticket], changes: { add_tags: ['matrix'] } }) },
    'POST /api/v1/tickets/:id/merge': { params: { id: f.ticket }, ...json({}), scoped: 404, allowed: [422] },
    'POST /api/v1/tickets/:id/split': { params: { id: f.ticket }, ...json({}), scoped: 404, allowed: [422] },
    'POST /api/v1/conversations/:id/ticket': { params: { id: f.spareConv }, ...json({ status: 'solved' }), scoped: 404, allowed: [422] },
    'GET /api/v1/ticket-fields': {},
    'POST /api/v1/ticket-fields': { ...json({}), allowed: [422] },
    'PATCH /api/v1/ticket-fields/:id': { params: { id: '999999' }, ...json({}), allowed: [404] },
    'DELETE /api/v1/ticket-fields/:id': { params: { id: '999999' }, allowed: [404] },
    'POST /api/v1/simulate': { ...json({}), allowed: [400] },
    'GET /api/v1/kb': {},
    'POST /api/v1/kb/categories': { ...json({}), allowed: [400] },
    'DELETE /api/v1/kb/categories/:id': { params: { id: '999999' }, allowed: [404] },
    'POST /api/v1/kb/articles': { ...json({}), allowed: [400] },
    'GET /api/v1/kb/articles/:id': { params: { id: f.article } },
    'PUT /api/v1/kb/articles/:id': { params: { id: f.article }, ...json({}), allowed: [400] },
    'DELETE /api/v1/kb/articles/:id': { params: { id: '999999' }, allowed: [404] },
    'POST /api/v1/kb/intents': { ...json({}), allowed: [400] },
    'PUT /api/v1/kb/intents/:id': { params: { id: f.intent }, ...json({}), allowed: [400] },
    'DELETE /api/v1/kb/intents/:id': { params: { id: '999999' }, allowed: [404] },
    'GET /api/v1/kb/export': {},
    'POST /api/v1/kb/import': { ...json({}), allowed: [400] },
    'GET /api/v1/kb/search': { query: '?q=refund' },
    'GET /api/v1/bot': {},
    'PUT /api/v1/bot': { ...json({ enabled: 'x' }), allowed: [400] },
    'GET /api/v1/bot/unanswered': {},
    'POST /api/v1/bot/unanswered/dismiss': { ...json({}), allowed: [400] },
    'GET /api/v1/reports/self-service': {},
    'GET /api/v1/sla-policies': {},
    'POST /api/v1/sla-policies': { ...json({}), allowed: [422] },
    'GET /api/v1/sla-policies/:id': { params: { id: '999999' }, allowed: [404] },
    'PUT /api/v1/sla-policies/:id': { params: { id: '999999' }, ...json({}), allowed: [404] },
    'DELETE /api/v1/sla-policies/:id': { params: { id: '999999' }, allowed: [404] },
    'GET /api/v1/sla-settings': {},
    'PUT /api/v1/sla-settings': { ...json({ pending_close_to: 'open' }), allowed: [422] },
    'GET /api/v1/conversations/:id/sla': { params: { id: f.ticket }, scoped: 404 },
    'GET /api/v1/sla/clocks': { query: `?ids=${f.ticket}` },
    'GET /api/v1/sla/at-risk': {},
    'GET /api/v1/reports/sla': {},
    'GET /api/v1/audit': {},
    'GET /api/v1/audit/export': {},
    'POST /api/v1/me/2fa/setup': { asCaller: true },
    'POST /api/v1/me/2fa/enable': { ...json({ code: '000000' }), asCaller: true, allowed: [400] },
    'POST /api/v1/me/2fa/disable': { ...json({ password: 'x' }), asCaller: true, allowed: [409] },
    'POST /api/v1/me/2fa/recovery-codes': { ...json({ code: '123456' }), asCaller: true, allowed: [409] },
    'GET /api/v1/me/tokens': { asCaller: true },
    'POST /api/v1/me/tokens': { ...json({}), asCaller: true, allowed: [400] },
    'DELETE /api/v1/me/tokens/:id': { params: { id: '999999' }, asCaller: true, allowed: [404] },
    'GET /api/v1/admin/tokens': {},
    'DELETE /api/v1/admin/tokens/:id': { params: { id: '999999' }, allowed: [404] },
    'GET /api/v1/workspaces': {},
    'POST /api/v1/workspaces': { ...json({}), allowed: [400] },
    'GET /api/v1/admin/security': {},
    'PUT /api/v1/admin/security': { ...json({}), allowed: [400] },
    'GET /api/v1/admin/retention': {},
    'PUT /api/v1/admin/retention': { ...json({}), allowed: [400] },
    'GET /api/v1/contacts/:id/export': { params: { id: f.contact } },
    'POST /api/v1/contacts/:id/erase': { params: { id: f.spareContact } },
    'GET /api/v1/contacts': { query: '?q=' },
    'GET /api/v1/contacts/:id': { params: { id: f.contact }, scoped: 404 },
    'GET /api/v1/contacts/:id/timeline': { params: { id: f.contact }, scoped: 404 },
    'PATCH /api/v1/contacts/:id': { params: { id: f.contact }, ...json({ notes: 'matrix' }), scoped: 404 },
    'POST /api/v1/contacts/:id/merge': { params: { id: f.contact }, ...json({}), scoped: 403, allowed: [422] },
    'POST /api/v1/contacts/merges/:id/undo': { params: { id: '999999' }, scoped: 403, allowed: [404] },
    'GET /help/:ws': { params: { ws: 'demo' } },
    'GET /help/:ws/categories/:category': { params: { ws: 'demo', category: 'nope' }, allowed: [404] },
    'GET /help/:ws/articles/:article': { params: { ws: 'demo', article: 'nope' }, allowed: [404] },
    'POST /help/:ws/articles/:article/vote': { params: { ws: 'demo', article: 'nope' }, allowed: [303, 400, 404] },
    'GET /help/:ws/search': { params: { ws: 'demo' }, query: '?q=refund' },
    'GET /help/:ws/help.js': { params: { ws: 'demo' } },
    'GET /help/:ws/contact': { params: { ws: 'demo' } },
    'POST /help/:ws/contact': { params: { ws: 'demo' }, raw: 'name=&email=&message=', type: 'application/x-www-form-urlencoded', allowed: [400, 303] },
  };
}

function fill(pattern, params = {}) {
  return pattern.replace(/:([a-z]+)/g, (_, k) => {
    assert.ok(params[k] !== undefined, `${pattern}: no value for :${k}`);
    return encodeURIComponent(params[k]);
  });
}

async function call(url, caller, method, path, c) {
  const headers = { ...(caller.headers || {}) };
  let raw;
  if (c.raw !== undefined) { raw = c.raw; headers['content-type'] = c.type; }
  else if (c.body !== undefined) { raw = JSON.stringify(c.body); headers['content-type'] = 'application/json'; }
  return request(url, path + (c.query || ''), { method, headers, raw });
}

test('every route × every caller: role, scope and workspace decide, and nothing foreign leaks', async () => {
  const server = await startServer();
  try {
    const url = server.url;
    const admin = await loginAgent(url, DEMO.admin);
    // Workspace one: a second inbox, a supervisor, an agent who may see only that inbox.
    const inboxB = (await admin.call('/api/v1/inboxes', { method: 'POST', body: { name: 'Wholesale' } })).json;
    const mk = async (email, role, scope) => {
      const r = await admin.call('/api/v1/agents', { method: 'POST', body: { name: email.split('@')[0], email, password: 'matrix-pass-1', role, scope } });
      assert.equal(r.status, 201, r.text);
      return loginAgent(url, { email, password: 'matrix-pass-1' });
    };
    const supervisor = await mk('sofia@demo.switchboard.test', 'supervisor');
    const scoped = await mk('piotr@demo.switchboard.test', 'agent', { inboxes: [inboxB.id] });
    const anna = await loginAgent(url, DEMO.anna);
    const visitor = await newVisitor(url);
    const conv = (await visitor.startChat({ message: SECRET })).json;
    const spare = (await visitor.startChat({ message: 'second' })).json;
    const ticket = (await visitor.startChat({ kind: 'offline', email: 'matrix@example.com', message: 'a ticket' })).json;
    const up = await visitor.call('/api/v1/widget/uploads', { method: 'POST', raw: PNG, headers: { 'content-type': 'image/png', 'x-filename': 'receipt.png' } });
    await visitor.call(`/api/v1/widget/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'file', attachment_ids: [up.json.id] } });
    assert.equal((await admin.call(`/api/v1/conversations/${spare.id}/complaint`, { method: 'POST', body: {} })).status, 201);
    const kb = (await admin.call('/api/v1/kb')).json;
    // The widget does not show the contact record; the console does.
    const contactOf = async (id) => (await admin.call(`/api/v1/conversations/${id}`)).json.conversation.contact.id;
    const inboxes = (await admin.call('/api/v1/inboxes')).json.inboxes;
    const agents = (await admin.call('/api/v1/agents')).json.agents;
    const f = {
      conv: conv.id, spareConv: spare.id, ticket: ticket.id, key: 'demo', attachment: up.json.id,
      contact: await contactOf(conv.id), spareContact: await contactOf((await (await newVisitor(url)).startChat({ message: 'erase me' })).json.id),
      inbox: inboxes.find((i) => i.public_key === 'demo').id,
      marek: agents.find((a) => a.email === DEMO.marek.email).id,
      article: kb.articles[0].id, intent: kb.intents[0].id,
    };
    // Workspace two: its admin and one of its visitors are strangers here.
    const two = initWorkspace(server.dataDir, 'Other Co', 'boss@other.example', 'other-pass-123');
    const stranger = await loginAgent(url, { email: 'boss@other.example', password: 'other-pass-123' });
    const strangerVisitor = await newVisitor(url, two.inbox_key);

    const withSession = (a) => ({ headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } });
    const token = (await anna.call('/api/v1/me/tokens', { method: 'POST', body: { name: 'matrix', scopes: ['read', 'write'] } })).json.token;
    const callers = [
      { name: 'anonymous', kind: 'anonymous' },
      { name: 'visitor', kind: 'visitor', headers: { authorization: 'Bearer ' + visitor.token } },
      { name: 'agent', kind: 'agent', ...withSession(anna) },
      { name: 'agent by API token', kind: 'agent', token: true, headers: { authorization: 'Bearer ' + token } },
      { name: 'scoped agent', kind: 'agent', scoped: true, ...withSession(scoped) },
      { name: 'supervisor', kind: 'supervisor', ...withSession(supervisor) },
      { name: 'admin', kind: 'admin', super: true, ...withSession(admin) },
      { name: 'foreign admin', kind: 'admin', foreign: true, ...withSession(stranger) },
      { name: 'foreign visitor', kind: 'visitor', foreign: true, headers: { authorization: 'Bearer ' + strangerVisitor.token } },
    ];
    const leaks = [SECRET, DEMO.anna.email, 'sofia@demo', up.json.id];

    const routes = (await admin.call('/api/v1/routes')).json.routes;
    const table = cases(f);
    const missing = routes.map((r) => `${r.method} ${r.path}`).filter((k) => !table[k]);
    assert.deepEqual(missing, [], 'every route needs an authorization case');
    const ordered = [...routes].sort((a, b) => Number(!!table[`${a.method} ${a.path}`].last) - Number(!!table[`${b.method} ${b.path}`].last));
    let checked = 0;
    for (const r of ordered) {
      const key = `${r.method} ${r.path}`;
      const c = table[key];
      const path = fill(r.path, c.params);
      for (const caller of callers) {
        const res = await call(url, caller, r.method, path, c);
        const where = `${key} as ${caller.name}: ${res.status} ${res.text.slice(0, 200)}`;
        checked++;
        if (!admits(r.access, caller.kind, caller)) {
          assert.ok(res.status === 401 || res.status === 403, where);
          if (caller.kind === 'anonymous') assert.equal(res.status, 401, where);
          continue;
        }
        assert.ok(res.status < 500, where);
        if (caller.token && (r.path.startsWith('/api/v1/me/') || (r.access === 'self' && key !== 'GET /api/v1/me'))) {
          assert.equal(res.status, 403, `${where}: not with an API token`);
          continue;
        }
        if (caller.foreign) {
          for (const secret of leaks) assert.ok(!res.text.includes(secret), `${where}: leaks ${secret}`);
          if (r.path.includes(':id') && !c.asCaller && !r.path.startsWith('/help/'))
            assert.ok((c.foreign || [404, 400]).includes(res.status), `${where}: another workspace's id must be unknown`);
          continue;
        }
        if (caller.scoped && c.scoped) {
          assert.equal(res.status, c.scoped, `${where}: outside the agent's scope`);
          continue;
        }
        if (caller.scoped) for (const secret of [SECRET, up.json.id]) assert.ok(!res.text.includes(secret) || key.startsWith('GET /api/v1/audit'), `${where}: out-of-scope data`);
        const ok = res.status < 400 || (c.allowed || []).includes(res.status);
        assert.ok(ok, `${where}: the caller may use this route`);
      }
    }
    console.log(`authorization matrix: ${routes.length} routes x ${callers.length} callers = ${checked} requests`);
    assert.ok(routes.length >= 70);
  } finally {
    await server.stop();
  }
});

test('a scoped agent sees only their inboxes, also live; a supervisor may move a colleague\'s conversation, an agent may not', async () => {
  const server = await startServer();
  try {
    const url = server.url;
    const admin = await loginAgent(url, DEMO.admin);
    const inboxB = (await admin.call('/api/v1/inboxes', { method: 'POST', body: { name: 'Wholesale' } })).json;
    const create = (email, role, scope) => admin.call('/api/v1/agents', { method: 'POST', body: { name: email.split('@')[0], email, password: 'scope-pass-12', role, scope } });
    assert.equal((await create('bad@demo.switchboard.test', 'agent', { inboxes: [999999] })).status, 400, 'unknown inbox in a scope');
    assert.equal((await create('bad@demo.switchboard.test', 'owner')).status, 400, 'unknown role');
    assert.equal((await create('piotr@demo.switchboard.test', 'agent', { inboxes: [inboxB.id] })).status, 201);
    assert.equal((await create('sofia@demo.switchboard.test', 'supervisor')).status, 201);
    const piotr = await loginAgent(url, { email: 'piotr@demo.switchboard.test', password: 'scope-pass-12' });
    const sofia = await loginAgent(url, { email: 'sofia@demo.switchboard.test', password: 'scope-pass-12' });
    const anna = await loginAgent(url, DEMO.anna);
    const marek = await loginAgent(url, DEMO.marek);

    const socket = piotr.ws();
    await socket.opened;
    const inA = (await (await newVisitor(url)).startChat({ message: 'in the main inbox' })).json;
    const vB = await newVisitor(url, inboxB.public_key);
    const inB = (await vB.startChat({ inbox_key: inboxB.public_key, message: 'wholesale order' })).json;
    await socket.next((fr) => fr.type === 'conversation' && fr.conversation.id === inB.id);
    const list = (await piotr.call('/api/v1/conversations?view=all')).json.conversations.map((c) => c.id);
    assert.ok(list.includes(inB.id) && !list.includes(inA.id), JSON.stringify(list));
    assert.ok(!socket.frames.some((fr) => fr.type === 'conversation' && fr.conversation.id === inA.id), 'no live list updates from other inboxes');
    socket.send({ type: 'subscribe', conversation_id: inA.id });
    const refused = await socket.next((fr) => fr.type === 'error');
    assert.equal(refused.code, 'not_found');
    socket.close();
    assert.equal((await piotr.call('/api/v1/supervisor/live')).status, 403, 'agents have no live view');

    // Anna takes the chat; Marek (agent) may not take it from her, Sofia (supervisor) may.
    assert.equal((await anna.call(`/api/v1/conversations/${inA.id}/assign`, { method: 'POST', body: {} })).status, 200);
    const steal = await marek.call(`/api/v1/conversations/${inA.id}/assign`, { method: 'POST', body: {} });
    assert.equal(steal.status, 403, steal.text);
    const move = await marek.call(`/api/v1/conversations/${inA.id}/transfer`, { method: 'POST', body: { agent_id: marek.agent.id } });
    assert.equal(move.status, 403);
    const take = await sofia.call(`/api/v1/conversations/${inA.id}/transfer`, { method: 'POST', body: { agent_id: marek.agent.id } });
    assert.equal(take.status, 200, take.text);
    assert.equal(take.json.assignee.id, marek.agent.id);
    assert.equal((await sofia.call('/api/v1/supervisor/live')).status, 200);
    assert.equal((await sofia.call('/api/v1/reports/self-service')).status, 200);
    assert.equal((await sofia.call('/api/v1/agents', { method: 'POST', body: {} })).status, 403, 'supervisors do not manage agents');

    // A changed scope takes effect at once, open sockets included.
    const again = piotr.ws();
    await again.opened;
    const closed = new Promise((r) => again.socket.once('close', r));
    const widen = await admin.call(`/api/v1/agents/${piotr.agent.id}`, { method: 'PATCH', body: { scope: { inboxes: [] } } });
    assert.equal(widen.status, 200, widen.text);
    await closed;
    const all = (await piotr.call('/api/v1/conversations?view=all')).json.conversations.map((c) => c.id);
    assert.ok(all.includes(inA.id));
  } finally {
    await server.stop();
  }
});

test('one address works for two workspaces: the password picks the account, or the caller picks the workspace', async () => {
  const server = await startServer();
  try {
    const url = server.url;
    const admin = await loginAgent(url, DEMO.admin);
    const two = initWorkspace(server.dataDir, 'Client Two', 'boss@two.example', 'two-pass-123');
    const boss = await loginAgent(url, { email: 'boss@two.example', password: 'two-pass-123' });
    // The same freelancer works for both; a duplicate in one workspace is still refused.
    const add = (who, password) => who.call('/api/v1/agents', { method: 'POST', body: { name: 'Eva', email: 'eva@freelance.example', password } });
    assert.equal((await add(admin, 'eva-pass-one')).status, 201);
    const dup = await add(admin, 'eva-pass-one');
    assert.equal(dup.status, 409);
    assert.equal((await add(boss, 'eva-pass-two')).status, 201, 'the address is free in the other workspace');
    const login = (body) => request(url, '/api/v1/auth/login', { method: 'POST', body: { email: 'eva@freelance.example', ...body } });
    const one = await login({ password: 'eva-pass-one' });
    assert.equal(one.status, 200);
    assert.equal((await login({ password: 'eva-pass-two' })).json.agent.id !== one.json.agent.id, true, 'each password opens its own account');
    // Same password in both: the caller chooses.
    await boss.call('/api/v1/agents', { method: 'POST', body: { name: 'Max', email: 'max@freelance.example', password: 'same-pass-99' } });
    await admin.call('/api/v1/agents', { method: 'POST', body: { name: 'Max', email: 'max@freelance.example', password: 'same-pass-99' } });
    const both = await request(url, '/api/v1/auth/login', { method: 'POST', body: { email: 'max@freelance.example', password: 'same-pass-99' } });
    assert.equal(both.status, 409);
    assert.equal(both.json.error.code, 'choose_workspace');
    assert.deepEqual(both.json.workspaces.map((w) => w.name).sort(), ['Client Two', 'Demo Shop']);
    const picked = await request(url, '/api/v1/auth/login', { method: 'POST', body: { email: 'max@freelance.example', password: 'same-pass-99', workspace_id: two.workspace_id } });
    assert.equal(picked.status, 200);
    const me = await request(url, '/api/v1/me', { headers: { cookie: picked.headers.get('set-cookie').split(';')[0] } });
    const agents = (await boss.call('/api/v1/agents')).json.agents;
    assert.ok(agents.some((a) => a.id === me.json.agent.id), 'signed in to the workspace picked');
    const wrong = await request(url, '/api/v1/auth/login', { method: 'POST', body: { email: 'max@freelance.example', password: 'nope-nope-1' } });
    assert.equal(wrong.status, 401, 'a wrong password reveals no workspaces');
    assert.equal(wrong.json.workspaces, undefined);
  } finally {
    await server.stop();
  }
});
