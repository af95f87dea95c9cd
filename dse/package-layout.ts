import { fileURLToPath } from 'node:url';

/**
 * Where accel-dse's own files are, whether this code runs from the TypeScript sources (a
 * checkout, through tsx: `dse/x.ts`) or from the compiled package (`dist/dse/x.js`, which is
 * one folder deeper). Only this module knows the two layouts.
 */

/** True when running the .ts sources through tsx (contributors, the test suite). */
export const runningFromSource = import.meta.url.endsWith('.ts');

/** The package's root folder (the one holding package.json), as a file: URL ending in '/'. */
export const packageRootUrl = new URL(runningFromSource ? '../' : '../../', import.meta.url);

/** Path of a file in the package, e.g. packageFile('package.json'). */
export function packageFile(relative: string): string {
  return fileURLToPath(new URL(relative, packageRootUrl));
}

/**
 * The module a worker thread starts from. Compiled: the plain-JavaScript worker. From source:
 * a bootstrap that registers tsx's loader in the thread first (with Node 20, `--import tsx` in
 * a worker's execArgv loads the worker file but not modules it imports dynamically later, such
 * as the ILP solver backends).
 */
export const workerModuleUrl = new URL(runningFromSource ? './worker-from-source.mjs' : './worker.js', import.meta.url).href;

/**
 * The script that runs the `dse` command the same way as this process: bin/dse.js (the
 * compiled program) or, from source, bin/dse-dev.js (the sources through tsx).
 */
export function dseBinPath(): string {
  return packageFile(runningFromSource ? 'bin/dse-dev.js' : 'bin/dse.js');
}
