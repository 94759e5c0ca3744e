import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.ts';
import { csv } from './csv.ts';

const { tf } = await selectBackend('cpu');
const dir = mkdtempSync(path.join(tmpdir(), 'anneal-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx = { tf, seed: 1, configDir: dir };
const defaults = { header: true, delimiter: ',', standardize: true, validationSplit: 0.2 };

function file(name: string, text: string): string {
  writeFileSync(path.join(dir, name), text);
  return name;
}

const flowers = file(
  'flowers.csv',
  ['width, height ,species', '1,10,b', '2,20,a', '', '3,30,c', '4,40,a', '5,50,b'].join('\n') + '\n',
);

describe('csv dataset', () => {
  it('reads features and string labels, numbering classes in sorted order', async () => {
    const ds = await csv.create({ ...defaults, path: flowers, validationSplit: 0, standardize: false }, ctx);
    expect(ds.classNames).toEqual(['a', 'b', 'c']);
    expect(ds.numClasses).toBe(3);
    expect(ds.inputShape).toEqual([2]);
    const x = (await ds.train.x.array()) as number[][];
    const y = (await ds.train.y.argMax(1).array()) as number[];
    // Rows are shuffled; pair each back up by its width.
    const byWidth = new Map(x.map((r, i) => [r[0], { height: r[1], label: y[i] }]));
    expect(byWidth.get(1)).toEqual({ height: 10, label: 1 });
    expect(byWidth.get(2)).toEqual({ height: 20, label: 0 });
    expect(byWidth.get(3)).toEqual({ height: 30, label: 2 });
    ds.dispose();
  });

  it('counts data rows (not the header or blank lines) after the hold-out, as create does', async () => {
    // count() gets no context from core, so give it the absolute path.
    const absolute = path.join(dir, flowers);
    expect(csv.count!({ ...defaults, path: absolute, validationSplit: 0 })).toBe(5);
    expect(csv.count!({ ...defaults, path: absolute, validationSplit: 0.4 })).toBe(3);
    const ds = await csv.create({ ...defaults, path: flowers, validationSplit: 0.4 }, ctx);
    expect(ds.train.size).toBe(3);
    expect(ds.val!.size).toBe(2);
    ds.dispose();
  });

  it('selects label and features by name or index, with integer labels and another delimiter', async () => {
    const f = file('semi.csv', 'a;label;b;c\n1;0;5;9\n2;2;6;9\n3;1;7;9\n');
    const ds = await csv.create(
      {
        ...defaults,
        path: f,
        delimiter: ';',
        label: 'label',
        features: [3, 'a'],
        validationSplit: 0,
        standardize: false,
      },
      ctx,
    );
    expect(ds.numClasses).toBe(3);
    expect(ds.classNames).toBeUndefined();
    const x = (await ds.train.x.array()) as number[][];
    const y = (await ds.train.y.argMax(1).array()) as number[];
    const rows = x.map((r, i) => [...r, y[i]]).sort((p, q) => p[1] - q[1]);
    expect(rows).toEqual([
      [9, 1, 0],
      [9, 2, 2],
      [9, 3, 1],
    ]);
    ds.dispose();
  });

  it('reads a file without a header, label defaulting to the last column', async () => {
    const f = file('plain.csv', '1,2,x\n3,4,y\n');
    const ds = await csv.create({ ...defaults, path: f, header: false, validationSplit: 0, standardize: false }, ctx);
    expect(ds.train.size).toBe(2);
    expect(ds.classNames).toEqual(['x', 'y']);
    ds.dispose();
  });

  it('standardises with the training rows', async () => {
    const ds = await csv.create({ ...defaults, path: flowers, validationSplit: 0 }, ctx);
    const { mean, variance } = tf.moments(ds.train.x, 0);
    for (const m of await mean.data()) expect(Math.abs(m)).toBeLessThan(1e-6);
    for (const v of await variance.data()) expect(v).toBeCloseTo(1, 5);
    ds.dispose();
  });

  it('says which file is missing, with its resolved path', async () => {
    await expect(csv.create({ ...defaults, path: 'nope.csv' }, ctx)).rejects.toThrow(
      `CSV file not found: ${path.join(dir, 'nope.csv')}`,
    );
  });

  it('names an unknown column and lists the available ones', async () => {
    await expect(csv.create({ ...defaults, path: flowers, label: 'colour' }, ctx)).rejects.toThrow(
      /label names column 'colour', which does not exist; the columns are 0: width, 1: height, 2: species/,
    );
    await expect(csv.create({ ...defaults, path: flowers, features: [7] }, ctx)).rejects.toThrow(
      /features names column 7/,
    );
  });

  it('points at the line and column of a non-numeric feature', async () => {
    const f = file('bad.csv', 'w,h,c\n1,2,a\n3,oops,b\n');
    await expect(csv.create({ ...defaults, path: f }, ctx)).rejects.toThrow(
      `${path.join(dir, 'bad.csv')}:3: feature 'h' has the non-numeric value 'oops'`,
    );
  });

  it('points at a line with the wrong number of fields', async () => {
    const f = file('ragged.csv', 'w,h,c\n1,2,a\n3,4\n');
    await expect(csv.create({ ...defaults, path: f }, ctx)).rejects.toThrow(
      /ragged\.csv:3: expected 3 fields separated by ',', found 2/,
    );
  });

  it('rejects a label column with a single class', async () => {
    const f = file('one.csv', 'w,c\n1,a\n2,a\n');
    await expect(csv.create({ ...defaults, path: f }, ctx)).rejects.toThrow(/at least 2 classes/);
  });
});
