/**
 * `get orphans` and `delete orphans` output: the container table (class, proof, age, host ports),
 * the Mesos-level leftovers, the plan and the closing table of what was done.
 */
import { describeEvidence, type Classification, type MesosLeftovers, type PlanItem } from '../../core/orphans/index.js';
import { formatDuration } from '../../lib/duration.js';
import type { IOStreams } from '../../lib/io.js';
import { formatPortList } from '../cluster/task-table.js';
import type { ObjectFormat } from '../objects.js';
import { formatTable, type CellValue } from '../table.js';
import { countOf } from '../text.js';

/** kubectl's short age: 45s, 12m, 5h, 3d. */
export function shortAge(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '<unknown>';
  const s = Math.max(0, Math.floor(seconds));
  if (s < 120) return `${s}s`;
  if (s < 2 * 3600) return `${Math.floor(s / 60)}m`;
  if (s < 2 * 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

const podName = (c: { pod?: { namespace: string; name: string } }) => (c.pod ? `${c.pod.namespace}/${c.pod.name}` : '');

/** An engine or agent that could not be read. */
export interface UnreadableAgent {
  agent: string;
  agentId: string;
  endpoint?: string;
  /** `engine` (Docker) or `agent-state` (its Mesos /state). */
  what: 'engine' | 'agent-state';
  error: string;
}

/** Agents with anything unreadable (an agent whose state and engine both failed is one agent). */
export function unreadableAgentCount(unreadable: ReadonlyArray<UnreadableAgent>): number {
  return new Set(unreadable.map((u) => u.agentId)).size;
}

export interface OrphanReport {
  classified: ReadonlyArray<Classification>;
  unreadable: ReadonlyArray<UnreadableAgent>;
  /** What stderr says when no container is listed (default `No kubelet containers found.`). */
  emptyMessage?: string;
  leftovers: MesosLeftovers;
  /** Unix seconds, for ages. */
  now: number;
  /** Agent id → hostname, for the leftover tasks. */
  hostnames?: ReadonlyMap<string, string>;
}

function containerRow(c: Classification, now: number, wide: boolean): CellValue[] {
  const row: CellValue[] = [
    c.hostname,
    c.container.id.slice(0, 12),
    c.container.name,
    podName(c),
    c.marker ?? '',
    c.class,
    c.reason,
    shortAge(c.container.created !== undefined ? now - c.container.created : undefined),
    c.container.state,
    formatPortList(c.hostPorts),
  ];
  if (wide) row.push(c.evidence.map(describeEvidence).join('; '), `${c.gracePeriodSeconds}s`);
  return row;
}

export function containerDocument(c: Classification, now: number) {
  return {
    agent: c.hostname,
    agentId: c.agentId,
    containerId: c.container.id,
    containerName: c.container.name,
    pod: c.pod ?? null,
    executorContainer: c.marker ?? null,
    class: c.class,
    reason: c.reason,
    unprovenReason: c.unprovenReason ?? null,
    executorId: c.executorId ?? null,
    evidence: c.evidence,
    created: c.container.created ?? null,
    ageSeconds: c.container.created !== undefined ? Math.max(0, Math.floor(now - c.container.created)) : null,
    state: c.container.state,
    hostPorts: c.hostPorts,
    gracePeriodSeconds: c.gracePeriodSeconds,
  };
}

export function reportDocument(r: OrphanReport) {
  const count = (k: string) => r.classified.filter((c) => c.class === k).length;
  return {
    kind: 'OrphanReport',
    apiVersion: 'k8smctl/v1',
    summary: { orphan: count('orphan'), live: count('live'), unproven: count('unproven'), unreadableAgents: unreadableAgentCount(r.unreadable) },
    containers: r.classified.map((c) => containerDocument(c, r.now)),
    unreadable: r.unreadable,
    leftovers: r.leftovers,
  };
}

function leftoverLines(l: MesosLeftovers, hostnames: ReadonlyMap<string, string> = new Map()): string[] {
  const lines: string[] = [];
  const agent = (id: string) => hostnames.get(id) ?? id;
  for (const f of l.frameworks) {
    const state = !f.active ? 'inactive' : 'disconnected';
    const left =
      f.failoverRemainingSeconds !== undefined
        ? `; the master tears it down in ${formatDuration(f.failoverRemainingSeconds * 1000)} (failover timeout ${formatDuration((f.failoverTimeoutSeconds ?? 0) * 1000)})`
        : f.failoverTimeoutSeconds !== undefined
          ? `; failover timeout ${formatDuration(f.failoverTimeoutSeconds * 1000)}`
          : '';
    lines.push(
      `framework ${f.name} (${f.id}) is ${state} with ${countOf(f.tasks, 'task')} still running${left}; 'k8smctl delete framework ${f.id}' tears it down`,
    );
  }
  for (const t of l.tasksWithoutFramework)
    lines.push(`task ${t.taskId} (${t.name}) is ${t.state} on agent ${agent(t.agentId)} but its framework ${t.frameworkId} is gone`);
  for (const t of l.tasksWithoutPod) {
    lines.push(
      `k8sm task ${t.taskId} is ${t.state} on agent ${agent(t.agentId)} but its pod ${t.pod ? `${t.pod.namespace}/${t.pod.name}` : t.name} no longer exists`,
    );
  }
  return lines;
}

/** `get orphans` output: the table (or the document), the leftovers section, unreadable agents on stderr. */
export async function printReport(r: OrphanReport, format: ObjectFormat, io: IOStreams, noHeaders: boolean): Promise<void> {
  if (format === 'json' || format === 'yaml') {
    const doc = reportDocument(r);
    if (format === 'json') io.out.write(JSON.stringify(doc, null, 2) + '\n');
    else io.out.write((await import('../yaml.js')).toYAML(doc));
    return;
  }
  if (format === 'name') {
    for (const c of r.classified) io.out.write(`container/${c.container.id.slice(0, 12)}\n`);
    return;
  }
  const wide = format === 'wide';
  if (r.classified.length) {
    const headers = ['AGENT', 'CONTAINER', 'NAME', 'POD', 'EXECUTOR CONTAINER', 'CLASS', 'REASON', 'AGE', 'STATE', 'HOST PORTS'];
    if (wide) headers.push('EVIDENCE', 'GRACE');
    io.out.write(
      formatTable(
        r.classified.map((c) => containerRow(c, r.now, wide)),
        { headers: noHeaders ? [] : headers },
      ),
    );
  } else io.err.write(`${r.emptyMessage ?? 'No kubelet containers found.'}\n`);
  const lines = leftoverLines(r.leftovers, r.hostnames);
  if (lines.length) {
    io.out.write(`\nMesos-level leftovers:\n`);
    for (const l of lines) io.out.write(`  ${l}\n`);
  }
}

/** The plan of `delete orphans`, with the proof of each. */
export function printPlan(plan: ReadonlyArray<PlanItem>, io: IOStreams, keepStopped: boolean): void {
  const verb = keepStopped ? 'stop' : 'stop and remove';
  io.out.write(`Will ${verb} ${countOf(plan.length, 'orphaned container')}:\n`);
  io.out.write(
    formatTable(
      plan.map((p) => [p.hostname, p.containerId.slice(0, 12), p.containerName, podName(p), p.marker, `${p.gracePeriodSeconds}s`, p.proof]),
      { headers: ['AGENT', 'CONTAINER', 'NAME', 'POD', 'EXECUTOR CONTAINER', 'GRACE', 'PROOF'] },
    ),
  );
}

/** What happened to one planned container. */
export interface ActionResult {
  item: PlanItem;
  /** removed, stopped (--keep-stopped), gone (vanished on its own), skipped (reverify), failed. */
  result: 'removed' | 'stopped' | 'gone' | 'skipped' | 'failed';
  detail: string;
}

export function printResults(results: ReadonlyArray<ActionResult>, io: IOStreams): void {
  if (!results.length) return;
  io.out.write(
    formatTable(
      results.map((r) => [r.item.hostname, r.item.containerId.slice(0, 12), r.item.containerName, podName(r.item), r.result, r.detail]),
      { headers: ['AGENT', 'CONTAINER', 'NAME', 'POD', 'RESULT', 'DETAIL'] },
    ),
  );
}
