import path from 'node:path';
import { AnnealError, filePath, type PluginDefinition } from '@anneal/core';
import type { Dataset, DatasetContext } from '../types.ts';
import { countRows, readTable, type Table } from './csv-table.ts';
import { splitSizes, validationSplitOption } from './split.ts';
import { tabularDataset } from './tabular.ts';

// A type list rather than anyOf: json-schema-to-ts's FromSchema gives up ("excessively deep")
// on anyOf nested in an array, and ajv's messages for a type list are shorter.
const column = { type: ['string', 'integer'], minimum: 0 } as const;

/**
 * The options, typed by hand and the plugin annotated instead of going through definePlugin:
 * inferring them from this schema pushes FromSchema past tsc's instantiation limit.
 */
export interface CsvOptions {
  path: string;
  label?: string | number;
  features?: Array<string | number>;
  header: boolean;
  delimiter: string;
  standardize: boolean;
  validationSplit: number;
}

export const csv: PluginDefinition<'dataset', CsvOptions, Promise<Dataset>, DatasetContext> = {
  kind: 'dataset',
  name: 'csv',
  description:
    'A classification table from a delimited text file: numeric feature columns and one label column (class names or integers).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: filePath('The file, relative to the config file.'),
      label: {
        ...column,
        description: 'The label column: a name from the header, or a 0-based index. Default: the last column.',
      },
      features: {
        type: 'array',
        items: column,
        minItems: 1,
        uniqueItems: true,
        description: 'Feature columns (names or 0-based indices). Default: every column but the label.',
      },
      header: { type: 'boolean', default: true, description: 'Whether the first non-blank line names the columns.' },
      delimiter: {
        type: 'string',
        minLength: 1,
        default: ',',
        description: "Field separator, e.g. ',' or ';' or '\\t'.",
      },
      standardize: {
        type: 'boolean',
        default: true,
        description: 'Scale each feature to mean 0, std 1 using training-set statistics.',
      },
      validationSplit: validationSplitOption(0.2),
    },
  },
  /**
   * A relative `path` is resolved against `ctx.configDir` (core passes it when validating)
   * and against the working directory when called without one.
   */
  count(options: CsvOptions, ctx?: { configDir: string }) {
    const file = path.resolve(ctx?.configDir ?? process.cwd(), options.path);
    return splitSizes(countRows(file, options.header), options.validationSplit).train;
  },
  hasValidation: (options: CsvOptions) => options.validationSplit > 0,
  async create(options: CsvOptions, ctx: DatasetContext): Promise<Dataset> {
    const file = path.resolve(ctx.configDir, options.path);
    const table = readTable(file, { header: options.header, delimiter: options.delimiter });
    const where = (line: number) => `${file}:${line}`;
    const labelIndex =
      options.label === undefined ? table.columns.length - 1 : findColumn(table, options.label, 'label', file);
    const featureIndices = options.features
      ? options.features.map((f) => findColumn(table, f, 'features', file))
      : table.columns.map((_, i) => i).filter((i) => i !== labelIndex);
    if (featureIndices.includes(labelIndex))
      throw dataError(`${file}: column '${table.columns[labelIndex]}' is both the label and a feature.`);
    if (featureIndices.length === 0)
      throw dataError(`${file}: no feature columns; the file has only the label column.`);

    const cols = featureIndices.length;
    const features = new Float32Array(table.rows.length * cols);
    table.rows.forEach(({ line, cells }, r) => {
      featureIndices.forEach((c, k) => {
        const text = cells[c];
        const value = text === '' ? NaN : Number(text);
        if (!Number.isFinite(value)) {
          throw dataError(`${where(line)}: feature '${table.columns[c]}' has the non-numeric value '${text}'.`);
        }
        features[r * cols + k] = value;
      });
    });
    const { labels, numClasses, classNames } = encodeLabels(
      table.rows.map((row) => row.cells[labelIndex]),
      table,
      where,
    );
    return tabularDataset(
      ctx.tf,
      { features, labels, rowLength: cols },
      {
        validationSplit: options.validationSplit,
        standardize: options.standardize,
        seed: ctx.seed,
        label: 'csv',
        numClasses,
        ...(classNames ? { classNames } : {}),
      },
    );
  },
};

function findColumn(table: Table, ref: string | number, option: string, file: string): number {
  const index = typeof ref === 'number' ? ref : table.columns.indexOf(ref);
  if (index >= 0 && index < table.columns.length) return index;
  const available = table.columns.map((name, i) => (name === String(i) ? name : `${i}: ${name}`)).join(', ');
  throw dataError(
    `${file}: ${option} names column ${typeof ref === 'number' ? ref : `'${ref}'`}, which does not exist; the columns are ${available}.`,
  );
}

/**
 * Integer labels (0, 1, 2 …) are used as class indices, so a file may leave a class absent;
 * anything else is a class name, numbered in sorted order (as scikit-learn's LabelEncoder)
 * so the numbering does not depend on row order.
 */
function encodeLabels(
  values: string[],
  table: Table,
  where: (line: number) => string,
): { labels: Int32Array; numClasses: number; classNames?: string[] } {
  const empty = values.indexOf('');
  if (empty >= 0) throw dataError(`${where(table.rows[empty].line)}: the label is empty.`);
  if (values.every((v) => /^\d+$/.test(v))) {
    const labels = Int32Array.from(values, Number);
    const numClasses = labels.reduce((a, b) => Math.max(a, b), 0) + 1;
    // A guard against numeric codes (years, IDs) mistaken for class indices.
    if (numClasses > 1000)
      throw dataError(
        `${where(table.rows[labels.indexOf(numClasses - 1)].line)}: label ${numClasses - 1} would mean ${numClasses} classes; integer labels must be class indices 0, 1, 2 …`,
      );
    if (numClasses < 2)
      throw dataError(`${where(table.rows[0].line)}: every label is 0; classification needs at least 2 classes.`);
    return { labels, numClasses };
  }
  const classNames = [...new Set(values)].sort();
  if (classNames.length < 2)
    throw dataError(
      `${where(table.rows[0].line)}: every label is '${classNames[0]}'; classification needs at least 2 classes.`,
    );
  const index = new Map(classNames.map((name, i) => [name, i]));
  return { labels: Int32Array.from(values, (v) => index.get(v)!), numClasses: classNames.length, classNames };
}

/** A problem in the file's contents: the message names the file and line; the hint says what the file must hold. */
function dataError(message: string): AnnealError {
  return new AnnealError('DATA', message, {
    hint: 'a csv dataset needs numeric feature columns and one label column with at least 2 classes (`exp plugins dataset`)',
  });
}
