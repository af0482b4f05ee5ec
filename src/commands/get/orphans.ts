import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import { agentFilterFlag, dockerFlags } from '../../lib/flags/docker-flags.js';
import { kubeFlags, mesosFlags } from '../../lib/flags/mesos-flags.js';
import type { IOStreams } from '../../lib/io.js';

export default class GetOrphans extends BaseCommand {
  static override summary = "List every kubelet container on the agents' Docker engines, classified orphan, live or unproven, with the proof.";

  static override description = `A k8sm executor killed by its agent before it stopped its pods (the agent waits only executor_shutdown_grace_period, 5s by default, the executor needs up to 15s) leaves their Docker containers running outside Mesos' accounting, holding host ports and memory. This command finds them, with proof.

Every kubelet container (name k8s_* or label io.kubernetes.pod.uid, the k8s_POD infra container included) of every active agent (or of the agents named with --agent) is classified:
  orphan    its MESOS_EXECUTOR_CONTAINER_UUID names an executor container that no live executor on that agent runs (read from the agent's own /state now), and no task of its pod runs there. Evidence is added when present: the executor the agent lists as completed and when it ended, the pod deleted from the apiserver, bound to another agent or with another uid, its Mesos task terminal.
  live      its executor runs: never a candidate, whatever else looks wrong.
  unproven  no marker (a kubelet not started by a k8sm executor), not inspected, the agent's state unreadable, or its pod's task still running there: listed with the reason, never killed.

Then the Mesos-level leftovers: frameworks inactive or disconnected with tasks still running (and how long their failover timeout has left), tasks whose framework is gone, k8sm tasks whose pod no longer exists.

Docker engines are reached through --docker-endpoints (a map file), else --docker-endpoint (a template), else the local engine (DOCKER_HOST, else unix:///var/run/docker.sock) for the agent this command runs on, when --agent names it. Engines are asked concurrently (8 at a time), each with one list and at most one inspect per kubelet container, under the --docker-timeout deadline: an engine that does not answer is reported and does not hold the others back. Pods are read from the apiserver (kubeconfig) as evidence only: without it, classification still works.

Exit status: 0 no orphan; 1 orphans found, or an agent or engine could not be read; 2 usage errors or an unreadable master.`;

  static override examples = [
    {
      description: 'Engines listening on TCP with TLS on every agent:',
      command: '<%= config.bin %> get orphans --docker-endpoint tcp://{ip}:2376 --docker-tls-verify',
    },
    {
      description: 'Engines from a map file, one agent, as JSON:',
      command: '<%= config.bin %> get orphans --docker-endpoints engines.yaml --agent agent-3 -o json',
    },
    { description: 'On an agent, its local engine:', command: '<%= config.bin %> get orphans --agent $(hostname)' },
  ];

  static override flags = {
    ...agentFilterFlag,
    output: Flags.string({ char: 'o', description: 'Output format.', options: ['table', 'wide', 'json', 'yaml', 'name'], default: 'table' }),
    'no-headers': Flags.boolean({ description: 'Do not print table headers.' }),
    ...dockerFlags,
    ...kubeFlags,
    ...mesosFlags,
  };

  static override loadOptions = async (io: IOStreams) => new (await import('../../cmd/get/orphans.js')).GetOrphansOptions(io);
}
