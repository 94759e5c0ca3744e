import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killBackground, startWorker, testPrefix } from './background.ts';
import { exp, tempDir } from './exp.ts';
import { OwnRedis } from './redis.ts';

// rediss:// against a live TLS-only redis-server with a throw-away CA (openssl), and a password in
// the URL that must never show: not in output, logs, the sweep directory or the workers' files.
// The CA reaches anneal as it reaches any Node program: NODE_EXTRA_CA_CERTS.
const config = `name: tls
seed: 3
data: { name: synthetic, kind: blobs, samples: 120, classes: 3, validationSplit: 0.25 }
model: { name: mlp, hidden: [4] }
optimizer: { name: adam, learningRate: 0.05 }
train: { epochs: 2, batchSize: 32, backend: cpu }
output: { tensorboard: false, plots: false }
sweep:
  parameters:
    optimizer.learningRate: [0.05, 0.01]
  metric: val_acc
  goal: max
`;
const password = 'tls-s3cret-pw';

afterEach(killBackground);

describe('a sweep over rediss:// (TLS)', () => {
  it('runs with the CA given by NODE_EXTRA_CA_CERTS, refuses an untrusted server clearly, never shows the password', async () => {
    const dir = tempDir({ 'c.yaml': config });
    mkdirSync(join(dir, 'tls'));
    const redis = await OwnRedis.startTls(join(dir, 'tls'), ['--requirepass', password]);
    try {
      const url = `rediss://:${password}@127.0.0.1:${redis.port}`;
      const shown = `rediss://:***@127.0.0.1:${redis.port}`;

      // Without the CA the certificate is not trusted: exit 2 within seconds, saying how to fix it.
      const t0 = Date.now();
      const untrusted = await exp(['worker', url]);
      expect(untrusted.code, untrusted.stderr).toBe(2);
      expect(untrusted.stderr).toContain(`cannot use the queue at ${shown}`);
      expect(untrusted.stderr).toMatch(/certificate/);
      expect(untrusted.stderr).toMatch(/NODE_EXTRA_CA_CERTS/);
      // Plain redis:// to a TLS-only port: also an error, not a hang.
      const plain = await exp(['worker', `redis://:${password}@127.0.0.1:${redis.port}`]);
      expect(plain.code, plain.stderr).toBe(2);
      expect(Date.now() - t0).toBeLessThan(60_000);
      for (const r of [untrusted, plain]) expect(r.stdout + r.stderr).not.toContain(password);

      const env = { ...process.env, CI: '1', NODE_EXTRA_CA_CERTS: redis.ca! };
      const p = testPrefix();
      const w = startWorker(url, join(dir, 'w'), p, env);
      await w.waitFor(new RegExp(`taking trials from ${shown.replace(/[.*:/]/g, '\\$&')}`));
      const out = join(dir, 's');
      const r = await exp(['sweep', join(dir, 'c.yaml'), '--out', out, '--queue', url, '--prefix', p], {
        env: { NODE_EXTRA_CA_CERTS: redis.ca! },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`queue: ${shown}`);
      const rows = readFileSync(join(out, 'results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(rows.map((row) => row.status)).toEqual(['completed', 'completed']);
      // queue.json keeps the URL for --resume, without the password.
      expect(JSON.parse(readFileSync(join(out, 'queue.json'), 'utf8')).url).toBe(`rediss://127.0.0.1:${redis.port}`);
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(0);
      expect(w.log()).toMatch(/worker stopped/);

      expect(r.stdout + r.stderr + w.log()).not.toContain(password);
      for (const where of [out, join(dir, 'w')]) {
        expect(existsSync(where)).toBe(true);
        const grep = spawnSync('grep', ['-rl', password, where], { encoding: 'utf8' });
        // grep: status 1 is "no match" (2 would be an error, which must not pass for one).
        expect(grep.status, `files holding the password under ${where}: ${grep.stdout}`).toBe(1);
      }
    } finally {
      await redis.down();
    }
  }, 300_000);
});
