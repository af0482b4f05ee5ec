import { renderManPages, type CommandMeta } from './render-man.js';

const ABOUT = `the operator's command line for Kubernetes-on-Mesos (k8sm)
k8smctl checks Kubernetes manifests against what the k8sm scheduler can really run on a Mesos cluster
(host ports against the agents' offered port ranges under both port-mapping strategies, static-pod
resource limits, the host-port service-endpoint rule, placement k8sm ignores), shows the cluster as k8sm
sees it (agents, port ranges used and free, frameworks, k8sm tasks joined with their pods), and talks to
the Mesos master, its agents, the Kubernetes apiserver and the agents' Docker engines.

Commands follow kubectl's habits: verb then noun, -o table|wide|json|yaml|name, --kubeconfig, --context,
-n/--namespace, -A/--all-namespaces. Errors are one line on standard error; --debug adds stack traces.`;

const SECTIONS: Array<[string, string]> = [
  [
    'EXIT STATUS',
    `.TP\n\\fB0\\fR\nSuccess; for \\fBvalidate\\fR, no error findings (and no warnings with \\-\\-strict).\n.TP\n\\fB1\\fR\nFindings at error level, a failed operation, or a partial result (some agents did not answer).\n.TP\n\\fB2\\fR\nUsage error, or no input could be read, or a server could not be reached.`,
  ],
  [
    'ENVIRONMENT',
    [
      ['MESOS_MASTER', 'The Mesos master to use when \\-\\-mesos\\-master is not given: a URL, a comma list of masters, or zk://host:port,.../path.'],
      ['MESOS_SECRET', 'Secret for HTTP basic authentication against Mesos (with \\-\\-mesos\\-principal); never printed.'],
      ['KUBECONFIG', 'Colon-separated list of kubeconfig files, as for kubectl.'],
      ['NO_COLOR', 'Disable colours (any non-empty value). Colours are only used on a terminal.'],
      ['K8SMCTL_DEBUG', 'Set to 1 to behave as if \\-\\-debug was given.'],
    ]
      .map(([k, v]) => `.TP\n\\fB${k}\\fR\n${v}`)
      .join('\n'),
  ],
  ['BUGS', 'Report issues at the project tracker with the output of the failing command run with \\-\\-debug (it never contains credentials).'],
];

export function k8smctlManPages(commands: Record<string, unknown>, version: string): Map<string, string> {
  return renderManPages(commands as Record<string, CommandMeta>, { bin: 'k8smctl', version, about: ABOUT, sections: SECTIONS });
}
