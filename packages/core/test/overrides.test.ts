import { describe, expect, it } from 'vitest';
import { type AnnealError, applyOverrides, parseOverride, parseYaml } from '../src/index.ts';

const layer = () =>
  parseYaml('schedule:\n  name: ramp\n  warmup: 2\nmodel:\n  name: mlp\n  hidden: [128, 64]\nseed: 3\n', 'c.yaml');
const apply = (...args: string[]) => applyOverrides(layer(), args.map(parseOverride)).data as Record<string, any>;
const failure = (...args: string[]) => {
  try {
    apply(...args);
  } catch (error) {
    return error as AnnealError;
  }
  throw new Error(`expected ${args.join(' ')} to be refused`);
};

describe('removing keys with ~', () => {
  it('removes an existing key, nested or in a list', () => {
    expect(apply('~schedule.warmup').schedule).toEqual({ name: 'ramp' });
    expect(apply('~model.hidden.0').model.hidden).toEqual([64]);
  });

  it('refuses a path that does not exist instead of removing a neighbour', () => {
    const e = failure('~schedule.nothere.warmup');
    expect(e.code).toBe('OVERRIDE_PATH');
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/no key `schedule\.nothere`/);
    const kept = layer();
    expect((kept.data as any).schedule.warmup).toBe(2);
  });

  it('suggests the key that was probably meant', () => {
    const e = failure('~schedule.wramup');
    expect(e.code).toBe('OVERRIDE_PATH');
    expect(e.hint).toMatch(/did you mean `schedule\.warmup`/);
    expect(failure('~sed').hint).toMatch(/did you mean `seed`/);
  });
});

describe('list indexes', () => {
  it('sets an item or appends one', () => {
    expect(apply('model.hidden.1=3').model.hidden).toEqual([128, 3]);
    expect(apply('model.hidden.2=3').model.hidden).toEqual([128, 64, 3]);
  });

  it('refuses an index past the end, and a huge one, quickly and with a clear error', () => {
    expect(failure('model.hidden.5=3')).toMatchObject({ code: 'OVERRIDE_PATH' });
    expect(failure('model.hidden.5=3').message).toMatch(/index 5 is past the end of `model\.hidden` \(2 items\)/);
    expect(failure('model.hidden.1000000=3')).toMatchObject({ code: 'CONFIG_LIMIT' });
    // Past 2³²−2 an array "index" is a plain property, silently lost before this check.
    expect(failure('model.hidden.4294967296=3')).toMatchObject({ code: 'CONFIG_LIMIT' });
    expect(failure('model.hidden.x=3').message).toMatch(/is a list/);
  });
});

describe('prototype keys', () => {
  for (const arg of ['__proto__.polluted=1', 'model.__proto__.polluted=1', 'constructor.prototype.polluted=1']) {
    it(`refuses ${arg} and leaves Object.prototype alone`, () => {
      expect(failure(arg)).toMatchObject({ code: 'OVERRIDE_PATH' });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('refuses them inside a value too', () => {
    expect(failure('model={__proto__: {polluted: 1}}')).toMatchObject({ code: 'OVERRIDE_PATH' });
    expect(failure('~__proto__')).toMatchObject({ code: 'OVERRIDE_PATH' });
  });
});
