import { packageBuild } from '../../tsdown.base.ts';

// yaml and fastest-levenshtein are bundled in: every command loads core, and one file loads much
// faster than the dozens a CommonJS package is made of (start-up, docs/benchmarks.md). ajv stays
// a dependency, required only when a schema has no validator compiled ahead of time.
export default packageBuild(['src/index.ts'], {
  deps: { alwaysBundle: ['yaml', 'fastest-levenshtein'], onlyBundle: ['yaml', 'fastest-levenshtein'] },
});
