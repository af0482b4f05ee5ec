/**
 * The keys k8sm reads from pods and writes on pods and Nodes (reference §1.8, §1.9, §1.10): one place
 * for every `k8s.mesosphere.io/` name the scheduler, the views and the rules use.
 */

/** The prefix of every k8sm key. */
export const K8SM_PREFIX = 'k8s.mesosphere.io/';

/** Pod annotations k8sm writes when it launches a pod (§1.10) and reads to recover its tasks (§1.9, §1.12). */
export const ANNOTATION = {
  bindingHost: 'k8s.mesosphere.io/bindingHost',
  taskId: 'k8s.mesosphere.io/taskId',
  slaveId: 'k8s.mesosphere.io/slaveId',
  offerId: 'k8s.mesosphere.io/offerId',
  executorId: 'k8s.mesosphere.io/executorId',
} as const;

/** Pod annotation k8sm writes per allocated host port: `port_<PROTO>_<containerPort>` = the host port. */
export function portAnnotation(protocol: string, containerPort: number): string {
  return `k8s.mesosphere.io/port_${protocol}_${containerPort}`;
}

/** Pod annotation k8sm writes per named allocated host port: `portName_<PROTO>_<name>` = the host port. */
export function portNameAnnotation(protocol: string, name: string): string {
  return `k8s.mesosphere.io/portName_${protocol}_${name}`;
}

/** The kubelet's annotation on a mirror pod (a static pod's copy in the apiserver): never k8sm's to schedule or launch. */
export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/** Annotation k8sm puts on a static pod: the file it came from. */
export const STATIC_POD_FILENAME_ANNOTATION = 'k8s.mesosphere.io/staticPodFilename';

/** Pod ANNOTATION: the roles a pod takes resources from, a comma list (§1.7; the flag help says "label", the code reads annotations). */
export const ROLES_ANNOTATION = 'k8s.mesosphere.io/roles';

/** Pod LABEL: `fixed` or `wildcard` host-port mapping (§1.4; read from labels, not annotations). */
export const PORT_MAPPING_LABEL = 'k8s.mesosphere.io/portMapping';

/** Node label k8sm sets to the agent's hostname (§1.8). */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** Node label prefix k8sm sets per TEXT/SCALAR agent attribute (§1.8). */
export const ATTRIBUTE_LABEL_PREFIX = 'k8s.mesosphere.io/attribute-';
