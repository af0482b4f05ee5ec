import type { KubeLoadOptions } from '../../clients/kube/kube-client.js';
import type { KubePod } from '../../clients/kube/types.js';
import type { MesosConnectOptions } from '../../clients/mesos/options.js';
import { ANNOTATION } from '../../core/k8sm/keys.js';
import { k8smTaskViews, type PodRef } from '../../core/views/task-view.js';
import type { CommandOptions } from '../../lib/command.js';
import type { Factory } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';
import type { Outcome } from '../../lib/outcomes.js';
import { TASK_TABLE } from '../../output/cluster/task-table.js';
import { printObjects } from '../../output/objects.js';
import { debugWriter, mesosConnectOptions, readCluster, requestTimeoutMs, type MesosFlags } from '../shared/mesos.js';
import { objectOutput, type ObjectOutput, type ObjectOutputFlags } from '../shared/object-output.js';
import { allReads } from '../shared/reads.js';

export interface GetTasksFlags extends MesosFlags, ObjectOutputFlags {
  debug: boolean;
  all: boolean;
  namespace?: string;
  'all-namespaces': boolean;
  kubeconfig?: string;
  context?: string;
}

/** What a task is joined on: the pod's name, namespace, phase, node and k8sm annotations. */
function podRef(p: KubePod): PodRef {
  return {
    name: p.metadata.name,
    namespace: p.metadata.namespace ?? 'default',
    ...(p.metadata.uid ? { uid: p.metadata.uid } : {}),
    ...(p.status?.phase ? { phase: p.status.phase } : {}),
    ...(p.spec.nodeName ? { nodeName: p.spec.nodeName } : {}),
    ...(p.metadata.annotations?.[ANNOTATION.taskId] ? { taskId: p.metadata.annotations[ANNOTATION.taskId] } : {}),
    ...(p.metadata.annotations?.[ANNOTATION.bindingHost] ? { bindingHost: p.metadata.annotations[ANNOTATION.bindingHost] } : {}),
  };
}

/** `k8smctl get tasks`: k8sm tasks joined with their pods from the apiserver (by the taskId annotation, else by name). */
export class GetTasksOptions implements CommandOptions<GetTasksFlags> {
  private factory!: Factory;
  private mesos!: MesosConnectOptions;
  private kube!: KubeLoadOptions;
  private output!: ObjectOutput;
  private allNamespaces = false;
  private all = false;

  constructor(private readonly io: IOStreams) {}

  async complete(f: Factory, _args: string[], flags: GetTasksFlags): Promise<void> {
    this.factory = f;
    this.output = objectOutput(flags);
    this.allNamespaces = flags['all-namespaces'];
    this.all = flags.all;
    const debug = debugWriter(this.io, flags.debug);
    this.kube = {
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context ? { context: flags.context } : {}),
      ...(flags.namespace ? { namespace: flags.namespace } : {}),
      // --request-timeout bounds the apiserver's requests too, as kubectl's does.
      requestTimeoutMs: requestTimeoutMs(flags['request-timeout']),
      ...(debug ? { debug } : {}),
    };
    this.mesos = await mesosConnectOptions(flags, f.env, debug);
  }

  /** -A wins over -n, as with kubectl. */
  validate(): void {}

  async run(): Promise<Outcome> {
    const kube = await this.factory.kube(this.kube);
    try {
      const namespace = this.allNamespaces ? undefined : kube.namespace;
      // Both read to the end: when the master and the apiserver both fail, both are reported.
      const [snap, pods] = await allReads(this.io, [
        readCluster(this.factory, this.mesos, this.io),
        kube.listPods(this.allNamespaces ? { allNamespaces: true } : { namespace: kube.namespace }),
      ] as const);
      const views = k8smTaskViews(snap, pods.map(podRef), { ...(namespace !== undefined ? { namespace } : {}), all: this.all });
      await printObjects(views, TASK_TABLE, this.output.format, this.io, {
        noHeaders: this.output.noHeaders,
        emptyMessage: namespace !== undefined ? `No k8sm tasks found in ${namespace} namespace.` : 'No k8sm tasks found.',
      });
      return 'ok';
    } finally {
      kube.close();
    }
  }
}
