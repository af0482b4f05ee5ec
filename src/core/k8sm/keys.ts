/**
 * The keys k8sm reads from pods and writes on Nodes (reference §1.9, §1.8). All other k8sm keys
 * (`bindingHost`, `taskId`, `port_<PROTO>_<port>`, ...) are written by k8sm itself.
 */

/** Pod ANNOTATION: the roles a pod takes resources from, a comma list (§1.7; the flag help says "label", the code reads annotations). */
export const ROLES_ANNOTATION = 'k8s.mesosphere.io/roles';

/** Pod LABEL: `fixed` or `wildcard` host-port mapping (§1.4; read from labels, not annotations). */
export const PORT_MAPPING_LABEL = 'k8s.mesosphere.io/portMapping';

/** Node label k8sm sets to the agent's hostname (§1.8). */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** Node label prefix k8sm sets per TEXT/SCALAR agent attribute (§1.8). */
export const ATTRIBUTE_LABEL_PREFIX = 'k8s.mesosphere.io/attribute-';
