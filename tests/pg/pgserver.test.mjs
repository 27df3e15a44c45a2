// The test PostgreSQL server from node: it starts, takes databases, and leaves
// nothing behind when stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startPgServer } from '../lib/pgserver.mjs';

test('a throwaway PostgreSQL starts, serves its own databases, and goes', () => {
  const pg = startPgServer();
  try {
    assert.ok(existsSync(pg.dir));
    const db = pg.createDatabase();
    pg.psql(db, 'CREATE TABLE t (x bigint); INSERT INTO t VALUES (41), (1)');
    assert.equal(pg.psql(db, 'SELECT sum(x) FROM t'), '42');
    assert.equal(pg.psql('postgres', 'SHOW listen_addresses'), '');
    assert.equal(pg.psql('postgres', 'SHOW fsync'), 'off');
  } finally {
    pg.stop();
  }
  assert.ok(!existsSync(pg.dir));
});
