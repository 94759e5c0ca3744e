import type { Dataset } from './types.ts';

/** What a decoded dataset depends on: its config section, the run seed, the backend holding its tensors, and where relative paths resolve. */
export interface DatasetKey {
  data: unknown;
  seed: number;
  backend: string;
  configDir: string;
}

/**
 * Keeps the last decoded dataset so that the next run with the same data section reuses it
 * (a sweep worker runs trial after trial in one process; decoding MNIST each time costs more
 * than a short trial's orchestration). One entry only: a sweep's trials almost always share
 * their data, and holding several would hold several datasets' tensors.
 */
export class DatasetCache {
  private entry: { key: string; dataset: Dataset } | undefined;

  /**
   * The dataset for `key`, made by `create` on a miss. The dataset returned is the cache's:
   * its `dispose` does nothing, so a run's clean-up cannot free tensors the next run will use.
   */
  async get(key: DatasetKey, create: () => Promise<Dataset>): Promise<Dataset> {
    const id = canonical(key);
    if (this.entry?.key !== id) {
      this.clear();
      this.entry = { key: id, dataset: await create() };
    }
    return { ...this.entry.dataset, dispose() {} };
  }

  /** Frees the cached dataset's tensors. */
  clear(): void {
    this.entry?.dataset.dispose();
    this.entry = undefined;
  }
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are the same key. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
