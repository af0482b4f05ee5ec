import { portMappingFor, type PortMapping, type SchedulerSettings } from '../k8sm/settings.js';

/**
 * What the user says about the cluster and the k8sm scheduler's settings (validate's CLUSTER MODEL
 * flags), already parsed. Agent facts (ports, size, count) are used offline only; the scheduler
 * settings apply to every model.
 */
export interface ModelSettings extends Omit<SchedulerSettings, 'portMapping'> {
  ports: string;
  /** Explicit --port-mapping; else derived from hostPortEndpoints as the k8sm scheduler does. */
  portMapping?: PortMapping;
  hostPortEndpoints: boolean;
  agentCpus?: number;
  agentMem?: number;
  agents?: number;
}

/** The scheduler's default strategy: --port-mapping when given, else what --host-port-endpoints selects. */
export function defaultPortMapping(settings: Pick<ModelSettings, 'portMapping' | 'hostPortEndpoints'>): PortMapping {
  return settings.portMapping ?? portMappingFor(settings.hostPortEndpoints);
}

/** The fields of a ClusterModel that come from the scheduler's settings, whatever the agents are. */
export function schedulerModelFields(settings: ModelSettings) {
  return {
    portMapping: defaultPortMapping(settings),
    hostPortEndpoints: settings.hostPortEndpoints,
    executorCpus: settings.executorCpus,
    executorMem: settings.executorMem,
    defaultContainerCpu: settings.defaultContainerCpu,
    defaultContainerMem: settings.defaultContainerMem,
    frameworkRoles: settings.frameworkRoles,
    defaultPodRoles: settings.defaultPodRoles,
  };
}
