#!/usr/bin/env node
// The `dse` command run from the TypeScript sources through tsx's loader, with no build step:
// for contributors and the test suite (`npm run dse -- <args>`). Worker threads then start
// from dse/worker-from-source.mjs. The published command is bin/dse.js (compiled dist/).
import { register } from 'tsx/esm/api';

register();
await import('../dse/cli.ts');
