// A throwaway PostgreSQL server (tests/pg/pgserver.sh: initdb in a temporary
// directory, a unix socket there, no TCP) for node tests, e.g. a switchboard
// process started with --database. startPgServer() returns the script's JSON
// plus url(database), createDatabase() and stop(); if the test process dies
// first, the script's watchdog removes the server.
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'pg', 'pgserver.sh');
let counter = 0;

export function startPgServer() {
  let out;
  try {
    out = execFileSync(SCRIPT, ['start', '--owner', String(process.pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    throw new Error('the PostgreSQL test server did not start:\n' + (e.stderr || e.message));
  }
  const server = JSON.parse(out);
  server.url = (database) =>
    `postgresql://${server.user}@/${database}?host=${encodeURIComponent(server.socket_dir)}&port=${server.port}`;
  // psql from the Debian package runs the SQL; the name is ours, so no quoting is needed.
  server.psql = (database, sql) =>
    execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', server.url(database), '-c', sql], {
      encoding: 'utf8',
    }).trim();
  server.createDatabase = () => {
    const name = `t_${process.pid}_${++counter}`;
    server.psql('postgres', `CREATE DATABASE ${name} TEMPLATE template0`);
    return name;
  };
  server.stop = () => execFileSync(SCRIPT, ['stop', server.dir], { stdio: 'ignore' });
  return server;
}
