import type { Finding } from '../finding.js';
import { asRecord } from '../json-shapes.js';
import { formatCpu, formatMem } from '../k8sm/quantity.js';
import { inputRule } from './rule.js';
import { containerPath, metadataPath, plural, podFinding, resourceFinding } from './report.js';
import { withArticle } from '../manifest/value-name.js';

export const staticPodMissingLimits = inputRule({
  id: 'static-pod-missing-limits',
  severity: 'error',
  title: 'Static pod container without cpu or memory limit',
  description:
    "k8sm requires resource limits on cpu and memory in every container of a static pod (--static-pods-config): their sum is added to the executor's resources on every agent. Older schedulers reject static pods without limits; current ones charge the default container limits instead, whatever the container really needs.",
  help: 'Set resources.limits.cpu and resources.limits.memory on every container of the static pod.',
  check(ctx, out) {
    for (const pod of ctx.staticPods) {
      const demand = pod.resources().containers;
      for (const c of pod.containers()) {
        const resources = asRecord(c.obj.resources);
        const limits = asRecord(resources?.limits);
        for (const res of ['cpu', 'memory'] as const) {
          if (limits?.[res] !== undefined && limits[res] !== null) continue;
          const path =
            limits !== undefined
              ? containerPath(pod, c.index, 'resources', 'limits')
              : resources !== undefined
                ? containerPath(pod, c.index, 'resources')
                : containerPath(pod, c.index);
          // What current schedulers charge instead: the request copied into the limit, else the default (at least k8sm's minimum).
          const v = demand.find((d) => d.index === c.index)?.[res === 'cpu' ? 'cpu' : 'mem'];
          const amount = v === undefined ? undefined : res === 'cpu' ? `${formatCpu(v.limit)} CPU` : `${formatMem(v.limit)} MB`;
          const raised = v?.clamped ? ", raised to k8sm's minimum" : '';
          const charged =
            v === undefined || amount === undefined
              ? 'the default container limit'
              : v.source === 'copied-from-request'
                ? `${amount} (its ${res} request, copied as the limit${raised})`
                : `the default ${amount}${raised ? ` (${raised.slice(2)})` : ''}`;
          out.push(
            podFinding(
              this,
              pod,
              path,
              `static pod container "${c.name}" has no ${res} limit: k8sm requires cpu and memory limits on static pods (older schedulers reject the pod; current ones charge ${charged} to the executor on every agent, whatever the container really uses). Set resources.limits.${res}.`,
              { container: c.name },
            ),
          );
        }
      }
    }
  },
});

export const staticPodFileInvalid = inputRule({
  id: 'static-pod-file-invalid',
  severity: 'error',
  title: 'Static pod file that is not exactly one Pod',
  description:
    'The k8sm scheduler reads every non-empty regular file of its --static-pods-config folder as ONE Pod (YAML or JSON): it decodes only the first document, and skips (logging an error) a file that holds no object, a List, or another kind. Whatever is not that first Pod never runs.',
  help: 'Keep exactly one Pod per file; move other pods to files of their own and remove files that hold no pod.',
  check(ctx, out) {
    for (const f of ctx.staticFiles) {
      const first = f.resources[0];
      if (f.documents === 0 || first === undefined) {
        if (f.unreadable) continue; // its read finding says why (a syntax error, not text, not an object)
        const empty: Finding = {
          rule: this.id,
          severity: this.severity,
          file: f.file,
          docIndex: 0,
          path: [],
          message: `${f.file} holds no pod: the scheduler skips an empty file and logs a decode error for one with only comments or empty documents, so no static pod comes from it. Put one Pod in it or remove it.`,
        };
        out.push(empty);
        continue;
      }
      if (first.basePath.length > 0) {
        out.push(
          resourceFinding(
            this,
            first,
            ['kind'],
            `${f.file} holds a List: the scheduler expects a single Pod object per file, logs "invalid pod" and skips the whole file. Put each Pod in a file of its own.`,
          ),
        );
        continue;
      }
      if (first.kind !== 'Pod') {
        out.push(
          resourceFinding(
            this,
            first,
            [...first.basePath, 'kind'],
            `${f.file} holds ${first.kind ? withArticle(first.kind) : 'an object without kind'}, not a Pod: the scheduler logs "invalid pod" and skips the file. A static pod file must hold one Pod.`,
          ),
        );
        continue;
      }
      for (let i = 1; i < f.resources.length; i++) {
        const extra = f.resources[i]!;
        out.push(
          resourceFinding(
            this,
            extra,
            extra.basePath,
            `${f.file} holds ${plural(f.resources.length, 'object')}: the scheduler decodes only the first document (Pod${first.name ? ` ${first.name}` : ''}) and silently ignores ${extra.kind}${extra.name ? ` ${extra.name}` : ''}. Put each static pod in a file of its own.`,
          ),
        );
      }
    }
  },
});

export const staticPodsReadOnce = inputRule({
  id: 'static-pods-read-once',
  severity: 'info',
  title: 'Static pods are read once, at scheduler start',
  description:
    'k8sm reads --static-pods-config once when the scheduler starts and ships the pods inside the executor: only executors started afterwards get changes, and since the static pods are part of the executor ID, agents still running an executor with the old set have their offers declined until it exits.',
  help: "After changing static pods restart the scheduler, then phase out the old executors (e.g. the scheduler's /debug/actions/kamikaze once they run no tasks).",
  check(ctx, out) {
    const pod = ctx.staticPods[0];
    const file = ctx.staticFiles[0];
    if (pod === undefined && file === undefined) return;
    const n = ctx.staticPods.length;
    const m = ctx.model;
    const message = `k8sm reads static pods once, when the scheduler starts, and ships them with the executor: changes reach only executors started afterwards, and a changed set changes the executor ID, so agents still running the old executor have their offers declined until it exits. ${
      n > 0
        ? `${n === 1 ? 'This static pod adds' : `These ${n} static pods add`} ${formatCpu(ctx.executor.staticCpus)} CPU / ${formatMem(ctx.executor.staticMem)} MB to every executor (on top of ${formatCpu(m.executorCpus)} CPU / ${formatMem(m.executorMem)} MB), charged on each agent's first pod.`
        : 'No valid static pod was found.'
    }`;
    if (pod !== undefined) {
      out.push(podFinding(this, pod, metadataPath(pod), message));
    } else {
      out.push({ rule: this.id, severity: this.severity, file: file!.file, docIndex: 0, path: [], message });
    }
  },
});
