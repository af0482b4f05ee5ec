import type { IOStreams } from '../lib/io.js';
import { EXIT_FINDINGS, EXIT_OK } from '../lib/errors.js';
import { agentViews, selectAgents } from '../core/views/agent-view.js';
import { frameworkViews } from '../core/views/framework-view.js';
import { k8smTaskViews, BINDING_HOST_ANNOTATION, TASK_ID_ANNOTATION, type PodRef } from '../core/views/task-view.js';
import { printObjects, type ObjectFormat } from '../output/objects.js';
import { AGENT_TABLE } from '../output/cluster/agent-table.js';
import { FRAMEWORK_TABLE } from '../output/cluster/framework-table.js';
import { TASK_TABLE } from '../output/cluster/task-table.js';
import type { MesosFlagValues } from './mesos-connect.js';
import { readSnapshot, unreachableAgents } from './cluster-read.js';
import { compareStrings } from '../core/compare.js';

export interface GetOptions {
  mesos: MesosFlagValues;
  output: ObjectFormat;
  noHeaders: boolean;
  debug: boolean;
}

/** Agents' own endpoints are asked only when the output shows what they know (wide, json, yaml). */
const ASKS_AGENTS = new Set<ObjectFormat>(['wide', 'json', 'yaml']);

export async function runGetAgents(opts: GetOptions & { names: string[] }, io: IOStreams): Promise<number> {
  const snap = await readSnapshot(opts.mesos, io, {
    debug: opts.debug,
    ...(ASKS_AGENTS.has(opts.output) ? { agentDetails: 'state' as const } : {}),
    ...(opts.names.length ? { agentFilter: (a) => opts.names.includes(a.hostname) || opts.names.includes(a.id) } : {}),
  });
  const { views, missing } = selectAgents(agentViews(snap), opts.names);
  for (const m of missing) io.err.write(`error: agent "${m}" not found (known: ${snap.agents.map((a) => a.hostname).sort(compareStrings).join(', ') || 'none'})\n`);
  if (missing.length && !views.length) return EXIT_FINDINGS;
  await printObjects(views, AGENT_TABLE, opts.output, io, { noHeaders: opts.noHeaders, single: opts.names.length === 1 && views.length === 1 });
  const dead = views.filter((v) => v.reachable === false).length;
  if (dead) io.err.write(`warning: ${dead} of ${views.length} agents did not answer: their rows are partial\n`);
  return dead || missing.length ? EXIT_FINDINGS : EXIT_OK;
}

export async function runGetFrameworks(opts: GetOptions & { completed: boolean; k8smOnly: boolean }, io: IOStreams): Promise<number> {
  const snap = await readSnapshot(opts.mesos, io, { debug: opts.debug });
  const frameworks = frameworkViews(snap.frameworks, opts);
  await printObjects(frameworks, FRAMEWORK_TABLE, opts.output, io, { noHeaders: opts.noHeaders });
  return unreachableAgents(snap) ? EXIT_FINDINGS : EXIT_OK;
}

export interface GetTasksOptions extends GetOptions {
  kube: { kubeconfig?: string; context?: string };
  namespace?: string;
  allNamespaces: boolean;
  all: boolean;
}

/** k8sm tasks joined with their pods from the apiserver (by the taskId annotation, else by name). */
export async function runGetTasks(opts: GetTasksOptions, io: IOStreams): Promise<number> {
  const { loadKube } = await import('../clients/kube/kube-client.js');
  const kube = await loadKube({ ...opts.kube, ...(opts.namespace ? { namespace: opts.namespace } : {}) });
  const namespace = opts.allNamespaces ? undefined : kube.namespace;
  const [snap, pods] = await Promise.all([
    readSnapshot(opts.mesos, io, { debug: opts.debug }),
    kube.listPods(opts.allNamespaces ? { allNamespaces: true } : { namespace: kube.namespace }),
  ]);
  const refs: PodRef[] = pods.map((p) => ({
    name: p.metadata.name,
    namespace: p.metadata.namespace ?? 'default',
    ...(p.metadata.uid ? { uid: p.metadata.uid } : {}),
    ...(p.status?.phase ? { phase: p.status.phase } : {}),
    ...(p.spec.nodeName ? { nodeName: p.spec.nodeName } : {}),
    ...(p.metadata.annotations?.[TASK_ID_ANNOTATION] ? { taskId: p.metadata.annotations[TASK_ID_ANNOTATION] } : {}),
    ...(p.metadata.annotations?.[BINDING_HOST_ANNOTATION] ? { bindingHost: p.metadata.annotations[BINDING_HOST_ANNOTATION] } : {}),
  }));
  const views = k8smTaskViews(snap, refs, { ...(namespace !== undefined ? { namespace } : {}), all: opts.all });
  await printObjects(views, TASK_TABLE, opts.output, io, {
    noHeaders: opts.noHeaders,
    emptyMessage: namespace !== undefined ? `No k8sm tasks found in ${namespace} namespace.` : 'No k8sm tasks found.',
  });
  return EXIT_OK;
}
