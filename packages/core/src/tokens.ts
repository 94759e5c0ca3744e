/**
 * tsyringe tokens for the composition root (STYLE.md #9): symbols for interfaces, registered with
 * factories or values, never resolved from emitted decorator metadata.
 */
export const TOKENS = {
  /** The process-wide PluginRegistry holding the built-ins. */
  Registry: Symbol('anneal.Registry'),
  /** The run-scoped PluginRegistry (built-ins + the config's `plugins:`). */
  RunRegistry: Symbol('anneal.RunRegistry'),
  /** The validated ExperimentConfig of a run. */
  Config: Symbol('anneal.Config'),
  /** The Reporter that owns the terminal. */
  Reporter: Symbol('anneal.Reporter'),
} as const;
