// Started as root, the server gives root up once its port is bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { startServer, request, freshDataDir, onPostgres, BIN, WEB_ROOT } from '../lib/server.mjs';

const asRoot = process.getuid() === 0;
const uidsOf = (pid) => readFileSync(`/proc/${pid}/status`, 'latin1').match(/^Uid:\s+(.*)$/m)[1].split(/\s+/).map(Number);

test('started as root it runs as an unprivileged user that owns a private data dir', { skip: !asRoot && 'needs root' }, async () => {
  const server = await startServer();
  try {
    const uids = uidsOf(server.proc.pid);
    assert.equal(uids.length, 4);
    for (const u of uids) assert.notEqual(u, 0, `real/effective/saved/fs uid ${uids}`);
    const st = statSync(server.dataDir);
    assert.equal(st.uid, uids[0]);
    assert.equal(st.mode & 0o777, 0o700);
    if (!onPostgres) assert.equal(statSync(`${server.dataDir}/switchboard.db`).uid, uids[0]);
    // Still does its work: writes to the database, serves the web root.
    const v = await request(server.url, '/api/v1/widget/demo/visitors', { method: 'POST', body: {} });
    assert.equal(v.status, 201);
    assert.equal((await request(server.url, '/widget.js')).status, 200);
  } finally {
    await server.stop();
  }
});

test('--user root keeps root only when asked; an unknown user stops the start', { skip: !asRoot && 'needs root' }, async () => {
  const server = await startServer({ args: ['--user', 'root'] });
  try {
    assert.equal(uidsOf(server.proc.pid)[1], 0);
  } finally {
    await server.stop();
  }
  const r = spawnSync(BIN, ['serve', '--port', '0', '--data-dir', freshDataDir(), '--web-root', WEB_ROOT, '--user', 'no-such-user-x'], { timeout: 20000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr.toString(), /no-such-user-x: no such account/);
});

test('without root it runs as the user who started it', { skip: asRoot && 'runs as root here' }, async () => {
  const server = await startServer();
  try {
    assert.equal(uidsOf(server.proc.pid)[1], process.getuid());
  } finally {
    await server.stop();
  }
});
