import type { ClusterModel } from './cluster/cluster-model.js';
import type { Finding } from './finding.js';
import type { ManifestResource } from './manifest/resource.js';
import { buildRuleContext, type StaticPodFile, type ValidateManifestsOptions } from './rules/context.js';
import { RULES } from './rules/index.js';

export type { StaticPodFile, ValidateManifestsOptions };

/**
 * Runs every k8sm rule over parsed manifests against a cluster model. Pure and synchronous: no I/O,
 * never throws on malformed objects (structural errors are the schema check's job). Findings carry
 * `path` (absolute inside the document) and `docIndex`; the loader turns them into line/column.
 *
 * - `opts.static`: every Pod in `resources` is a static pod (scheduler --static-pods-config).
 * - `opts.staticPodFiles`: the files of a --static-pods-config folder, one entry per file; their
 *   objects may also be in `resources` (they are then not checked as scheduled pods).
 */
export function validateManifests(
  resources: ReadonlyArray<ManifestResource>,
  model: ClusterModel,
  opts: ValidateManifestsOptions = {},
): Finding[] {
  const ctx = buildRuleContext(resources, model, opts);
  const out: Finding[] = [];
  for (const rule of RULES) rule.check(ctx, out);
  return out;
}
