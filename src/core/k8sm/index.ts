/**
 * k8sm's rules of interpretation, once, on plain pods and agent/offer resources (reference
 * k8sm-and-mesos-api.md §1): roles, host-port mapping and allocation, resource demand with the
 * executor overhead, and whether a pod fits an agent. No manifests, no I/O. See notes/k8sm-api.md.
 */
export * from './keys.js';
export * from './settings.js';
export * from './roles.js';
export * from './quantity.js';
export * from './resources.js';
export * from './host-ports.js';
export * from './pod-spec.js';
export * from './agent.js';
export * from './scheduler.js';
export * from './fit.js';
export * from './node-labels.js';
export * from './endpoints.js';
