import type { TableSpec } from '../objects.js';
import type { AgentView } from '../../core/views/agent-view.js';
import { agentDocument } from '../../core/cluster/snapshot-document.js';

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, ''));

export const AGENT_TABLE: TableSpec<AgentView> = {
  columns: [
    { header: 'HOSTNAME', value: (a) => a.hostname },
    { header: 'ACTIVE', value: (a) => (a.reachable === false ? 'unreachable' : String(a.active)) },
    { header: 'CPUS', value: (a) => `${num(a.cpus.used)}/${num(a.cpus.total)}` },
    { header: 'MEM(MB)', value: (a) => `${num(a.mem.used)}/${num(a.mem.total)}` },
    { header: 'PORTS USED', value: (a) => `${a.ports.used}/${a.ports.total}` },
    { header: 'PORTS FREE', value: (a) => a.ports.free },
    { header: 'K8SM EXECUTOR', value: (a) => (a.k8smExecutors.length ? 'yes' : 'no') },
    { header: 'K8SM TASKS', value: (a) => a.k8smTasks },
    { header: 'ATTRIBUTES', value: (a) => a.attributes },
    { header: 'ID', value: (a) => a.id, wide: true },
    { header: 'OFFERED PORTS', value: (a) => a.ports.offered, wide: true },
    { header: 'FREE RANGES', value: (a) => a.ports.freeRanges, wide: true },
    { header: 'SHUTDOWN GRACE', value: (a) => a.shutdownGrace, wide: true },
  ],
  name: (a) => `agent/${a.name}`,
  toJSON: (a) => agentDocument(a.agent),
};
