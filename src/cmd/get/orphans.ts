import type { MesosConnectOptions } from '../../clients/mesos/options.js';
import type { CommandOptions } from '../../lib/command.js';
import type { Factory } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';
import type { Outcome } from '../../lib/outcomes.js';
import { printReport, unreadableAgentCount, type UnreadableAgent } from '../../output/orphans/render.js';
import { countOf } from '../../output/text.js';
import { debugWriter, mesosConnectOptions, type MesosFlags } from '../shared/mesos.js';
import { objectOutput, type ObjectOutput, type ObjectOutputFlags } from '../shared/object-output.js';
import { dockerSettings, kubeOptions, scanOrphans, type DockerFlags, type DockerSettings, type OrphanScan } from '../shared/orphans.js';

export interface GetOrphansFlags extends MesosFlags, ObjectOutputFlags, DockerFlags {
  debug: boolean;
  kubeconfig?: string;
  context?: string;
}

/** Engines and agents that could not be read, as the reports list them. */
export function unreadableOf(scan: OrphanScan): UnreadableAgent[] {
  const out: UnreadableAgent[] = [];
  for (const e of scan.engines) {
    if (e.error) out.push({ agent: e.hostname, agentId: e.agentId, ...(e.endpoint ? { endpoint: e.endpoint.url } : {}), what: 'engine', error: e.error });
  }
  for (const r of scan.readings.values()) {
    if (!r.detail.reachable) out.push({ agent: r.hostname, agentId: r.id, what: 'agent-state', error: r.detail.error ?? 'no answer' });
  }
  return out;
}

/** The closing warning when agents could not be checked (counted once each, whatever failed on them); '' when none. */
export function uncheckedWarning(unreadable: ReadonlyArray<UnreadableAgent>): string {
  const n = unreadableAgentCount(unreadable);
  return n ? `${countOf(n, 'agent')} could not be checked (see the warnings): orphans there are not known` : '';
}

/** No engine of the scanned agents could be read: nothing was checked, so nothing is known to be absent. */
export function noEngineRead(scan: OrphanScan): boolean {
  return scan.engines.length > 0 && scan.engines.every((e) => e.error !== undefined);
}

/** Said instead of "none found" when no engine could be read. */
export const NO_ENGINE_READ = "No agent's Docker engine could be read: orphans unknown (see the warnings above)";

/** Warning lines: partial readings first, then each unreadable engine (its containers are unknown). */
export function warnScan(io: IOStreams, scan: OrphanScan): void {
  for (const w of scan.warnings) io.err.write(`warning: ${w}\n`);
  for (const e of scan.engines) {
    if (e.error) io.err.write(`warning: agent ${e.hostname}: Docker engine unreadable, its containers are not checked: ${e.error}\n`);
  }
}

/** `k8smctl get orphans`. */
export class GetOrphansOptions implements CommandOptions<GetOrphansFlags> {
  private factory!: Factory;
  private mesos!: MesosConnectOptions;
  private docker!: DockerSettings;
  private output!: ObjectOutput;
  private flags!: GetOrphansFlags;
  private debug: ((line: string) => void) | undefined;

  constructor(private readonly io: IOStreams) {}

  async complete(f: Factory, _args: string[], flags: GetOrphansFlags): Promise<void> {
    this.factory = f;
    this.flags = flags;
    this.output = objectOutput(flags);
    this.debug = debugWriter(this.io, flags.debug);
    this.mesos = await mesosConnectOptions(flags, f.env, this.debug);
    this.docker = await dockerSettings(flags, f.env);
  }

  validate(): void {}

  async run(): Promise<Outcome> {
    const mesos = await this.factory.mesos(this.mesos);
    let scan: OrphanScan;
    try {
      scan = await scanOrphans(this.factory, mesos, this.io, {
        agentNames: this.flags.agent ?? [],
        docker: this.docker,
        kube: kubeOptions(this.flags, this.debug),
        kubeExplicit: Boolean(this.flags.kubeconfig || this.flags.context),
        ...(this.debug ? { debug: this.debug } : {}),
      });
    } finally {
      mesos.close();
    }
    warnScan(this.io, scan);
    const unreadable = unreadableOf(scan);
    await printReport(
      {
        classified: scan.classified,
        unreadable,
        leftovers: scan.leftovers,
        now: this.factory.clock.now() / 1000,
        hostnames: new Map(scan.snapshot.agents.map((a) => [a.id, a.hostname])),
        ...(noEngineRead(scan) ? { emptyMessage: `${NO_ENGINE_READ}.` } : {}),
      },
      this.output.format,
      this.io,
      this.output.noHeaders,
    );
    const unchecked = uncheckedWarning(unreadable);
    if (unchecked) this.io.err.write(`warning: ${unchecked}\n`);
    const orphans = scan.classified.filter((c) => c.class === 'orphan').length;
    if (orphans)
      this.io.err.write(
        `${countOf(orphans, 'orphaned container')}: 'k8smctl delete orphans' stops and removes ${orphans === 1 ? 'it' : 'them'} after showing the plan\n`,
      );
    if (orphans) return 'findings';
    return unreadable.length ? 'partial' : 'ok';
  }
}
