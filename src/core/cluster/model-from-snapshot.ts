import type { AgentShape, ClusterModel } from './cluster-model.js';
import { schedulerModelFields, type ModelSettings } from './model-settings.js';
import type { AgentSnapshot, FrameworkSnapshot } from '../mesos/snapshot.js';

/**
 * The live model: every active agent's total offer (all roles), attributes, and whether a k8sm
 * executor already runs there. Scheduler settings the master cannot show (host-port endpoints,
 * executor size, container defaults) come from the settings; the framework roles come from the
 * registered k8sm framework when there is exactly one.
 */
export function clusterModelFromSnapshot(
  agents: AgentSnapshot[],
  frameworks: FrameworkSnapshot[],
  settings: ModelSettings,
  source: { origin: 'mesos' | 'snapshot'; description: string },
): ClusterModel {
  const active = agents.filter((a) => a.active);
  const shapes: AgentShape[] = active.map((a) => ({
    name: a.hostname,
    ports: a.total.ports,
    portsByRole: a.portsByRole,
    cpus: a.total.cpus,
    mem: a.total.mem,
    attributes: a.attributes,
    k8smExecutor: a.k8smExecutors.length > 0,
  }));
  const k8sm = frameworks.filter((f) => f.isK8sm && !f.completed);
  const frameworkRoles = k8sm.length === 1 && k8sm[0]!.roles.length ? k8sm[0]!.roles : settings.frameworkRoles;
  return {
    origin: source.origin,
    source: source.description,
    agents: shapes,
    agentCount: shapes.length,
    sizesKnown: shapes.length > 0,
    ...schedulerModelFields(settings),
    frameworkRoles,
  };
}
