import { PORT_MAPPING_LABEL } from './keys.js';

/** k8sm's two host-port mapping strategies (reference §1.4, KMF `podtask/hostport/mapper.go`). */
export type PortMapping = 'wildcard' | 'fixed';

/**
 * The k8sm scheduler's settings that decide how it reads a pod (reference §1.2). Plain data: a
 * `ClusterModel` is one, and so is what a scheduler is started with.
 */
export interface SchedulerSettings {
  /** `--mesos-framework-roles` (parsed with `parseRoleList`); `*` when empty. */
  frameworkRoles: ReadonlyArray<string>;
  /** `--mesos-default-pod-roles`: the roles of a pod without the roles annotation, in preference order; `*` when empty. */
  defaultPodRoles: ReadonlyArray<string>;
  /** The strategy of pods without a valid `k8s.mesosphere.io/portMapping` label (`portMappingFor(--host-port-endpoints)`). */
  portMapping: PortMapping;
  /** `--mesos-executor-cpus` / `--mesos-executor-mem` (MB): the executor's own share, before static pods. */
  executorCpus: number;
  executorMem: number;
  /** `--default-container-cpu-limit` (cores) / `--default-container-mem-limit` (MB). */
  defaultContainerCpu: number;
  defaultContainerMem: number;
}

/** Defaults of the k8sm scheduler flags (§1.2) and its per-container minimums (§1.6). */
export const K8SM_DEFAULTS = {
  /** Not a scheduler flag: the Mesos agents' usual `ports` resource (§1.4 doc rule). */
  ports: '[31000-32000]',
  executorCpus: 0.25,
  executorMem: 128,
  defaultContainerCpu: 0.25,
  defaultContainerMem: 64,
  minContainerCpu: 0.01,
  minContainerMem: 32,
} as const;

/** The settings of a km scheduler started with no flags (§1.2): every role `*`, wildcard host ports, the default limits. */
export function defaultSchedulerSettings(): SchedulerSettings {
  return {
    frameworkRoles: ['*'],
    defaultPodRoles: ['*'],
    portMapping: 'wildcard',
    executorCpus: K8SM_DEFAULTS.executorCpus,
    executorMem: K8SM_DEFAULTS.executorMem,
    defaultContainerCpu: K8SM_DEFAULTS.defaultContainerCpu,
    defaultContainerMem: K8SM_DEFAULTS.defaultContainerMem,
  };
}

/** §1.2/§1.4: `--host-port-endpoints=true` (the default) selects the wildcard strategy, false selects fixed. */
export function portMappingFor(hostPortEndpoints: boolean): PortMapping {
  return hostPortEndpoints ? 'wildcard' : 'fixed';
}

export function isPortMapping(v: unknown): v is PortMapping {
  return v === 'fixed' || v === 'wildcard';
}

/**
 * A pod's strategy (§1.4): its LABEL `k8s.mesosphere.io/portMapping` when that is `fixed` or
 * `wildcard`; any other value (the scheduler logs a warning) or none: the scheduler's default.
 */
export function podPortMapping(labels: Readonly<Record<string, unknown>> | undefined, schedulerDefault: PortMapping): PortMapping {
  const v = labels?.[PORT_MAPPING_LABEL];
  return isPortMapping(v) ? v : schedulerDefault;
}
