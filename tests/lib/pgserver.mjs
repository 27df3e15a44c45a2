// A throwaway PostgreSQL server (tests/pg/pgserver.sh: initdb in a temporary
// directory, a unix socket there, no TCP) for node tests, e.g. a switchboard
// process started with --database. startPgServer() returns the script's JSON
// plus url(database), createDatabase() and stop(); if the test process dies
// first, the script's watchdog removes the server.
import { execFile, execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'pg', 'pgserver.sh');
let counter = 0;

// `durable`: commits wait for their WAL write, so a crash of the server
// (restart()) loses nothing acknowledged; otherwise faster, asynchronous commits.
export function startPgServer({ durable = false } = {}) {
  let out;
  try {
    out = execFileSync(SCRIPT, ['start', '--owner', String(process.pid), ...(durable ? ['--durable'] : [])], {
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
  // A crash and a start again after `downSeconds`, same socket, same data;
  // resolves once it is back (the event loop keeps running meanwhile).
  server.restart = (downSeconds = 0) => new Promise((resolve, reject) =>
    execFile(SCRIPT, ['restart', server.dir, String(downSeconds)], (e) => (e ? reject(e) : resolve())));
  return server;
}
