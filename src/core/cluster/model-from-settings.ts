import type { ClusterModel } from './cluster-model.js';
import { schedulerModelFields, type ModelSettings } from './model-settings.js';
import { parsePortRanges, formatPortRanges } from '../ports/port-range.js';

/** The offline model: one synthetic agent shape built from --ports/--agent-cpus/--agent-mem. */
export function clusterModelFromSettings(settings: ModelSettings): ClusterModel {
  const ports = parsePortRanges(settings.ports);
  const sizesKnown = settings.agentCpus !== undefined || settings.agentMem !== undefined;
  return {
    origin: 'flags',
    source: `--ports ${formatPortRanges(ports)}`,
    agents: [
      {
        name: '(--ports)',
        ports,
        portsByRole: { '*': ports },
        ...(settings.agentCpus !== undefined ? { cpus: settings.agentCpus } : {}),
        ...(settings.agentMem !== undefined ? { mem: settings.agentMem } : {}),
      },
    ],
    ...(settings.agents !== undefined ? { agentCount: settings.agents } : {}),
    sizesKnown,
    ...schedulerModelFields(settings),
  };
}
