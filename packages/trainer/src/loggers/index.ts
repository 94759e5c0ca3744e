import type { ExperimentConfig, RunPlan } from '@anneal/core';
import type { EpochRow, TrainerHooks } from '../hooks.ts';

/** What a logger is made from: the run directory, the config, the plan and the rows so far (on resume). */
export interface LoggerContext {
  dir: string;
  config: ExperimentConfig;
  plan: RunPlan;
  rows: EpochRow[];
}

/**
 * Makes one logger for a run, or none (a logger the config turns off). The composition root
 * registers the built-in ones under TOKENS.Loggers; a program embedding anneal adds its own
 * (an extra sink, a fake) by registering a longer list in its child container.
 */
export type LoggerFactory = (run: LoggerContext) => Promise<TrainerHooks | undefined>;

// Each imports its implementation when a run makes it, so registering them loads nothing heavy
// (the light commands never load tfjs, vega or protobufjs).
export const metricsLogger: LoggerFactory = async ({ dir, rows, plan }) =>
  new (await import('./metrics.ts')).MetricsLogger(dir, rows, plan.schedule.momentum !== undefined);

export const tensorboardLogger: LoggerFactory = async ({ dir, config }) =>
  config.output.tensorboard ? new (await import('./tensorboard.ts')).TensorBoardLogger(dir) : undefined;

export const plotsLogger: LoggerFactory = async ({ dir, config, plan }) =>
  config.output.plots ? new (await import('./plots.ts')).PlotsLogger(dir, plan.unit, plan.schedule) : undefined;

/** The run directory's files: metrics.jsonl/.csv and lr.csv, TensorBoard events, plots. */
export const builtinLoggers: LoggerFactory[] = [metricsLogger, tensorboardLogger, plotsLogger];
