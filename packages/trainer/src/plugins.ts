import { csv } from './datasets/csv.ts';
import { iris } from './datasets/iris.ts';
import { mnist } from './datasets/mnist.ts';
import { synthetic } from './datasets/synthetic.ts';
import { cnn } from './models/cnn.ts';
import { fileModel } from './models/file.ts';
import { mlp } from './models/mlp.ts';

/**
 * The built-in plugins, as plain lists for the composition root to register (nothing registers
 * itself on import). None of these files loads tfjs: they get it as `ctx.tf` at create time.
 */
export const datasets = [mnist, iris, csv, synthetic];
export const models = [mlp, cnn, fileModel];

// The run directory's loggers, as factories for the composition root (they load their code when a run makes them).
export { builtinLoggers, metricsLogger, plotsLogger, tensorboardLogger } from './loggers/index.ts';
export type { LoggerContext, LoggerFactory } from './loggers/index.ts';
