import * as Flags from '@oclif/core/flags';

/**
 * How the orphan commands reach each agent's Docker engine (issue 9), in this order: the
 * `--docker-endpoints` map, the `--docker-endpoint` template, then the local engine (DOCKER_HOST)
 * for the agent the command runs on, when --agent names it. TLS as the docker CLI does it.
 */
export const dockerFlags = {
  'docker-endpoints': Flags.string({
    description:
      'YAML or JSON map of agent hostname or id to its Docker endpoint (unix:///path, tcp://host:port, ssh://user@host). Wins over --docker-endpoint.',
    helpValue: 'FILE',
    helpGroup: 'DOCKER',
  }),
  'docker-endpoint': Flags.string({
    description: 'Endpoint template for agents not in --docker-endpoints, with {hostname}, {ip} and {id}, e.g. tcp://{ip}:2376 or ssh://core@{hostname}.',
    helpValue: 'TEMPLATE',
    helpGroup: 'DOCKER',
  }),
  'docker-tls-verify': Flags.boolean({
    description: 'Use TLS and verify the engines (tcp:// endpoints) against ca.pem; also $DOCKER_TLS_VERIFY (any non-empty value).',
    helpGroup: 'DOCKER',
  }),
  'docker-cert-path': Flags.string({
    description: 'Folder with ca.pem, cert.pem and key.pem (else $DOCKER_CERT_PATH, else ~/.docker).',
    helpValue: 'DIR',
    helpGroup: 'DOCKER',
  }),
  'docker-timeout': Flags.string({
    description: 'Deadline for reading one engine (its list and inspects); an engine that takes longer is reported as unreadable.',
    default: '20s',
    helpValue: 'DURATION',
    helpGroup: 'DOCKER',
  }),
};

/** `--agent NAME` (repeatable): only these agents. */
export const agentFilterFlag = {
  agent: Flags.string({
    description: 'Only this agent (hostname, hostname:port or id); repeat for several. Default: every agent.',
    multiple: true,
    helpValue: 'NAME',
  }),
};
