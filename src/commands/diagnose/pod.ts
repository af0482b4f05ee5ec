import * as Args from '@oclif/core/args';
import { BaseCommand } from '../../lib/base-command.js';
import { namespaceFlags } from '../../lib/flags/mesos-flags.js';
import type { IOStreams } from '../../lib/io.js';
import { connectionFlags, diagnoseOutputFlag, schedulerFlags, stuckAfterFlag } from './flags.js';

export default class DiagnosePod extends BaseCommand {
  static override summary = 'Say why pods are stuck, agent by agent, with the numbers and the fix.';

  static override description = `With NAMEs, those pods; without, every stuck pod of the namespace (-n, default the context's) or of all namespaces (-A). A pod is stuck when it is Pending without the k8s.mesosphere.io/bindingHost annotation (never launched) for longer than --stuck-after; when it was launched but is not Running; or when it is Running while its Mesos task is terminal or gone. A named pod that is fine says so.

For a pod never launched, every agent's reasons, the first one the headline: agent-inactive, node-missing, node-attributes-stale, executor-incompatible, node-name-mismatch, node-selector-mismatch, roles-unavailable, host-port-not-offered, host-port-in-use, wildcard-ports-short, insufficient-cpu, insufficient-mem, executor-overhead, or fits. Pod-level: duplicate-host-port, roles-empty, roles-not-in-framework. Cluster-level: framework-not-registered, scheduler-silent, offers-held, fits-somewhere. For a launched pod: task-missing, task-failed, task-lost, task-killed, task-error (with the latest Mesos status's source, reason and message), executor-gone, agent-not-answering, launch-grace-expiring, container-waiting. Each message carries its numbers; each reason its fix. The Agents table counts each agent once, under its first reason (FIRST REASON OF, as the summary counts), and shows the agents a reason also blocks behind another (ALSO BLOCKS): what would still stand once the first is fixed.

k8sm's rules are applied with the scheduler settings given (k8sm's defaults otherwise): roles, host-port mapping, container defaults and executor overhead, as 'k8smctl validate' applies them.

Reads the Mesos master once (GET_STATE, else /state), lists pods, events and Nodes once each, asks only the agents of launched pods for their /state, and, when the k8sm framework holds offers, looks at them again twice its offer TTL later.

Exit status: 0 when nothing is stuck, 1 when a stuck pod is found (or a named pod does not exist, or an agent does not answer), 2 for usage errors or when the cluster cannot be read.`;

  static override examples = [
    { description: 'Every stuck pod of the current namespace:', command: '<%= config.bin %> diagnose pod' },
    { description: 'Why one pod stays Pending:', command: '<%= config.bin %> diagnose pod api-legacy -n team-a' },
    { description: 'Every stuck pod, one row per agent:', command: '<%= config.bin %> diagnose pod -A -o wide' },
    { description: 'A scheduler started with other roles, as JSON:', command: "<%= config.bin %> diagnose pod -A --mesos-framework-roles '*,public' -o json" },
  ];

  static override args = {
    // Names come from the arguments only: oclif would otherwise read a piped stdin as a name.
    name: Args.string({ description: 'Pod name (several may be given).', required: false, ignoreStdin: true }),
  };

  static override strict = false;

  static override flags = {
    'stuck-after': stuckAfterFlag('A Pending pod never launched is stuck once it is this old.'),
    ...diagnoseOutputFlag,
    ...namespaceFlags,
    ...schedulerFlags,
    ...connectionFlags,
  };

  static override loadOptions = async (io: IOStreams) => new (await import('../../cmd/diagnose/options.js')).DiagnosePodOptions(io);
}
