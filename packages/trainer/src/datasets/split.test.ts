import { describe, expect, it } from 'vitest';
import { splitSizes } from './split.ts';

describe('splitSizes', () => {
  it('keeps round(n × split) for validation, at least one and never all', () => {
    expect(splitSizes(150, 0.2)).toEqual({ train: 120, val: 30 });
    expect(splitSizes(10, 0.01)).toEqual({ train: 9, val: 1 });
    expect(splitSizes(10, 0.99)).toEqual({ train: 1, val: 9 });
    expect(splitSizes(10, 0)).toEqual({ train: 10, val: 0 });
  });

  it('sizes an empty or one-row table as it is: nothing invented, nothing negative', () => {
    expect(splitSizes(0, 0.2)).toEqual({ train: 0, val: 0 });
    expect(splitSizes(1, 0.2)).toEqual({ train: 1, val: 0 });
  });
});
