import { definePlugin, duration, maxListedPhases } from '@anneal/core';
import type { Issue, Phase, Schedule, ScheduleContext } from '@anneal/core';
import { momentumIssues, momentumOptions } from './momentum.ts';

export const cyclicalSchedule = definePlugin({
  kind: 'schedule',
  name: 'cyclical',
  description:
    'Cyclical learning rate (Smith 2017; PyTorch CyclicLR): a triangle wave between baseLr and maxLr, optionally shrinking per cycle (triangular2) or per step (exp_range).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['baseLr', 'stepSizeUp'],
    properties: {
      baseLr: { type: 'number', minimum: 0, description: 'Lower bound of each cycle (PyTorch base_lr).' },
      maxLr: {
        type: 'number',
        minimum: 0,
        description: 'Upper bound of the first cycle (PyTorch max_lr). Defaults to optimizer.learningRate.',
      },
      stepSizeUp: duration('Time spent rising from baseLr to maxLr in each cycle (PyTorch step_size_up).', {
        minimum: 1,
      }),
      stepSizeDown: duration('Time spent falling back to baseLr (PyTorch step_size_down). Defaults to stepSizeUp.', {
        minimum: 1,
      }),
      mode: {
        enum: ['triangular', 'triangular2', 'exp_range'],
        default: 'triangular',
        description:
          "'triangular': constant amplitude; 'triangular2': amplitude halves every cycle; 'exp_range': amplitude scaled by gamma^t (PyTorch mode).",
      },
      gamma: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 1,
        description: "Per-step amplitude factor for mode 'exp_range' (PyTorch gamma).",
      },
      ...momentumOptions(0.8, 0.9),
    },
  },
  check(options, ctx: ScheduleContext): Issue[] {
    const maxLr = options.maxLr ?? ctx.base;
    const issues = momentumIssues(options.baseMomentum ?? 0.8, options.maxMomentum ?? 0.9);
    if (options.baseLr <= maxLr) return issues;
    return [
      {
        path: 'baseLr',
        message: `baseLr (${options.baseLr}) must not exceed maxLr (${maxLr}${options.maxLr === undefined ? ', from optimizer.learningRate' : ''})`,
        hint: 'lower baseLr or raise maxLr',
      },
      ...issues,
    ];
  },
  create(options, ctx: ScheduleContext): Schedule {
    const baseLr = options.baseLr;
    const maxLr = options.maxLr ?? ctx.base;
    const up = options.stepSizeUp;
    const down = options.stepSizeDown ?? up;
    const mode = options.mode ?? 'triangular';
    const gamma = options.gamma ?? 1;
    const totalSize = up + down;
    const stepRatio = up / totalSize;
    // scale_mode follows PyTorch's defaults: 'cycle' for the triangular modes, 'iterations' for exp_range.
    const scale = (cycle: number, t: number) =>
      mode === 'triangular' ? 1 : mode === 'triangular2' ? 1 / 2 ** (cycle - 1) : gamma ** t;
    /** Where t sits on the wave: PyTorch's scale_factor (0 at baseLr, 1 at maxLr) and the mode's scale. */
    const wave = (t: number) => {
      const cycle = Math.floor(1 + t / totalSize);
      const x = 1 + t / totalSize - cycle;
      const scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
      return { scaleFactor, scaled: scale(cycle, t) };
    };
    const baseM = options.baseMomentum ?? 0.8;
    const maxM = options.maxMomentum ?? 0.9;
    return {
      // Transcribes CyclicLR.get_lr, float steps included, so values agree with PyTorch to the last bit.
      at(t) {
        const { scaleFactor, scaled } = wave(t);
        const baseHeight = (maxLr - baseLr) * scaleFactor;
        return baseLr + baseHeight * scaled;
      },
      phases: cyclePhases(up, totalSize, ctx.total),
      // PyTorch: momentum = max_momentum − (max_momentum − base_momentum) · scale_factor · scale.
      ...(options.cycleMomentum
        ? {
            momentum(t: number) {
              const { scaleFactor, scaled } = wave(t);
              return maxM - (maxM - baseM) * scaleFactor * scaled;
            },
          }
        : {}),
    };
  },
});

function cyclePhases(up: number, totalSize: number, total: number): Phase[] {
  const phases: Phase[] = [];
  for (let k = 0; k * totalSize < total || k === 0; k++) {
    if (phases.length >= maxListedPhases) return [{ name: 'cycles', start: 0 }];
    phases.push({ name: `up ${k + 1}`, start: k * totalSize });
    if (k * totalSize + up < total) phases.push({ name: `down ${k + 1}`, start: k * totalSize + up });
  }
  return phases;
}
