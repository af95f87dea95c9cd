import { readDataFile } from '../core/data-file.ts';
import { architectureTableFiles } from '../models/arch/architecture-file.ts';
import { isWorkloadFile, workloadHash } from '../models/workload/load-workload.ts';
import type { Workload } from '../models/types.ts';
import { problemHash } from '../results/problem-hash.ts';
import type { StudyArchitecture } from './study-architecture.ts';
import type { StudySpec } from './study-schema.ts';

/**
 * The problem hash of a loaded study (results/problem-hash.ts), the same wherever its files
 * live. A normalised study names its workload and architecture files by absolute path, so
 * hashing it as it is would make a baseline committed in one clone a "different problem" in
 * every other clone or CI checkout. Instead each file enters the hash by what accel-dse reads
 * from it:
 * - a workload file: the layer graph it gives with the study's params (workloadHash), so
 *   editing a layer changes the problem, while comments, formatting or line endings do not;
 * - an architecture (file or inline): its `architecture:` data with the energy/area tables it
 *   names replaced by their data, since every design's architecture is rebuilt from exactly
 *   these.
 * Zoo workloads stay as named (their graphs are fixed by the accel-dse version, which is
 * hashed too), so studies without files keep the hashes they had.
 *
 * `loaded` holds the study's workloads, loaded, in study order.
 */
export function studyProblemHash(spec: StudySpec, loaded: readonly Workload[], architecture: StudyArchitecture | undefined, toolVersion: string): string {
  const problem = {
    ...spec,
    workloads: spec.workloads.map((w, i) => (isWorkloadFile(w.name) ? { ...w, name: undefined, graph: workloadHash(loaded[i]!) } : w)),
    architecture: architecture === undefined ? undefined : architectureContent(architecture),
  };
  return problemHash(problem, toolVersion);
}

function architectureContent(sa: StudyArchitecture): unknown {
  const tables = architectureTableFiles(sa.data, sa.file).map((t) => readDataFile(t));
  return { ...sa.data.architecture, tables: tables.length > 0 ? tables : undefined };
}
