import { isIP } from 'node:net';
import { AnnealError } from '@anneal/core';
import type { RedisOptions as BullRedisOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

/** Where a sweep's queue lives: the Redis URL (may hold a password) and a key prefix per project. */
export interface QueueTarget {
  url: string;
  /** Namespaces every key: sweeps of different projects on one Redis never see each other. */
  prefix: string;
}

export const DEFAULT_PREFIX = 'anneal';
/** One BullMQ queue per prefix; sweeps inside it are told apart by their sweep key in the job id. */
export const QUEUE_NAME = 'trials';

/** The URL as it may be shown or written: the password, if any, replaced by `***`. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '<unparseable queue URL>';
  }
}

/** The URL without its password: what a sweep directory may keep for `--resume`. */
export function withoutPassword(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString().replace(/\/$/, '');
}

export const hasPassword = (url: string) => {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
};

/** Checked before any connection: a typo gives a readable message, not a hang or a stack. */
export function checkQueueUrl(url: string, where: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AnnealError('QUEUE', `${where}: not a URL: ${JSON.stringify(redact(url))}`, {
      hint: 'write redis://host:6379, redis://user:password@host:6379/0 or rediss://host:6380 (TLS)',
    });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new AnnealError('QUEUE', `${where}: ${JSON.stringify(redact(url))} is not a redis:// or rediss:// URL`, {
      hint: 'write redis://host:6379 (or rediss://host:6380 for TLS)',
    });
  if (!u.hostname)
    throw new AnnealError('QUEUE', `${where}: ${JSON.stringify(redact(url))} names no host`, {
      hint: 'write redis://host:6379',
    });
  if (u.pathname.length > 1 && !/^\/\d+$/.test(u.pathname))
    throw new AnnealError('QUEUE', `${where}: the path of ${JSON.stringify(redact(url))} must be a database number`, {
      hint: 'write redis://host:6379/0 or leave the path out',
    });
}

/**
 * The connection BullMQ gets: ioredis options from the URL (rediss:// turns TLS on), retrying for
 * ever with a capped back-off, so a Redis restart makes us wait instead of fail. BullMQ needs
 * `maxRetriesPerRequest: null` for its blocking commands.
 */
export function connectionOptions(url: string, onRetry?: (attempt: number) => void): BullRedisOptions {
  return {
    ...redisUrlOptions(url),
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) => {
      onRetry?.(attempt);
      return Math.min(attempt * 250, 3000);
    },
  };
}

const host = (u: URL) => u.hostname.replace(/^\[(.*)\]$/, '$1');

function redisUrlOptions(url: string): RedisOptions {
  const u = new URL(url);
  return {
    host: host(u),
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    // rediss://: TLS, verified against Node's CAs plus NODE_EXTRA_CA_CERTS (a private CA, docs/distributed.md).
    // SNI names a host, never an address (RFC 6066; Node warns on one).
    ...(u.protocol === 'rediss:' ? { tls: isIP(host(u)) ? {} : { servername: host(u) } } : {}),
  };
}

/**
 * One connection attempt with a deadline, before anything is queued: an unreachable host, a wrong
 * password or a TLS mismatch becomes an AnnealError (exit 2) within seconds. Only after this
 * succeeds do the long-lived connections retry for ever.
 */
export async function probe(url: string, timeoutMs = 5000): Promise<void> {
  const shown = redact(url);
  const redis = new Redis({
    ...redisUrlOptions(url),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis rejects with a bare "Connection is closed"; the cause (ECONNREFUSED, ENOTFOUND…) comes as an event.
  let cause: Error | undefined;
  redis.on('error', (error: Error) => (cause ??= error));
  const deadline = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs).unref(),
  );
  try {
    await Promise.race([redis.connect().then(() => redis.ping()), deadline]);
  } catch (error) {
    const message = String((cause ?? (error as Error))?.message ?? error);
    const auth = /WRONGPASS|NOAUTH|invalid password|invalid username/i.test(message);
    const certificate = /certificate|self[- ]signed|altnames|SSL|TLS/i.test(message);
    throw new AnnealError('QUEUE', `cannot use the queue at ${shown}: ${auth ? 'authentication failed' : message}`, {
      hint: auth
        ? 'check the user and password in the URL (redis://user:password@host:6379); the password is never shown'
        : certificate
          ? "the server's TLS certificate is not trusted here: give the CA that signed it with NODE_EXTRA_CA_CERTS=/path/to/ca.pem (docs/distributed.md), and name the host its certificate names"
          : 'start Redis there (redis-server) or fix the host and port; for TLS use rediss://',
    });
  } finally {
    redis.disconnect();
  }
}

/** Redis itself away (as opposed to an error about one job): worth one "waiting and retrying" line. */
export const isConnectionError = (error: unknown) =>
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|EPIPE|Connection is closed|connect/i.test(
    String((error as Error)?.message ?? error),
  );
