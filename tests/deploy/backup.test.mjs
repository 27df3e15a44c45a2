// `switchboard backup` while the server writes: the copy is one consistent
// moment, opens, holds every message acknowledged before it began, and a server
// started on it (the restore procedure of docs/DEPLOY.md) serves that data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer, newVisitor, uuid, freshDataDir, BIN, FLOOD_LIMITS } from '../lib/server.mjs';

const run = promisify(execFile);
const sql = (file, query) => execFileSync('sqlite3', [file, query]).toString().trim();

test('a backup taken while the server writes opens, has the data, and restores', async () => {
  const server = await startServer({ limits: FLOOD_LIMITS });
  const out = freshDataDir();
  const restored = freshDataDir();
  let writing = true;
  try {
    const visitors = await Promise.all(Array.from({ length: 4 }, () => newVisitor(server.url)));
    const convs = await Promise.all(visitors.map(async (v) => (await v.startChat()).json));
    const acked = convs.map(() => []);  // [client_id, acknowledged at]
    const writers = convs.map(async (c, i) => {
      while (writing) {
        const id = uuid();
        const r = await visitors[i].call(`/api/v1/widget/conversations/${c.id}/messages`, {
          method: 'POST', body: { client_id: id, body: 'during the backup ' + id } });
        if (r.status === 201) acked[i].push([id, Date.now()]);
      }
    });
    await new Promise((r) => setTimeout(r, 500));

    const file = join(out, 'switchboard-backup.db');
    const started = Date.now();
    const { stdout } = await run(BIN, ['backup', '--data-dir', server.dataDir, '--to', file]);
    const report = JSON.parse(stdout.trim().split('\n').pop());
    const writtenDuring = acked.reduce((n, a) => n + a.filter(([, at]) => at > started).length, 0);
    writing = false;
    await Promise.all(writers);

    assert.equal(report.backup, file);
    assert.ok(report.bytes > 0 && report.pages > 0 && report.schema_version > 0, stdout);
    assert.deepEqual(report.not_included, ['files/', 'visitor-keys.json', 'mailbox-secret.key']);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'readable by its owner only');
    assert.ok(!existsSync(file + '.part'), 'no partial file left');
    assert.ok(!existsSync(file + '-wal'), 'one self-contained file');
    assert.equal(sql(file, 'PRAGMA integrity_check'), 'ok');
    assert.equal(sql(file, 'PRAGMA journal_mode'), 'delete');
    assert.ok(writtenDuring > 0, 'the server kept writing during the backup');

    // Every message acknowledged before the backup began is in it.
    const before = acked.flatMap((a) => a.filter(([, at]) => at < started).map(([id]) => id));
    assert.ok(before.length > 20, `traffic before the backup: ${before.length}`);
    const inBackup = new Set(sql(file, 'SELECT client_id FROM event WHERE client_id IS NOT NULL').split('\n'));
    for (const id of before) assert.ok(inBackup.has(id), `acknowledged ${id} is in the backup`);

    // Restore: the backup as the database of a new data directory, with the key ring beside it.
    mkdirSync(restored, { recursive: true });
    copyFileSync(file, join(restored, 'switchboard.db'));
    copyFileSync(join(server.dataDir, 'visitor-keys.json'), join(restored, 'visitor-keys.json'));
    const second = await startServer({ dataDir: restored, demo: false });
    try {
      const events = (await visitors[0].call(`/api/v1/widget/conversations/${convs[0].id}/events?after=0`)).json.events;
      const ids = new Set(events.map((e) => e.client_id));
      for (const [id, at] of acked[0]) if (at < started) assert.ok(ids.has(id), `${id} served after the restore`);
    } finally {
      await second.stop();
    }
  } finally {
    writing = false;
    await server.stop();
    rmSync(out, { recursive: true, force: true });
  }
});

test('backup refuses bad input with a clear message', async () => {
  const dir = freshDataDir();
  try {
    const fail = async (args, pattern) => {
      const r = await run(BIN, ['backup', ...args]).then(() => null, (e) => e);
      assert.ok(r, `backup ${args.join(' ')} should fail`);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, pattern);
    };
    await fail(['--data-dir', dir], /backup needs --to FILE/);
    await fail(['--data-dir', join(dir, 'none'), '--to', join(dir, 'b.db')], /no database at/);
    execFileSync(BIN, ['migrate', '--data-dir', dir]);
    await fail(['--data-dir', dir, '--to', join(dir, 'switchboard.db')], /must not name the live database/);
    await fail(['--data-dir', dir, '--to', dir], /names a directory/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
