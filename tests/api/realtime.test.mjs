import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAgent, newVisitor, connectWs, DEMO, uuid, FLOOD_LIMITS } from '../lib/server.mjs';

let server, anna;
before(async () => {
  server = await startServer({ limits: FLOOD_LIMITS });
  anna = await loginAgent(server.url, DEMO.anna);
});
after(async () => { await server.stop(); });

const isEvent = (conv, seq) => (f) => f.type === 'event' && f.event.conversation_id === conv && f.event.seq === seq;

test('the WebSocket refuses anonymous clients and forged tokens', async () => {
  await assert.rejects(connectWs(server.url, {}).opened, /401/);
  await assert.rejects(connectWs(server.url, { token: 'v1.1.x.deadbeef' }).opened, /401/);
});

test('visitor and agent chat in real time, with typing and read receipts', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  const agentWs = anna.ws();
  const visitorWs = v.ws();
  await Promise.all([agentWs.opened, visitorWs.opened]);
  agentWs.send({ type: 'subscribe', conversation_id: conv.id, after_seq: 0 });
  visitorWs.send({ type: 'subscribe', conversation_id: conv.id, after_seq: 0 });
  await agentWs.next(isEvent(conv.id, 1));
  await visitorWs.next(isEvent(conv.id, 1));

  visitorWs.send({ type: 'typing', conversation_id: conv.id, typing: true });
  const typing = await agentWs.next((f) => f.type === 'typing');
  assert.deepEqual([typing.who, typing.typing, typing.conversation_id], ['visitor', true, conv.id]);

  const clientId = uuid();
  visitorWs.send({ type: 'send', conversation_id: conv.id, client_id: clientId, body: 'Is my parcel lost?' });
  const ack = await visitorWs.next((f) => f.type === 'ack' && f.client_id === clientId);
  assert.equal(ack.event.seq, 2);
  const got = await agentWs.next(isEvent(conv.id, 2));
  assert.equal(got.event.body, 'Is my parcel lost?');
  assert.equal(got.event.author.type, 'visitor');

  agentWs.send({ type: 'send', conversation_id: conv.id, client_id: uuid(), body: 'Let me check for you.' });
  const reply = await visitorWs.next(isEvent(conv.id, 3));
  assert.equal(reply.event.author.name, 'Anna Rossi');

  visitorWs.send({ type: 'receipt', conversation_id: conv.id, delivered_seq: 3, read_seq: 3 });
  const receipt = await agentWs.next((f) => f.type === 'receipt' && f.who === 'visitor' && f.read_seq === 3);
  assert.equal(receipt.delivered_seq, 3);
  // Receipts never go backwards, and never past the last seq.
  visitorWs.send({ type: 'receipt', conversation_id: conv.id, delivered_seq: 1, read_seq: 99 });
  await new Promise((r) => setTimeout(r, 200));
  const stored = (await anna.call(`/api/v1/conversations/${conv.id}`)).json.conversation;
  assert.equal(stored.visitor_read_seq, 3);
  assert.equal(stored.visitor_delivered_seq, 3);
  agentWs.close();
  visitorWs.close();
});

test('agents get live conversation updates for their workspace', async () => {
  const agentWs = anna.ws();
  await agentWs.opened;
  const v = await newVisitor(server.url);
  const conv = (await v.startChat({ message: 'New here' })).json;
  const update = await agentWs.next((f) => f.type === 'conversation' && f.conversation.id === conv.id);
  assert.equal(update.conversation.last_message.body, 'New here');
  agentWs.close();
});

test('a resend with the same client id is acknowledged with the same event, stored once', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  const ws = v.ws();
  await ws.opened;
  const id = uuid();
  ws.send({ type: 'send', conversation_id: conv.id, client_id: id, body: 'once' });
  ws.send({ type: 'send', conversation_id: conv.id, client_id: id, body: 'once' });
  await ws.next((f) => f.type === 'ack' && f.client_id === id);
  await new Promise((r) => setTimeout(r, 200));
  const acks = ws.frames.filter((f) => f.type === 'ack' && f.client_id === id);
  assert.equal(acks.length, 2);
  assert.equal(acks[0].event.seq, acks[1].event.seq);
  const events = (await v.call(`/api/v1/widget/conversations/${conv.id}/events`)).json.events;
  assert.equal(events.filter((e) => e.client_id === id).length, 1);
  ws.close();
});

test('resume after a disconnect delivers exactly what was missed, in order', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  let ws = v.ws();
  await ws.opened;
  ws.send({ type: 'subscribe', conversation_id: conv.id, after_seq: 0 });
  await ws.next(isEvent(conv.id, 1));
  ws.close();
  // Meanwhile both sides write (the visitor through REST, as the widget's outbox does).
  for (let i = 0; i < 5; i++) {
    await anna.call(`/api/v1/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'agent ' + i } });
    await v.call(`/api/v1/widget/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'visitor ' + i } });
  }
  ws = v.ws();
  await ws.opened;
  ws.send({ type: 'subscribe', conversation_id: conv.id, after_seq: 1 });
  await ws.next(isEvent(conv.id, 11));
  const seqs = ws.frames.filter((f) => f.type === 'event').map((f) => f.event.seq);
  assert.deepEqual(seqs, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  ws.close();
});

test('events committed during catch-up are neither lost nor repeated', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  for (let i = 0; i < 300; i++)
    await v.call(`/api/v1/widget/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'm' + i } });
  const ws = anna.ws();
  await ws.opened;
  ws.send({ type: 'subscribe', conversation_id: conv.id, after_seq: 0 });
  const writers = [];
  for (let i = 0; i < 50; i++)
    writers.push(anna.call(`/api/v1/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'live' + i } }));
  await Promise.all(writers);
  await ws.next(isEvent(conv.id, 351), 10000);
  const seqs = ws.frames.filter((f) => f.type === 'event' && f.event.conversation_id === conv.id).map((f) => f.event.seq);
  assert.deepEqual(seqs, Array.from({ length: 351 }, (_, i) => i + 1));
  ws.close();
});

test('a visitor cannot subscribe to someone else\'s conversation', async () => {
  const a = await newVisitor(server.url);
  const b = await newVisitor(server.url);
  const conv = (await a.startChat()).json;
  const ws = b.ws();
  await ws.opened;
  ws.send({ type: 'subscribe', conversation_id: conv.id, after_seq: 0 });
  const err = await ws.next((f) => f.type === 'error');
  assert.equal(err.code, 'not_found');
  ws.send({ type: 'send', conversation_id: conv.id, client_id: uuid(), body: 'intrude' });
  await ws.next((f) => f.type === 'error' && f.client_id);
  assert.equal(ws.frames.filter((f) => f.type === 'event').length, 0);
  ws.send('not json at all');
  ws.socket.send('{oops');
  await ws.next((f) => f.type === 'error' && f.code === 'invalid_json');
  ws.close();
});
