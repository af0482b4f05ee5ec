import type { ClusterModel } from './cluster/cluster-model.js';
import type { Finding } from './finding.js';
import type { ManifestResource } from './manifest/resource.js';
import { buildRuleContext, notePod, scheduledPod, type StaticPodFile, type ValidateManifestsOptions } from './rules/context.js';
import { RULES } from './rules/index.js';
import type { InputRule, PodRule, Rule } from './rules/rule.js';

export type { StaticPodFile, ValidateManifestsOptions };

const POD_RULES = RULES.filter((r): r is Rule & PodRule => r.scope === 'pod');
const INPUT_RULES = RULES.filter((r): r is Rule & InputRule => r.scope === 'input');

/**
 * Runs every k8sm rule over parsed manifests against a cluster model. Pure and synchronous: no I/O,
 * never throws on malformed objects (structural errors are the schema check's job). Findings carry
 * `path` (absolute inside the document) and `docIndex`; the loader turns them into line/column and
 * sorts them.
 *
 * - `opts.static`: every Pod in `resources` is a static pod (scheduler --static-pods-config).
 * - `opts.staticPodFiles`: the files of a --static-pods-config folder, one entry per file; their
 *   objects may also be in `resources` (they are then not checked as scheduled pods).
 *
 * Two passes: the first collects Services and static pods; the second streams every pod template
 * through the pod rules and keeps only the pods a Service may select; then the input rules run.
 */
export function validateManifests(
  resources: ReadonlyArray<ManifestResource>,
  model: ClusterModel,
  opts: ValidateManifestsOptions = {},
): Finding[] {
  const ctx = buildRuleContext(resources, model, opts);
  const out: Finding[] = [];
  for (const r of resources) {
    const pod = scheduledPod(ctx, r, opts);
    if (pod === undefined) continue;
    for (const rule of POD_RULES) rule.check(ctx, pod, out);
    notePod(ctx, pod);
  }
  for (const rule of INPUT_RULES) rule.check(ctx, out);
  return out;
}
