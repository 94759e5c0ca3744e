import { describe, expect, it } from 'vitest';
import { Monitor } from './monitor.ts';
import { PlateauModifier } from './plateau.ts';

const plateau = (o: Partial<ConstructorParameters<typeof PlateauModifier>[0]> = {}) =>
  new PlateauModifier({
    monitor: 'val_loss',
    mode: 'auto',
    factor: 0.5,
    patience: 2,
    minDelta: 0,
    cooldown: 0,
    minLr: 0,
    ...o,
  });

describe('Monitor (Keras improvement rules)', () => {
  it('treats accuracy as larger-is-better and losses as smaller-is-better under auto', () => {
    expect(new Monitor('val_acc').better).toBe('max');
    expect(new Monitor('loss').better).toBe('min');
    expect(new Monitor('loss', 'max').better).toBe('max');
  });

  it('needs to beat the best by more than minDelta, and ignores missing values', () => {
    const m = new Monitor('val_loss', 'auto', 0.1);
    expect(m.update(1, 0)).toBe(true);
    expect(m.update(0.95, 1)).toBe(false);
    expect(m.update(0.85, 2)).toBe(true);
    expect(m.update(null, 3)).toBe(false);
    expect(m.update(Number.NaN, 4)).toBe(false);
    expect([m.best, m.bestEpoch]).toEqual([0.85, 2]);
  });
});

describe('reduce on plateau (a modifier of the schedule)', () => {
  it('halves the rate after `patience` epochs without improvement, then waits again', () => {
    const p = plateau();
    const values = [1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8];
    const reduced = values.map((v, epoch) => p.epochEnd(v, epoch, 0.1 * p.factor));
    // Keras: wait counts epochs without improvement; at wait ≥ patience the rate drops and wait resets.
    expect(reduced).toEqual([false, false, false, true, false, true, false]);
    expect(p.factor).toBe(0.25);
    expect(p.apply(0.2)).toBeCloseTo(0.05, 15);
  });

  it('honours cooldown and never goes below minLr', () => {
    const p = plateau({ cooldown: 2, minLr: 0.03, patience: 1 });
    const reduced = [1, 1, 1, 1, 1, 1].map((v, epoch) => p.epochEnd(v, epoch, 0.1 * p.factor));
    // Traced by hand through Keras's on_epoch_end: reduce at 1; cooldown covers 2; counter hits 0 at 3,
    // where wait restarts and reaches patience: reduce again; at 5 the rate (0.025) is already ≤ minLr.
    expect(reduced).toEqual([false, true, false, true, false, false]);
    expect(p.apply(0.1)).toBe(0.03);
    // A schedule already below the floor is left alone.
    expect(p.apply(0.01)).toBe(0.01);
  });

  it('saves and restores its state for resumed runs', () => {
    const p = plateau();
    [1, 1, 1].forEach((v, e) => p.epochEnd(v, e, 0.1));
    const q = plateau();
    q.restore(p.state());
    expect(q.state()).toEqual(p.state());
    expect(q.apply(1)).toBe(p.apply(1));
  });
});
