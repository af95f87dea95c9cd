// Worker-thread bootstrap: registers tsx's loader in this thread, then loads the TypeScript
// worker. (With Node 20, `--import tsx` in a worker's execArgv loads the worker file but not
// modules it imports dynamically later, such as the ILP solver backends.)
import { register } from 'tsx/esm/api';

register();
const worker = await import('./worker.ts');
export default worker.default;
