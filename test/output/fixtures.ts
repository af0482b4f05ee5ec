import type { Finding } from '../../src/core/finding.js';
import type { RuleInfo, ValidationReport } from '../../src/output/findings/validation-report.js';

export const RULES: RuleInfo[] = [
  {
    id: 'host-port-not-offered',
    severity: 'error',
    title: 'hostPort outside every offered port range',
    description: 'A container asks for a hostPort that no agent offers; k8sm never finds an offer for the pod, which stays Pending.',
    help: "Use a hostPort inside the agents' ports resource, or hostPort 0 with wildcard port mapping.",
  },
  {
    id: 'duplicate-host-port',
    severity: 'error',
    title: 'the same hostPort twice in one pod',
    description: 'Two container ports of one pod ask for the same hostPort and protocol.',
    help: 'Give every container port its own hostPort.',
  },
  {
    id: 'node-selector-ignored',
    severity: 'warning',
    title: 'nodeSelector key k8sm ignores',
    description: 'k8sm only honours kubernetes.io/hostname and k8s.mesosphere.io/attribute-* keys.',
    help: 'Use a k8s.mesosphere.io/attribute-<name> key matching an agent attribute.',
  },
  {
    id: 'default-resources',
    severity: 'info',
    title: 'k8sm default container limits apply',
    description: 'A container without limits is sized by the scheduler defaults (0.25 CPU, 64 MB).',
    help: 'Set resources.limits on every container.',
  },
];

/** A realistic report: two files with findings (one multi-document), one clean file, stdin. */
export function sampleReport(): ValidationReport {
  const findings: Finding[] = [
    {
      rule: 'node-selector-ignored',
      severity: 'warning',
      message: 'nodeSelector key disktype is ignored by k8sm; use k8s.mesosphere.io/attribute-disktype',
      file: 'deploy/web.yaml',
      line: 30,
      column: 11,
      kind: 'Deployment',
      namespace: 'default',
      name: 'web',
      path: ['spec', 'template', 'spec', 'nodeSelector', 'disktype'],
      docIndex: 0,
    },
    {
      rule: 'host-port-not-offered',
      severity: 'error',
      message: 'hostPort 8080 is outside every offered port range [31000-32000]: the pod stays Pending forever; use a port in [31000-32000]',
      file: 'deploy/web.yaml',
      line: 21,
      column: 23,
      kind: 'Deployment',
      namespace: 'default',
      name: 'web',
      container: 'nginx',
      port: 8080,
      path: ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'hostPort'],
      docIndex: 0,
    },
    {
      rule: 'default-resources',
      severity: 'info',
      message: 'no limits: k8sm sizes this container at 0.25 CPU and 64 MB',
      file: 'deploy/web.yaml',
      line: 52,
      column: 9,
      kind: 'Pod',
      namespace: 'default',
      name: 'sidecar',
      container: 'proxy',
      docIndex: 1,
    },
    {
      rule: 'duplicate-host-port',
      severity: 'error',
      message: 'hostPort 31000/TCP is used twice in this pod',
      file: '<stdin>',
      line: 9,
      column: 19,
      kind: 'Pod',
      namespace: 'kube-system',
      name: 'dup',
      container: 'b',
      port: 31000,
    },
  ];
  return {
    findings,
    summary: { files: 3, resources: 4, skipped: 1, errors: 2, warnings: 1, infos: 1 },
    files: ['deploy/web.yaml', 'deploy/clean.yaml', '<stdin>'],
    resources: [
      { file: 'deploy/web.yaml', kind: 'Deployment', namespace: 'default', name: 'web' },
      { file: 'deploy/web.yaml', kind: 'Pod', namespace: 'default', name: 'sidecar' },
      { file: 'deploy/clean.yaml', kind: 'Deployment', namespace: 'default', name: 'api' },
      { file: 'deploy/clean.yaml', kind: 'ConfigMap', namespace: 'default', name: 'api-config', skipped: true },
      { file: '<stdin>', kind: 'Pod', namespace: 'kube-system', name: 'dup' },
    ],
  };
}

export function emptyReport(): ValidationReport {
  return { findings: [], summary: { files: 2, resources: 5, skipped: 0, errors: 0, warnings: 0, infos: 0 } };
}
