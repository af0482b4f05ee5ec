import { compareStrings } from '../compare.js';
import type { FrameworkSnapshot } from '../mesos/snapshot.js';

/** `get frameworks`: registered frameworks first (completed ones only when asked), by name then id. */
export function frameworkViews(frameworks: ReadonlyArray<FrameworkSnapshot>, opts: { completed: boolean; k8smOnly: boolean }): FrameworkSnapshot[] {
  return frameworks
    .filter((f) => (opts.completed || !f.completed) && (!opts.k8smOnly || f.isK8sm))
    .sort((a, b) => Number(a.completed) - Number(b.completed) || compareStrings(a.name, b.name) || compareStrings(a.id, b.id));
}
