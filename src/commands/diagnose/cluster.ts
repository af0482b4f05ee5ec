import { BaseCommand } from '../../lib/base-command.js';
import type { IOStreams } from '../../lib/io.js';
import { connectionFlags, diagnoseOutputFlag, schedulerFlags, stuckAfterFlag } from './flags.js';

export default class DiagnoseCluster extends BaseCommand {
  static override summary = 'Say what holds every k8sm pod back, or will: the framework, offers, agents, executors, Nodes.';

  static override description = `Errors hold pods back now: framework-not-registered (no k8sm framework by --framework-name, or inactive/disconnected, with how long its failover timeout has left), offers-held (offers the framework still holds twice its offer TTL later: k8sm's offer leak), scheduler-silent (Pending pods older than --stuck-after with no event from the scheduler), executor-id-drift (k8sm executors with different ids: the scheduler's configuration changed), agent-without-node, pod-without-task (a launched pod whose task is gone), agent-not-answering. Warnings will: executor-shutdown-grace-short (an agent's executor_shutdown_grace_period below the 15 s the k8sm executor needs to stop its pods, or below a running pod's terminationGracePeriodSeconds: orphaned containers ahead), agent-no-ports, agent-ports-differ, node-without-agent, task-without-pod.

Reads the Mesos master once (GET_STATE, else /state), every active agent's /state (for its flags and executors), and pods, events and Nodes of all namespaces once each.

Exit status: 0 when no error-level cause is found, 1 when one is, 2 for usage errors or when the cluster cannot be read.`;

  static override examples = [
    { description: 'What holds the cluster back:', command: '<%= config.bin %> diagnose cluster' },
    {
      description: 'For a scheduler registered under another name, as YAML:',
      command: '<%= config.bin %> diagnose cluster --framework-name k8sm-prod -o yaml',
    },
  ];

  static override flags = {
    'stuck-after': stuckAfterFlag('A Pending pod older than this with no event from the scheduler counts for scheduler-silent.'),
    ...diagnoseOutputFlag,
    ...schedulerFlags,
    ...connectionFlags,
  };

  static override loadOptions = async (io: IOStreams) => new (await import('../../cmd/diagnose/options.js')).DiagnoseClusterOptions(io);
}
