import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../lib/base-command.js';
import type { IOStreams } from '../lib/io.js';
import { mesosFlags } from '../lib/flags/mesos-flags.js';

export default class Validate extends BaseCommand {
  static override summary = 'Check manifests for what k8sm can never run, before kubectl apply.';

  static override description = `Reads Kubernetes manifests as kubectl reads them (YAML, multi-document, or a stream of JSON objects; kind: List; every pod-bearing kind, custom resources that carry a pod template, and Services) and reports, with file:line:column, what will happen to them on a Kubernetes-on-Mesos cluster and how to fix it: host ports no agent offers (pods stay Pending forever with "no suitable offers for pod/task"), duplicate host ports, more wildcard ports than the offered ranges hold, replicas that cannot get a host port each, static pods without cpu/memory limits, Services whose endpoints cannot terminate at HostIP:HostPort, pods larger than any agent (k8sm's defaults and executor overhead included), placement settings k8sm ignores, and structural errors.

The cluster model is offline by default (--ports, --port-mapping, --host-port-endpoints, --agent-cpus, --agent-mem, --agents). With --mesos-master it is read from the live cluster: every agent's port ranges, size and attributes; a port offered by some agents but not others is fine, one offered by none is an error. --cluster-snapshot reads a saved 'k8smctl get agents -o json' instead.

Exit status: 0 when there are no errors (and no warnings with --strict), 1 when there are, 2 for usage errors or when no input could be read.`;

  static override examples = [
    { description: 'Check the bundled examples against the Mesos agent default port range:', command: '<%= config.bin %> validate -R -f examples/' },
    {
      description: 'Check a manifest from standard input, agents offering two ranges, fixed port mapping:',
      command: "kubectl kustomize overlays/prod | <%= config.bin %> validate -f - --ports '[31000-31099, 31101-32000]' --port-mapping fixed",
    },
    {
      description: 'Check against the live cluster and write SARIF for code scanning:',
      command: '<%= config.bin %> validate -f deploy/ --mesos-master zk://zk1:2181,zk2:2181/mesos -o sarif > k8sm.sarif',
    },
    { description: "Check a scheduler's --static-pods-config folder:", command: '<%= config.bin %> validate --static-pods-dir /etc/k8sm/static-pods' },
  ];

  static override flags = {
    filename: Flags.string({
      char: 'f',
      description: "File, directory or '-' (standard input) holding manifests. Directories contribute *.yaml, *.yml and *.json files.",
      multiple: true,
      helpValue: 'FILE|DIR|-',
    }),
    recursive: Flags.boolean({ char: 'R', description: 'Walk directories given with -f recursively.' }),
    output: Flags.string({
      char: 'o',
      description: 'Output format: text is grouped by file and coloured on a terminal; sarif is SARIF 2.1.0 for code-scanning upload.',
      options: ['text', 'json', 'yaml', 'sarif', 'junit'],
      default: 'text',
    }),
    strict: Flags.boolean({ description: 'Fail (exit 1) on warnings too.' }),
    quiet: Flags.boolean({ char: 'q', description: 'Hide info findings in text output (they are still counted).' }),
    ports: Flags.string({
      description:
        "Agents' offered ports resource, in Mesos syntax: [31000-32000], [31000-31099, 31101-32000] or 31000-32000. Offline model only: ignored with --mesos-master or --cluster-snapshot, which give each agent's own ranges.",
      default: '[31000-32000]',
      helpValue: 'RANGES',
      helpGroup: 'CLUSTER MODEL',
    }),
    'port-mapping': Flags.string({
      description:
        "k8sm's host-port mapping strategy (scheduler default: wildcard when host-port endpoints are on, else fixed). A pod's label k8s.mesosphere.io/portMapping overrides it.",
      options: ['wildcard', 'fixed'],
      helpGroup: 'CLUSTER MODEL',
    }),
    'host-port-endpoints': Flags.boolean({
      description: 'Whether the k8sm controller-manager terminates service endpoints at HostIP:HostPort (-host_port_endpoints).',
      default: true,
      allowNo: true,
      helpGroup: 'CLUSTER MODEL',
    }),
    'agent-cpus': Flags.string({ description: 'CPUs of an agent, when known (offline model only, as --ports).', helpValue: 'N', helpGroup: 'CLUSTER MODEL' }),
    'agent-mem': Flags.string({
      description: 'Memory of an agent in MB (or a quantity such as 16Gi), when known (offline model only, as --ports).',
      helpValue: 'MB',
      helpGroup: 'CLUSTER MODEL',
    }),
    agents: Flags.integer({
      description: 'Number of agents, when known (offline model only, as --ports); a whole number of 1 or more.',
      min: 1,
      helpGroup: 'CLUSTER MODEL',
    }),
    'framework-roles': Flags.string({
      description: "The scheduler's --mesos-framework-roles.",
      default: '*',
      helpValue: 'ROLES',
      helpGroup: 'CLUSTER MODEL',
    }),
    'default-pod-roles': Flags.string({
      description: "The scheduler's --mesos-default-pod-roles.",
      default: '*',
      helpValue: 'ROLES',
      helpGroup: 'CLUSTER MODEL',
    }),
    'mesos-executor-cpus': Flags.string({ description: "The scheduler's --mesos-executor-cpus.", default: '0.25', helpValue: 'N', helpGroup: 'CLUSTER MODEL' }),
    'mesos-executor-mem': Flags.string({
      description: "The scheduler's --mesos-executor-mem (MB).",
      default: '128',
      helpValue: 'MB',
      helpGroup: 'CLUSTER MODEL',
    }),
    'default-container-cpu-limit': Flags.string({
      description: "The scheduler's --default-container-cpu-limit.",
      default: '0.25',
      helpValue: 'N',
      helpGroup: 'CLUSTER MODEL',
    }),
    'default-container-mem-limit': Flags.string({
      description: "The scheduler's --default-container-mem-limit (MB).",
      default: '64',
      helpValue: 'MB',
      helpGroup: 'CLUSTER MODEL',
    }),
    'cluster-snapshot': Flags.string({
      description: "Read the cluster model from a file saved with 'k8smctl get agents -o json' instead of the flags or a live master.",
      helpValue: 'FILE',
      helpGroup: 'CLUSTER MODEL',
      exclusive: ['mesos-master'],
    }),
    static: Flags.boolean({ description: 'Treat every Pod given with -f as a static pod (--static-pods-config).', helpGroup: 'STATIC PODS' }),
    'static-pods-dir': Flags.string({
      description: "Check a scheduler's --static-pods-config folder as the scheduler reads it: every non-empty regular file must hold one Pod.",
      helpValue: 'DIR',
      helpGroup: 'STATIC PODS',
    }),
    'per-file': Flags.boolean({
      description:
        'Check every file on its own, as a tree of independent examples: a Service is matched with the pods of its own file only, and an object defined in several files is no repeat. Without it the input is one set, as kubectl apply -f applies it: the last definition of an object wins.',
    }),
    'max-file-size': Flags.string({ description: 'Refuse input files larger than this (bytes, or 10Mi, 1Gi...).', default: '10Mi', helpValue: 'SIZE' }),
    ...mesosFlags,
  };

  static override loadOptions = async (io: IOStreams) => new (await import('../cmd/validate/options.js')).ValidateOptions(io);
}
