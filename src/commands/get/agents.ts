import * as Args from '@oclif/core/args';
import { BaseCommand } from '../../lib/base-command.js';
import { mesosFlags, objectOutputFlags } from '../../lib/flags/mesos-flags.js';
import type { IOStreams } from '../../lib/io.js';

export default class GetAgents extends BaseCommand {
  static override summary = 'List the Mesos agents as k8sm sees them: sizes, port ranges used and free, k8sm executors.';

  static override description = `One row per agent: CPUs and memory used/total, offered ports used/total and free, whether a k8sm executor (Kubelet-Executor) runs there and how many k8sm tasks, and the agent attributes that k8sm turns into k8s.mesosphere.io/attribute-<name> node labels.

The table reads the leading master only (one request). -o wide, json and yaml also ask every agent for its own state, concurrently (one request per agent): an agent that does not answer is shown as unreachable, a warning is printed, and the exit status is 1.

'k8smctl get agents -o json > agents.json' saves a snapshot that 'k8smctl validate --cluster-snapshot agents.json' checks manifests against offline.`;

  static override examples = [
    { description: 'List the agents of the cluster in $MESOS_MASTER:', command: '<%= config.bin %> get agents' },
    {
      description: 'Free port ranges and shutdown grace periods, asking every agent:',
      command: '<%= config.bin %> get agents -o wide --mesos-master zk://zk1:2181,zk2:2181/mesos',
    },
    { description: 'Save a snapshot for offline validation:', command: '<%= config.bin %> get agents -o json > agents.json' },
  ];

  static override args = {
    // Names come from the arguments only: oclif would otherwise read a piped stdin as the name.
    name: Args.string({ description: 'Agent hostnames, hostname:port names or ids to show (default: all).', required: false, ignoreStdin: true }),
  };

  static override strict = false;

  static override flags = { ...objectOutputFlags, ...mesosFlags };

  static override loadOptions = async (io: IOStreams) => new (await import('../../cmd/get/agents.js')).GetAgentsOptions(io);
}
