import type { MesosConnectOptions } from '../../clients/mesos/options.js';
import { compareStrings } from '../../core/compare.js';
import { agentHasName } from '../../core/views/agent-names.js';
import { agentViews, selectAgents } from '../../core/views/agent-view.js';
import type { CommandOptions } from '../../lib/command.js';
import type { Factory } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';
import type { Outcome } from '../../lib/outcomes.js';
import { AGENT_TABLE } from '../../output/cluster/agent-table.js';
import { printObjects, type ObjectFormat } from '../../output/objects.js';
import { debugWriter, mesosConnectOptions, readCluster, type MesosFlags } from '../shared/mesos.js';
import { objectOutput, type ObjectOutput, type ObjectOutputFlags } from '../shared/object-output.js';
import { checkNames } from '../shared/names.js';

export interface GetAgentsFlags extends MesosFlags, ObjectOutputFlags {
  debug: boolean;
}

/** Agents' own endpoints are asked only when the output shows what they know (wide, json, yaml). */
const ASKS_AGENTS = new Set<ObjectFormat>(['wide', 'json', 'yaml']);

/** `k8smctl get agents [NAME...]`. */
export class GetAgentsOptions implements CommandOptions<GetAgentsFlags> {
  private factory!: Factory;
  private mesos!: MesosConnectOptions;
  private output!: ObjectOutput;
  private names: string[] = [];

  constructor(private readonly io: IOStreams) {}

  async complete(f: Factory, args: string[], flags: GetAgentsFlags): Promise<void> {
    this.factory = f;
    this.names = args;
    this.output = objectOutput(flags);
    this.mesos = await mesosConnectOptions(flags, f.env, debugWriter(this.io, flags.debug));
  }

  validate(): void {
    checkNames(this.names, 'agent');
  }

  async run(): Promise<Outcome> {
    const { io, names } = this;
    const snap = await readCluster(this.factory, this.mesos, io, {
      ...(ASKS_AGENTS.has(this.output.format) ? { agentDetails: 'state' as const } : {}),
      ...(names.length ? { agentFilter: (a) => names.some((n) => agentHasName(a, n)) } : {}),
    });
    const { views, missing } = selectAgents(agentViews(snap), names);
    const known =
      snap.agents
        .map((a) => a.hostname)
        .sort(compareStrings)
        .join(', ') || 'none';
    for (const m of missing) io.err.write(`error: agent "${m}" not found (known: ${known})\n`);
    if (missing.length && !views.length) return 'failed';
    await printObjects(views, AGENT_TABLE, this.output.format, io, { noHeaders: this.output.noHeaders, single: names.length === 1 && views.length === 1 });
    const dead = views.filter((v) => v.reachable === false).length;
    if (dead) io.err.write(`warning: ${dead} of ${views.length} agents did not answer: their rows are partial\n`);
    if (missing.length) return 'failed';
    return dead ? 'partial' : 'ok';
  }
}
