import { field, section, table, type DescribeEntry } from '../describe.js';
import type { AgentDescription } from '../../core/views/agent-description.js';
import type { Resources } from '../../core/mesos/snapshot.js';
import { countPorts, formatPortRanges } from '../../core/ports/port-range.js';
import { formatPortList } from './task-table.js';
import { ANY_ROLE } from '../../core/mesos/resources.js';

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, ''));

function resourceRows(total: Resources, used: Resources, offered: Resources, free: Resources): string[][] {
  const row = (name: string, t: number, u: number, o: number, f: number) => [name, num(t), num(u), num(o), num(f)];
  return [
    row('cpus', total.cpus, used.cpus, offered.cpus, free.cpus),
    row('mem (MB)', total.mem, used.mem, offered.mem, free.mem),
    row('disk (MB)', total.disk, used.disk, offered.disk, free.disk),
    row('gpus', total.gpus, used.gpus, offered.gpus, free.gpus),
    row('ports', countPorts(total.ports), countPorts(used.ports), countPorts(offered.ports), countPorts(free.ports)),
  ];
}

function when(seconds: number | undefined): string | undefined {
  return seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();
}

/** `k8smctl describe agent NAME`, kubectl describe style. */
export function agentDescribeEntries(d: AgentDescription): DescribeEntry[] {
  const a = d.agent;
  const reachable = a.detail ? (a.detail.reachable ? 'yes' : `no (${a.detail.error ?? 'no answer'})`) : 'not asked';
  const entries: DescribeEntry[] = [
    field('Name', a.hostname),
    field('ID', a.id),
    field('PID', a.pid),
    field('Version', a.version),
    field('Active', String(a.active)),
    field('Reachable', reachable),
    field('Registered', when(a.registeredTime)),
    section(
      'Attributes',
      Object.keys(a.attributes)
        .sort()
        .map((k) => field(k, String(a.attributes[k]))),
    ),
    ...(a.usedFromTasks
      ? [field('Used Resources', 'summed from the tasks and executors the master lists (this master reports no used_resources: Mesos before 0.23)')]
      : []),
    table('Resources', ['RESOURCE', 'TOTAL', 'USED', 'OFFERED', 'FREE'], resourceRows(a.total, a.used, a.offered, a.free), [
      undefined,
      'right',
      'right',
      'right',
      'right',
    ]),
    table(
      'Reserved',
      ['ROLE', 'CPUS', 'MEM(MB)', 'PORTS'],
      Object.keys(a.reserved)
        .sort()
        .map((role) => {
          const r = a.reserved[role]!;
          return [role, num(r.cpus), num(r.mem), formatPortRanges(r.ports)];
        }),
    ),
    section('Ports', [
      field(
        'Offered',
        Object.keys(a.portsByRole)
          .sort()
          .map((role) => `${formatPortRanges(a.portsByRole[role]!)} (${role === ANY_ROLE ? 'unreserved' : `reserved to ${role}`})`),
      ),
      field('Free', `${formatPortRanges(a.free.ports)} (${countPorts(a.free.ports)} ports)`),
      table(
        'Map',
        ['PORTS', 'STATE', 'TASK', 'POD/NAME', 'FRAMEWORK'],
        d.portMap.map((s) => [
          s.range.begin === s.range.end ? String(s.range.begin) : `${s.range.begin}-${s.range.end}`,
          s.state,
          s.taskId ?? (s.state === 'used' ? '(not in this snapshot)' : ''),
          s.taskName ?? '',
          s.framework ?? '',
        ]),
      ),
    ]),
    table(
      'k8sm Executors',
      ['ID', 'FRAMEWORK', 'CONTAINER', 'TASKS', 'SANDBOX'],
      d.executors
        .filter((e) => e.isK8sm)
        .map((e) => [e.id, d.frameworkNames[e.frameworkId] ?? e.frameworkId, e.container ?? '', e.taskIds.length, e.directory ?? '']),
    ),
    table(
      'Tasks',
      ['ID', 'NAME', 'FRAMEWORK', 'STATE', 'CPUS', 'MEM(MB)', 'HOST PORTS'],
      d.tasks.map((t) => [t.id, t.name, t.frameworkName, t.state, num(t.resources.cpus), num(t.resources.mem), formatPortList(expand(t.resources.ports))]),
    ),
    section(
      'Flags',
      d.flags.map(([k, v]) => field(k, v)),
    ),
    table(
      'Findings',
      ['SEVERITY', 'RULE', 'MESSAGE'],
      d.findings.map((f) => [f.severity, f.rule, f.message]),
    ),
  ];
  return entries;
}

function expand(ranges: ReadonlyArray<{ begin: number; end: number }>): number[] {
  const out: number[] = [];
  for (const r of ranges) for (let p = r.begin; p <= r.end && out.length < 1024; p++) out.push(p);
  return out;
}
