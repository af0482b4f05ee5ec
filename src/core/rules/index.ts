import type { Rule } from './rule.js';
import { hostPortNotOffered } from './host-port-not-offered.js';
import { duplicateHostPort } from './duplicate-host-port.js';
import { wildcardPortsExhausted } from './wildcard-ports-exhausted.js';
import { hostPortsNoCommonAgent } from './host-ports-no-common-agent.js';
import { hostPortReplicasExceedAgents } from './host-port-replicas-exceed-agents.js';
import { portMappingInvalid } from './port-mapping-invalid.js';
import { portMappingIgnored } from './port-mapping-ignored.js';
import { serviceEndpointNoHostPort, serviceSelectsNoPods } from './service-endpoints.js';
import { podExceedsAgentResources, podResourcesDefaulted } from './pod-resources.js';
import { staticPodFileInvalid, staticPodMissingLimits, staticPodsReadOnce } from './static-pods.js';
import { placementIgnored } from './placement-ignored.js';
import { nodeNameNoAgent, nodeSelectorNoAgent, nodeSelectorUnknownLabel } from './node-selector.js';
import { podRolesEmpty, podRolesIgnored, podRolesNotInFramework } from './pod-roles.js';
import { clusterNoAgents } from './cluster-no-agents.js';

export type { Rule } from './rule.js';

/** Every manifest rule, in reporting order. Ids are stable; used for SARIF rule metadata and the docs. */
export const RULES: ReadonlyArray<Rule> = [
  clusterNoAgents,
  hostPortNotOffered,
  duplicateHostPort,
  wildcardPortsExhausted,
  hostPortsNoCommonAgent,
  hostPortReplicasExceedAgents,
  portMappingInvalid,
  portMappingIgnored,
  serviceEndpointNoHostPort,
  serviceSelectsNoPods,
  podExceedsAgentResources,
  podResourcesDefaulted,
  staticPodMissingLimits,
  staticPodFileInvalid,
  staticPodsReadOnce,
  placementIgnored,
  nodeSelectorUnknownLabel,
  nodeSelectorNoAgent,
  nodeNameNoAgent,
  podRolesEmpty,
  podRolesNotInFramework,
  podRolesIgnored,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));
