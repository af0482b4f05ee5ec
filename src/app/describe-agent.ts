import type { IOStreams } from '../lib/io.js';
import { EXIT_FINDINGS, EXIT_OK, UserError } from '../lib/errors.js';
import { describeAgent } from '../core/views/agent-description.js';
import { findAgent } from '../core/views/agent-view.js';
import { printDescribe } from '../output/describe.js';
import { agentDescribeEntries } from '../output/cluster/agent-describe.js';
import type { MesosFlagValues } from './mesos-connect.js';
import { readSnapshot } from './cluster-read.js';

/** `k8smctl describe agent NAME...`: master state plus each named agent's own state and flags. */
export async function runDescribeAgent(opts: { mesos: MesosFlagValues; names: string[]; debug: boolean }, io: IOStreams): Promise<number> {
  const wanted = new Set(opts.names);
  const snap = await readSnapshot(opts.mesos, io, {
    debug: opts.debug,
    agentDetails: 'state',
    agentFilter: (a) => wanted.has(a.hostname) || wanted.has(a.id) || [...wanted].some((n) => a.hostname.startsWith(n)),
  });
  const docs = [];
  let partial = false;
  for (const name of opts.names) {
    const { agent, candidates } = findAgent(snap, name);
    if (!agent) {
      const known = snap.agents.map((a) => a.hostname).sort();
      throw new UserError(
        candidates.length ? `agent "${name}" is ambiguous: ${candidates.join(', ')}` : `agent "${name}" not found`,
        { hint: candidates.length ? 'give the full hostname or the agent id' : `known agents: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', ...' : ''}` },
      );
    }
    if (agent.detail && !agent.detail.reachable) partial = true;
    docs.push(agentDescribeEntries(describeAgent(snap, agent)));
  }
  printDescribe(docs, io);
  return partial ? EXIT_FINDINGS : EXIT_OK;
}
