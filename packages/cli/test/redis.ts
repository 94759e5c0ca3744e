import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The suite's Redis (scripts/services.sh). Missing, the test fails with how to get one; it never skips. */
export function testRedisUrl(): string {
  const url = process.env.ANNEAL_TEST_REDIS_URL;
  if (!url)
    throw new Error(
      'ANNEAL_TEST_REDIS_URL is not set: run `pnpm test`, or start redis-server and set ANNEAL_TEST_REDIS_URL=redis://127.0.0.1:PORT',
    );
  return url;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const REDIS_SERVER = '/usr/bin/redis-server';

/** A Redis of the test's own (to stop, restart or protect with a password), without persistence. */
export class OwnRedis {
  private child?: ChildProcess;
  private constructor(
    readonly port: number,
    private readonly args: string[],
    /** A TLS-only server: the CA that signed its certificate. */
    readonly ca?: string,
  ) {}

  static async start(args: string[] = []): Promise<OwnRedis> {
    if (!existsSync(REDIS_SERVER))
      throw new Error(`${REDIS_SERVER} is missing: sudo apt-get install redis-server (or run \`pnpm test\`)`);
    const redis = new OwnRedis(await freePort(), args);
    await redis.up();
    return redis;
  }

  /**
   * A Redis that speaks TLS only (no plain port), with a throw-away CA and a server certificate
   * for 127.0.0.1 and localhost made by openssl in `dir`; `ca` is the CA's file for clients.
   */
  static async startTls(dir: string, args: string[] = []): Promise<OwnRedis> {
    const ca = throwAwayCertificates(dir);
    const port = await freePort();
    const redis = new OwnRedis(
      port,
      [
        ...['--port', '0', '--tls-port', String(port), '--tls-auth-clients', 'no'],
        ...['--tls-cert-file', join(dir, 'server.pem'), '--tls-key-file', join(dir, 'server.key')],
        ...['--tls-ca-cert-file', ca],
        ...args,
      ],
      ca,
    );
    await redis.up();
    return redis;
  }

  get url(): string {
    return `${this.ca ? 'rediss' : 'redis'}://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'anneal-redis-'));
    this.child = spawn(
      REDIS_SERVER,
      [
        ...(this.ca ? [] : ['--port', String(this.port)]),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        ...this.args,
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      if (await answers(this.port, this.ca)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  async down(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise((r) => {
      child.once('exit', r);
      child.kill('SIGKILL');
    });
  }
}

function answers(port: number, ca?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const hello = () => socket.write('PING\r\n');
    const socket = ca
      ? tlsConnect({ port, host: '127.0.0.1', ca: readFileSync(ca), servername: 'localhost' }, hello)
      : createConnection({ port, host: '127.0.0.1' }, hello);
    socket.once('data', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** openssl, as a user would: a CA, and a server certificate it signs for 127.0.0.1 and localhost. */
function throwAwayCertificates(dir: string): string {
  const openssl = (...args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.error || r.status !== 0)
      throw new Error(
        `openssl ${args[0]} failed (${r.error?.message ?? r.stderr.trim()}): sudo apt-get install openssl`,
      );
  };
  const subject = (cn: string) => ['-subj', `/CN=${cn}`];
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    ...subject('anneal test CA'),
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    ...subject('localhost'),
  );
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'server.pem',
  );
  return join(dir, 'ca.pem');
}
