import type { KubeLoadOptions } from '../../clients/kube/kube-client.js';
import type { MesosConnectOptions } from '../../clients/mesos/options.js';
import { diagnoseCluster } from '../../core/diagnose/cluster.js';
import type { ClusterCause, DiagnoseSettings, PodDiagnosis } from '../../core/diagnose/model.js';
import { diagnosePod } from '../../core/diagnose/pod.js';
import type { CommandOptions } from '../../lib/command.js';
import type { Factory } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';
import type { Outcome } from '../../lib/outcomes.js';
import { printCluster, printPods, type DiagnoseFormat } from '../../output/diagnose/render.js';
import { debugWriter, mesosConnectOptions, requestTimeoutMs } from '../shared/mesos.js';
import { checkNames } from '../shared/names.js';
import { gather } from './gather.js';
import { diagnoseSettingsFromFlags, type DiagnoseFlagValues } from './settings.js';

/** Cluster causes that hold the diagnosed pods back, as `diagnose pod` shows them after the pods. */
const POD_MODE_CAUSES = new Set(['framework-not-registered', 'offers-held', 'executor-id-drift', 'agent-not-answering']);

abstract class DiagnoseOptions implements CommandOptions<DiagnoseFlagValues> {
  protected factory!: Factory;
  protected mesos!: MesosConnectOptions;
  protected kube!: KubeLoadOptions;
  protected settings!: DiagnoseSettings;
  protected format: DiagnoseFormat = 'text';

  constructor(protected readonly io: IOStreams) {}

  async complete(f: Factory, args: string[], flags: DiagnoseFlagValues): Promise<void> {
    this.factory = f;
    this.format = flags.output as DiagnoseFormat;
    this.settings = diagnoseSettingsFromFlags(flags);
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
    this.completeMore(args, flags);
  }

  protected completeMore(_args: string[], _flags: DiagnoseFlagValues): void {}

  validate(): void {}

  abstract run(): Promise<Outcome>;

  protected warn(lines: ReadonlyArray<string>): void {
    for (const w of lines) this.io.err.write(`warning: ${w}\n`);
  }
}

/** `k8smctl diagnose pod [NAME...] [-n NS | -A]`: why each (stuck) pod does not run, agent by agent. */
export class DiagnosePodOptions extends DiagnoseOptions {
  private names: string[] = [];
  private allNamespaces = false;

  protected override completeMore(args: string[], flags: DiagnoseFlagValues): void {
    this.names = args;
    this.allNamespaces = flags['all-namespaces'] === true;
  }

  override validate(): void {
    checkNames(this.names, 'pod');
  }

  async run(): Promise<Outcome> {
    const g = await gather(this.factory, this.mesos, this.kube, this.io, {
      mode: 'pods',
      allNamespaces: this.allNamespaces,
      names: this.names,
      settings: this.settings,
    });
    const kubeNs = g.namespace;
    this.warn(g.warnings);
    const where = kubeNs === undefined ? 'in any namespace' : `in namespace "${kubeNs}"`;
    for (const m of g.missing) this.io.err.write(`error: pod "${m}" not found ${where}\n`);
    const named = this.names.length > 0;
    const all: PodDiagnosis[] = g.pods.map((p) => diagnosePod(p, g.snapshot, this.settings, g.now));
    const shown = named ? all : all.filter((d) => d.stuck);
    const causes: ClusterCause[] = diagnoseCluster(g.snapshot, this.settings, g.now).causes.filter((c) => POD_MODE_CAUSES.has(c.reason));
    const scope = kubeNs === undefined ? 'in any namespace' : `in namespace ${kubeNs}`;
    await printPods(this.io, shown, causes, this.format, `No stuck pods ${scope} (${g.snapshot.pods.length} pods looked at).`);
    const unanswered = causes.some((c) => c.reason === 'agent-not-answering');
    if (shown.some((d) => d.stuck)) return 'findings';
    if (g.missing.length > 0) return 'failed';
    if (unanswered) return 'partial';
    return 'ok';
  }
}

/** `k8smctl diagnose cluster`: what holds every pod back, or will. */
export class DiagnoseClusterOptions extends DiagnoseOptions {
  async run(): Promise<Outcome> {
    const g = await gather(this.factory, this.mesos, this.kube, this.io, { mode: 'cluster', allNamespaces: true, names: [], settings: this.settings });
    this.warn(g.warnings);
    const { causes } = diagnoseCluster(g.snapshot, this.settings, g.now);
    const m = g.snapshot.mesos;
    const fw = m.frameworks.find((f) => f.name === this.settings.frameworkName && !f.completed);
    const healthy = `No cause found: framework ${this.settings.frameworkName}${fw ? ` (${fw.id})` : ''} registered, ${m.agents.length} agents, ${m.tasks.filter((t) => t.frameworkId === fw?.id && t.list === 'tasks').length} k8sm tasks, ${g.snapshot.pods.length} pods.`;
    await printCluster(this.io, causes, this.format, healthy);
    return causes.some((c) => c.severity === 'error') ? 'findings' : 'ok';
  }
}
