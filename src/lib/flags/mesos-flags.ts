import * as Flags from '@oclif/core/flags';

/** How to reach the Mesos master; shared by every command that reads the live cluster. */
export const mesosFlags = {
  'mesos-master': Flags.string({
    description:
      'Mesos master: http(s)://host:port, host:port, a comma list of masters (standbys are fine), or zk://host:port,.../path. Defaults to $MESOS_MASTER.',
    env: 'MESOS_MASTER',
    helpValue: 'URL|LIST|zk://...',
    helpGroup: 'MESOS',
  }),
  'mesos-principal': Flags.string({
    description: 'Principal for HTTP basic authentication against the master and agents.',
    helpGroup: 'MESOS',
  }),
  'mesos-secret-file': Flags.string({
    description: 'File holding the secret for --mesos-principal (else $MESOS_SECRET). The secret is never printed.',
    helpValue: 'FILE',
    helpGroup: 'MESOS',
  }),
  'mesos-ca-file': Flags.string({
    description: 'PEM CA bundle to verify the master and agents over https.',
    helpValue: 'FILE',
    helpGroup: 'MESOS',
  }),
  'insecure-skip-tls-verify': Flags.boolean({
    description: 'Do not verify the Mesos TLS certificates (insecure).',
    helpGroup: 'MESOS',
  }),
  'request-timeout': Flags.string({
    description: 'Timeout of each HTTP request to Mesos (and to the apiserver, for commands that read it), e.g. 10s, 500ms, 1m.',
    default: '10s',
    helpValue: 'DURATION',
    helpGroup: 'MESOS',
  }),
};

/** kubectl's connection flags. */
export const kubeFlags = {
  kubeconfig: Flags.string({
    description: 'Path to the kubeconfig file (else $KUBECONFIG, else ~/.kube/config).',
    helpValue: 'FILE',
    helpGroup: 'KUBERNETES',
  }),
  context: Flags.string({ description: 'The kubeconfig context to use.', helpGroup: 'KUBERNETES' }),
};

export const namespaceFlags = {
  namespace: Flags.string({ char: 'n', description: 'Namespace (default: the context namespace, else "default").', helpGroup: 'KUBERNETES' }),
  'all-namespaces': Flags.boolean({ char: 'A', description: 'All namespaces.', helpGroup: 'KUBERNETES' }),
};

/** kubectl's object output flags for get/describe. */
export const objectOutputFlags = {
  output: Flags.string({
    char: 'o',
    description: 'Output format.',
    options: ['table', 'wide', 'json', 'yaml', 'name'],
    default: 'table',
  }),
  'no-headers': Flags.boolean({ description: 'Do not print table headers.' }),
};
