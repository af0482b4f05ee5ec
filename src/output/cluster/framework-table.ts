import type { TableSpec } from '../objects.js';
import type { FrameworkSnapshot } from '../../core/mesos/snapshot.js';
import { formatDuration } from '../../lib/duration.js';

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, ''));

export const FRAMEWORK_TABLE: TableSpec<FrameworkSnapshot> = {
  columns: [
    { header: 'NAME', value: (f) => f.name },
    { header: 'ID', value: (f) => f.id },
    { header: 'ACTIVE', value: (f) => (f.completed ? 'completed' : String(f.active)) },
    // Masters before 1.2 do not say: unknown is not false.
    { header: 'CONNECTED', value: (f) => (f.connected === undefined ? '<unknown>' : f.connected) },
    { header: 'ROLES', value: (f) => f.roles.join(',') },
    { header: 'TASKS', value: (f) => f.taskCount },
    { header: 'CPUS', value: (f) => num(f.used.cpus) },
    { header: 'MEM(MB)', value: (f) => num(f.used.mem) },
    { header: 'K8SM', value: (f) => (f.isK8sm ? 'yes' : 'no') },
    { header: 'OFFERS', value: (f) => f.offerCount, wide: true },
    { header: 'PRINCIPAL', value: (f) => f.principal, wide: true },
    { header: 'USER', value: (f) => f.user, wide: true },
    { header: 'HOSTNAME', value: (f) => f.hostname, wide: true },
    { header: 'FAILOVER TIMEOUT', value: (f) => (f.failoverTimeout === undefined ? undefined : formatDuration(f.failoverTimeout * 1000)), wide: true },
    { header: 'WEB UI', value: (f) => f.webuiUrl, wide: true },
  ],
  name: (f) => `framework/${f.id}`,
  toJSON: (f) => ({ kind: 'MesosFramework', apiVersion: 'k8smctl/v1', ...f }),
};
