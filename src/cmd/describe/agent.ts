import type { MesosConnectOptions } from '../../clients/mesos/options.js';
import { compareStrings } from '../../core/compare.js';
import type { AgentSnapshot } from '../../core/mesos/snapshot.js';
import { describeAgent } from '../../core/views/agent-description.js';
import { resolveAgentNames } from '../../core/views/agent-names.js';
import type { CommandOptions } from '../../lib/command.js';
import { UserError } from '../../lib/errors.js';
import type { Factory } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';
import type { Outcome } from '../../lib/outcomes.js';
import { agentDescribeEntries } from '../../output/cluster/agent-describe.js';
import { printDescribe } from '../../output/describe.js';
import { debugWriter, mesosConnectOptions, readCluster, type MesosFlags } from '../shared/mesos.js';
import { checkNames } from '../shared/names.js';

export interface DescribeAgentFlags extends MesosFlags {
  debug: boolean;
}

/** The error for a name that matches no agent, or several. */
function notFound(problem: { name: string; candidates: string[] }, agents: ReadonlyArray<AgentSnapshot>): UserError {
  if (problem.candidates.length) {
    return new UserError(`agent "${problem.name}" is ambiguous: ${problem.candidates.join(', ')}`, {
      outcome: 'failed',
      hint: 'give one of these names, or the agent id',
    });
  }
  const known = agents.map((a) => a.hostname).sort(compareStrings);
  return new UserError(`agent "${problem.name}" not found`, {
    outcome: 'failed',
    hint: `known agents: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', ...' : ''}`,
  });
}

/** `k8smctl describe agent NAME...`: master state plus each named agent's own state and flags. */
export class DescribeAgentOptions implements CommandOptions<DescribeAgentFlags> {
  private factory!: Factory;
  private mesos!: MesosConnectOptions;
  private names: string[] = [];

  constructor(private readonly io: IOStreams) {}

  async complete(f: Factory, args: string[], flags: DescribeAgentFlags): Promise<void> {
    this.factory = f;
    this.names = args;
    this.mesos = await mesosConnectOptions(flags, f.env, debugWriter(this.io, flags.debug));
  }

  validate(): void {
    checkNames(this.names, 'agent');
  }

  async run(): Promise<Outcome> {
    let ids: string[] = [];
    // Every name is resolved on the master's list before any agent is asked.
    const snap = await readCluster(this.factory, this.mesos, this.io, {
      agentDetails: 'state',
      selectAgents: (agents) => {
        const { agents: found, problems } = resolveAgentNames(agents, this.names);
        if (problems.length) throw notFound(problems[0]!, agents);
        ids = found.map((a) => a.id);
        return [...new Map(found.map((a) => [a.id, a])).values()];
      },
    });
    let partial = false;
    const docs = ids.map((id) => {
      const agent = snap.agents.find((a) => a.id === id)!;
      if (agent.detail && !agent.detail.reachable) partial = true;
      return agentDescribeEntries(describeAgent(snap, agent));
    });
    printDescribe(docs, this.io);
    return partial ? 'partial' : 'ok';
  }
}
