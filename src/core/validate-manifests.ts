import type { ClusterModel } from './cluster/cluster-model.js';
import type { Finding } from './finding.js';
import type { ManifestResource } from './manifest/resource.js';
import { isBuiltinGroup, isCoreService } from './manifest/pod-template.js';
import { RuleContext, type StaticPodFile, type ValidateManifestsOptions } from './rules/context.js';
import { RULES } from './rules/index.js';
import type { InputRule, PodRule, Rule } from './rules/rule.js';

export type { StaticPodFile, ValidateManifestsOptions };

const POD_RULES = RULES.filter((r): r is Rule & PodRule => r.scope === 'pod');
const INPUT_RULES = RULES.filter((r): r is Rule & InputRule => r.scope === 'input');

/**
 * Runs every k8sm rule over manifests as they stream in, file by file, against a cluster model. Pure
 * and synchronous: no I/O, never throws on malformed objects (structural errors are the schema
 * check's job). Findings carry `path` (absolute inside the document) and `docIndex`; the loader turns
 * them into line/column.
 *
 * `add` runs the pod rules at once and returns their findings, so the caller can locate them while
 * the file's text is at hand and then drop the parsed documents: only Services and a compact form of
 * each running pod are kept. `finish` runs the rules that need the whole input (Services against the
 * pods they select, static pods) and returns their findings.
 *
 * With `--static` (every Pod given is a static pod) the static pods raise the executor overhead every
 * scheduled pod pays, so scheduled pods wait for `finish` (such inputs are a scheduler's small
 * static-pod folder).
 */
export class ManifestValidator {
  private readonly ctx: RuleContext;
  private readonly deferred: ManifestResource[] | undefined;
  private readonly deferredIds: Array<number | undefined> = [];

  constructor(
    model: ClusterModel,
    private readonly opts: ValidateManifestsOptions = {},
  ) {
    this.ctx = new RuleContext(model, opts);
    this.deferred = opts.static ? [] : undefined;
  }

  /**
   * One file's resources (or any batch); returns the findings of the pod rules. `ids`, when given,
   * numbers each resource's identity (API group, kind, namespace, name): the same number for every
   * definition of one object, -1 for an object without identity. Without it, identities are made
   * here.
   */
  add(resources: ReadonlyArray<ManifestResource>, ids?: ReadonlyArray<number>): Finding[] {
    const out: Finding[] = [];
    for (let i = 0; i < resources.length; i++) {
      const r = resources[i]!;
      const id = ids?.[i];
      if (isCoreService(r)) this.ctx.addService(r, id);
      else if (this.opts.static && r.kind === 'Pod' && isBuiltinGroup(r.apiVersion)) this.ctx.addStaticPod(r);
      else if (this.deferred) {
        this.deferred.push(r);
        this.deferredIds.push(id);
      } else this.checkPod(r, out, id);
    }
    return out;
  }

  /** The findings that need the whole input; call once, after the last `add`. */
  finish(): Finding[] {
    const out: Finding[] = [];
    if (this.deferred) {
      this.ctx.settleExecutor();
      for (let i = 0; i < this.deferred.length; i++) this.checkPod(this.deferred[i]!, out, this.deferredIds[i]);
      this.deferred.length = 0;
      this.deferredIds.length = 0;
    }
    for (const rule of INPUT_RULES) rule.check(this.ctx, out);
    return out;
  }

  private checkPod(r: ManifestResource, out: Finding[], id: number | undefined): void {
    for (const pod of this.ctx.scheduledPods(r)) {
      for (const rule of POD_RULES) rule.check(this.ctx, pod, out);
      this.ctx.notePod(pod, id);
    }
  }
}
