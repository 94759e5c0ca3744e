import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkQueueUrl, redact, withoutPassword } from './queue-connection.ts';
import { buildPayload, materialize, readResultFiles, writeResult } from './queue-payload.ts';

const temp = () => mkdtempSync(join(tmpdir(), 'anneal-queue-'));

describe('queue URLs', () => {
  it('never shows the password', () => {
    expect(redact('redis://user:s3cret@host:6379/2')).toBe('redis://user:***@host:6379/2');
    expect(redact('rediss://:s3cret@host:6380')).toBe('rediss://:***@host:6380');
    expect(redact('redis://host:6379')).toBe('redis://host:6379');
    expect(withoutPassword('redis://user:s3cret@host:6379')).toBe('redis://user@host:6379');
  });

  it('rejects what is not a redis URL, naming where it came from, without the password', () => {
    expect(() => checkQueueUrl('host:6379', '--queue')).toThrow(/--queue: .*not a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => checkQueueUrl('redis://:pw@host:6379/x', 'ANNEAL_QUEUE')).toThrow(/ANNEAL_QUEUE: .*database number/);
    expect(() => checkQueueUrl('redis://:pw@host:6379/x', 'ANNEAL_QUEUE')).not.toThrow(/pw/);
    expect(() => checkQueueUrl('not a url', 'sweep.queue')).toThrow(/sweep\.queue: not a URL/);
    expect(() => checkQueueUrl('rediss://user:pw@host:6380/1', '--queue')).not.toThrow();
  });
});

describe('trial payloads', () => {
  it('ship a one-file plugin as source and point the worker’s config at its copy', () => {
    const dir = temp();
    const plugin = join(dir, 'noam.ts');
    writeFileSync(plugin, "import { definePlugin } from '@anneal/core';\nexport default 1;\n");
    const helper = join(dir, 'needs-helper.ts');
    writeFileSync(helper, "import { x } from './helper.ts';\nexport default x;\n");
    const config = join(dir, 't-1.yaml');
    writeFileSync(config, `# Trial t-1\nname: n\nplugins: [${plugin}, ${helper}, some-npm-plugin]\nseed: 1\n`);
    const payload = buildPayload('key', 't-1', config);
    // Only the self-contained file travels; the others must be installed on the workers.
    expect(payload.plugins.map((p) => p.spec)).toEqual([plugin]);
    const worker = temp();
    const written = materialize(payload, worker);
    const plugins = parse(readFileSync(written, 'utf8')).plugins as string[];
    expect(plugins[0]).toMatch(new RegExp(`^${worker}/plugins/[0-9a-f]{12}/noam\\.ts$`));
    expect(readFileSync(plugins[0], 'utf8')).toBe(readFileSync(plugin, 'utf8'));
    expect(plugins.slice(1)).toEqual([helper, 'some-npm-plugin']);
  });

  it('thin a long LR trace to its shape and record host and run directory in the summary', () => {
    const run = temp();
    const rows = Array.from({ length: 12_001 }, (_, i) => `0,${i},${i / 12_000}`);
    writeFileSync(join(run, 'lr.csv'), `epoch,step,lr\n${rows.join('\n')}\n`);
    writeFileSync(join(run, 'summary.json'), JSON.stringify({ status: 'completed', pid: 42, seconds: 3 }));
    const files = readResultFiles(run);
    const kept = files['lr.csv'].trim().split('\n').slice(1);
    expect(kept.length).toBeLessThanOrEqual(5001);
    expect(kept[0]).toBe(rows[0]);
    expect(kept.at(-1)).toBe(rows.at(-1));
    const trial = join(temp(), 'trials', 't-1');
    mkdirSync(trial, { recursive: true });
    writeResult(trial, { host: 'gpu-a', runDir: run, status: 'completed', files }, 'n');
    const summary = JSON.parse(readFileSync(join(trial, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'completed', host: 'gpu-a', runDir: run, seconds: 3 });
    expect(summary.pid).toBeUndefined();
  });
});
