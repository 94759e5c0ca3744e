import { describe, expect, it } from 'vitest';
import { TorchOneCycleLR } from '@anneal/schedule-cyclical/reference';
import { exp } from './exp.ts';

// `exp schedule` previews a cycled momentum beside the rate: in the table, the terminal chart and
// `--sweep --json` (the plain `--json` is held to the PyTorch ports in schedule-json.test.ts).
const file = 'configs/schedules/one-cycle.yaml';
const short = ['train.epochs=2', 'data.trainSize=640']; // 10 steps an epoch, 20 in all

describe('exp schedule with cycleMomentum', () => {
  it('prints a momentum column and a momentum chart', async () => {
    const r = await exp(['schedule', file, ...short]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\s+0 {2}warmup {7}lr 0\.008 {2}momentum 0\.95$/m);
    expect(r.stdout).toMatch(/^\s+step {2}lr {10}momentum$/m);
    expect(r.stdout).toMatch(/^momentum:$/m);
    const without = await exp(['schedule', file, ...short, 'schedule.cycleMomentum=false']);
    expect(without.stdout).not.toMatch(/momentum/);
  }, 120_000);

  it('--sweep --json gives each trial its momentum, PyTorch’s', async () => {
    const r = await exp(['schedule', file, ...short, '--sweep', 'schedule.maxMomentum=0.95,0.99', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { trials } = JSON.parse(r.stdout) as { trials: { point: Record<string, number>; momentum: number[] }[] };
    expect(trials).toHaveLength(2);
    for (const { point, momentum } of trials) {
      const torch = new TorchOneCycleLR(0.2, 20, 0.3, 'cos', 25, 1e4, false, {
        base: 0.85,
        max: point['schedule.maxMomentum'],
      });
      expect(momentum).toHaveLength(20);
      momentum.forEach((m) => {
        torch.step();
        expect(Math.abs(m - torch.momentum)).toBeLessThanOrEqual(1e-12 * torch.momentum);
      });
    }
  }, 120_000);
});
