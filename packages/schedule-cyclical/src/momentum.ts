import type { Issue } from '@anneal/core';

/**
 * PyTorch's cycle_momentum options, shared by cyclical and one-cycle (their defaults differ:
 * CyclicLR 0.8/0.9, OneCycleLR 0.85/0.95). Off by default here, unlike PyTorch, so that choosing
 * a schedule never changes an optimizer's momentum unasked.
 */
export function momentumOptions<const B extends number, const M extends number>(base: B, max: M) {
  return {
    cycleMomentum: {
      type: 'boolean',
      default: false,
      description:
        "Move the optimizer's momentum (SGD or RMSProp momentum, Adam's beta1) inversely to the rate, between baseMomentum and maxMomentum (PyTorch cycle_momentum; its default is true).",
    },
    baseMomentum: {
      type: 'number',
      minimum: 0,
      default: base,
      description: 'Momentum where the rate peaks (PyTorch base_momentum).',
    },
    maxMomentum: {
      type: 'number',
      minimum: 0,
      default: max,
      description: 'Momentum where the rate is lowest (PyTorch max_momentum).',
    },
  } as const;
}

export function momentumIssues(base: number, max: number): Issue[] {
  if (base <= max) return [];
  return [
    {
      path: 'baseMomentum',
      message: `baseMomentum (${base}) must not exceed maxMomentum (${max})`,
      hint: 'the momentum is lowest where the rate is highest: lower baseMomentum or raise maxMomentum',
    },
  ];
}
