import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { AnnealError } from '@anneal/core';
import type { Row } from '../spec.ts';

/** What a report or a comparison reads from one run directory (docs/run-directory.md). */
export interface RunData {
  dir: string;
  /** The config's `name` (or the directory's name when the config is missing). */
  name: string;
  /** config.yaml as written: the fully resolved experiment. */
  config: Record<string, unknown>;
  /** config.yaml's text, shown as written (comments included). */
  configText: string;
  summary: RunSummaryData | null;
  /** metrics.jsonl: one row an epoch, `epoch` from 0. */
  metrics: Row[];
  /** lr.csv (per-step rates) when the schedule ran per step. */
  lrSteps: number[] | null;
}

/** The part of summary.json a report shows. */
export interface RunSummaryData {
  status?: string;
  message?: string;
  seed?: number;
  epochs?: number;
  steps?: number;
  seconds?: number;
  samplesPerSecond?: number;
  backend?: string;
  best?: { monitor: string; value: number; epoch: number } | null;
  startedAt?: string;
  versions?: Record<string, string>;
}

const readJsonl = (file: string): Row[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Row];
          } catch {
            return []; // a line cut by a killed process: the rows before it still count
          }
        })
    : [];

export function isRunDir(dir: string): boolean {
  return existsSync(join(dir, 'metrics.jsonl')) || existsSync(join(dir, 'summary.json'));
}

export function isSweepDir(dir: string): boolean {
  return existsSync(join(dir, 'sweep.json'));
}

/** Reads a run directory; one that holds neither metrics.jsonl nor summary.json is a usage error. */
export function readRun(dir: string): RunData {
  const abs = resolve(dir);
  if (!isRunDir(abs))
    throw new AnnealError('USAGE', `${dir} is not a run directory (no metrics.jsonl or summary.json)`, {
      hint: 'pass directories written by `exp run` or the trials/<id> directories of a sweep',
    });
  const configFile = join(abs, 'config.yaml');
  const configText = existsSync(configFile) ? readFileSync(configFile, 'utf8') : '';
  const config = (configText ? parse(configText) : {}) as Record<string, unknown>;
  let summary: RunSummaryData | null = null;
  try {
    summary = JSON.parse(readFileSync(join(abs, 'summary.json'), 'utf8'));
  } catch {
    // no summary yet (a run still starting): metrics alone still draw
  }
  const lrFile = join(abs, 'lr.csv');
  const lrSteps = existsSync(lrFile)
    ? readFileSync(lrFile, 'utf8')
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => Number(l.split(',')[2]))
    : null;
  return {
    dir: abs,
    name: typeof config.name === 'string' ? config.name : basename(abs),
    config,
    configText,
    summary,
    metrics: readJsonl(join(abs, 'metrics.jsonl')),
    lrSteps,
  };
}

/** A sweep directory's trial directories, in trial order. */
export function sweepTrialDirs(dir: string): string[] {
  const trials = join(dir, 'trials');
  return existsSync(trials)
    ? readdirSync(trials)
        .sort()
        .map((id) => join(trials, id))
        .filter(isRunDir)
    : [];
}
