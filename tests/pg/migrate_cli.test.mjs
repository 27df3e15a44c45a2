// `switchboard migrate --database postgresql://…` on a throwaway PostgreSQL:
// it creates the schema, a second run changes nothing, a newer database or a
// bad URL is refused with a message; `migrate --data-dir` still makes SQLite.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPgServer } from '../lib/pgserver.mjs';

const BIN = process.env.SWITCHBOARD_BIN;
let pg;

before(() => {
  assert.ok(BIN, 'SWITCHBOARD_BIN names the binary');
  pg = startPgServer();
});
after(() => pg?.stop());

function switchboard(...args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('migrate creates the schema on PostgreSQL, and again changes nothing', () => {
  const db = pg.createDatabase();
  const first = switchboard('migrate', '--database', pg.url(db));
  assert.equal(first.code, 0, first.err);
  const version = Number(/schema (\d+)/.exec(first.out)?.[1]);
  assert.ok(version >= 20, first.out);
  assert.equal(pg.psql(db, 'SELECT max(version) FROM schema_migration'), String(version));
  const tables = pg.psql(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
  assert.ok(Number(tables) > 30, `${tables} tables`);
  // The rows the store writes fit: a workspace, and JSON checked on the way in.
  pg.psql(db, "INSERT INTO workspace (name, created_at, slug) VALUES ('Acme', 0, 'acme')");
  assert.throws(
    () => pg.psql(db, "INSERT INTO workspace_routing (workspace_id, settings) VALUES (1, 'not json')"),
    /invalid input syntax for type json/,
  );

  const again = switchboard('migrate', '--database', pg.url(db));
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, new RegExp(`schema ${version}\\b`));
  assert.equal(pg.psql(db, 'SELECT count(*) FROM schema_migration'), String(version));
  assert.equal(pg.psql(db, 'SELECT count(*) FROM workspace'), '1');
});

test('a database a newer binary migrated is refused, and left as it is', () => {
  const db = pg.createDatabase();
  assert.equal(switchboard('migrate', '--database', pg.url(db)).code, 0);
  pg.psql(db, 'INSERT INTO schema_migration (version, applied_at) VALUES (999, 0)');
  const r = switchboard('migrate', '--database', pg.url(db));
  assert.equal(r.code, 1);
  assert.match(r.err, /schema 999, newer than this binary's \d+/);
  assert.equal(pg.psql(db, 'SELECT max(version) FROM schema_migration'), '999');
});

test('a bad --database is a clear error', () => {
  const missing = switchboard('migrate', '--database', pg.url('no_such_database'));
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no_such_database/);

  const notPostgres = switchboard('migrate', '--database', 'mysql://localhost/x');
  assert.equal(notPostgres.code, 1);
  assert.match(notPostgres.err, /--database needs a postgresql:\/\/ URL/);
  assert.ok(!existsSync('mysql:'), 'no SQLite file was made of the URL');

  // Commands that read the SQLite file say so rather than ignore the URL.
  const backup = switchboard('backup', '--database', pg.url('postgres'), '--to', '/tmp/never.db');
  assert.equal(backup.code, 1);
  assert.match(backup.err, /--database works with serve, init and migrate/);

  const noValue = switchboard('migrate', '--database');
  assert.equal(noValue.code, 1);
  assert.match(noValue.err, /--database needs a value/);
  const empty = switchboard('migrate', '--database', '');
  assert.equal(empty.code, 1);
  assert.match(empty.err, /--database needs a postgresql:\/\/ URL/);
});

test('migrate with a data directory still makes the SQLite database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-migrate-'));
  try {
    const r = switchboard('migrate', '--data-dir', dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'database is up to date\n');
    assert.ok(existsSync(join(dir, 'switchboard.db')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
