import { packageBuild } from '../../tsdown.base.ts';

// main: the `exp` bin; sweep-worker: the process each local sweep trial runs in (forked by path).
export default packageBuild(['src/index.ts', 'src/main.ts', 'src/sweep-worker.ts']);
