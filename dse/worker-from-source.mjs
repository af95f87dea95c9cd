// Worker-thread bootstrap when running from the TypeScript sources (see dse/package-layout.ts):
// registers tsx's loader in this thread, then loads the TypeScript worker. (With Node 20,
// `--import tsx` in a worker's execArgv loads the worker file but not modules it imports
// dynamically later, such as the ILP solver backends.) The compiled package starts workers
// from dist/dse/worker.js directly.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./worker.ts');
export default worker.default;
