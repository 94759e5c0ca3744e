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
  /** The logger factories that write a run directory (trainer's LoggerFactory[]); add one to log elsewhere. */
  Loggers: Symbol('anneal.Loggers'),
  /** The function that picks and starts the tfjs backend (trainer's BackendSelector). */
  Backend: Symbol('anneal.Backend'),
  /** The sweep launchers by kind (`local`, `queue`): a sweep picks one; tests register fakes. */
  Launchers: Symbol('anneal.Launchers'),
} as const;
