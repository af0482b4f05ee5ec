/**
 * `k8smctl diagnose` output.
 * - text: per pod, shaped like `kubectl describe`: the summary line, the reasons with their fix,
 *   the per-agent reasons grouped (each agent counted once under its first reason, as the summary
 *   counts it, and again under every other reason that blocks it), the evidence (events, the Mesos task and its statuses, the
 *   containers); `wide` adds one row per agent. For `diagnose cluster`, each cause with its fix.
 * - json / yaml: `{"pods":[{namespace,name,uid,phase,stage,summary,reasons,agents}],"cluster":[...]}`
 *   exactly, `agents` listing every agent with its first reason.
 */
import type { AgentVerdict, ClusterCause, PodDiagnosis, Reason } from '../../core/diagnose/model.js';
import type { IOStreams } from '../../lib/io.js';
import { field, formatDescribe, section, table, type DescribeEntry } from '../describe.js';
import { sanitize } from '../text.js';

export type DiagnoseFormat = 'text' | 'wide' | 'json' | 'yaml';

const reasonDoc = (r: Reason) => ({ reason: r.reason, message: r.message, ...(r.fix ? { fix: r.fix } : {}) });

export function podDocument(d: PodDiagnosis) {
  return {
    namespace: d.namespace,
    name: d.name,
    uid: d.uid,
    phase: d.phase,
    stage: d.stage,
    summary: d.summary,
    reasons: d.reasons.map(reasonDoc),
    agents: d.agents.map((a) => ({ id: a.id, hostname: a.hostname, reason: a.reasons[0]?.reason ?? '', message: a.reasons[0]?.message ?? '' })),
  };
}

export function causeDocument(c: ClusterCause) {
  return { reason: c.reason, message: c.message, ...(c.fix ? { fix: c.fix } : {}), ...(c.agent ? { agent: c.agent } : {}) };
}

export function diagnoseDocument(pods: ReadonlyArray<PodDiagnosis>, cluster: ReadonlyArray<ClusterCause>) {
  return { pods: pods.map(podDocument), cluster: cluster.map(causeDocument) };
}

/**
 * JSON written piece by piece (a pod at a time): 1,000 stuck pods on 1,000 agents make a million
 * agent entries, which one JSON.stringify of the whole would hold as one huge string.
 */
function writeJson(io: IOStreams, pods: ReadonlyArray<PodDiagnosis>, cluster: ReadonlyArray<ClusterCause>): void {
  io.out.write('{\n  "pods": [');
  pods.forEach((p, i) => {
    const text = JSON.stringify(podDocument(p), null, 2).replace(/\n/g, '\n    ');
    io.out.write(`${i ? ',' : ''}\n    ${text}`);
  });
  io.out.write(`${pods.length ? '\n  ' : ''}],\n  "cluster": `);
  io.out.write(`${JSON.stringify(cluster.map(causeDocument), null, 2).replace(/\n/g, '\n  ')}\n}\n`);
}

/** `2: a1, a2`, `5: a1, a2, a3, a4, +1`, or `0`. */
function agentCell(agents: ReadonlyArray<string>): string {
  if (agents.length === 0) return '0';
  return `${agents.length}: ${agents.slice(0, 4).join(', ')}${agents.length > 4 ? `, +${agents.length - 4}` : ''}`;
}

/**
 * Every per-agent reason grouped: one row per reason and detail, with the agents whose first reason
 * it is (what the summary and the Reasons count, each agent once) apart from the agents it also
 * blocks behind their first reason (what they hit once the first is fixed).
 */
function agentGroups(agents: ReadonlyArray<AgentVerdict>): Array<[string, string, string, string]> {
  const groups = new Map<string, { reason: string; short: string; first: string[]; also: string[] }>();
  for (const a of agents) {
    a.reasons.forEach((r, i) => {
      const key = `${r.reason}\u0000${r.short}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { reason: r.reason, short: r.short, first: [], also: [] }));
      (i === 0 ? g.first : g.also).push(a.hostname);
    });
  }
  const rows = [...groups.values()].sort(
    (x, y) => (x.reason === 'fits' ? -1 : 0) - (y.reason === 'fits' ? -1 : 0) || y.first.length - x.first.length || y.also.length - x.also.length,
  );
  return rows.map((g) => [g.reason, agentCell(g.first), agentCell(g.also), g.short]);
}

function reasonEntries(reasons: ReadonlyArray<Reason>): DescribeEntry[] {
  return reasons.map((r) => field(r.reason, r.fix ? `${sanitize(r.message)}\nfix: ${sanitize(r.fix)}` : r.message));
}

export function podEntries(d: PodDiagnosis, wide: boolean): DescribeEntry[] {
  const out: DescribeEntry[] = [
    field('Pod', `${d.namespace}/${d.name}`),
    field('Phase', `${d.phase} (${d.stage}${d.stuck ? ', stuck' : ''})`),
    field('Summary', d.summary),
  ];
  if (d.reasons.length) out.push(section('Reasons', reasonEntries(d.reasons)));
  if (d.agents.length) {
    out.push(table('Agents', ['REASON', 'FIRST REASON OF', 'ALSO BLOCKS', 'DETAIL'], agentGroups(d.agents)));
    if (wide) {
      out.push(
        table(
          'Per agent',
          ['AGENT', 'ID', 'REASONS', 'MESSAGE'],
          d.agents.map((a) => [a.hostname, a.id, a.reasons.map((r) => r.reason).join(',') || '<none>', a.reasons[0]?.message ?? '']),
        ),
      );
    }
  }
  const t = d.evidence.task;
  if (t) {
    const entries: DescribeEntry[] = [field('ID', t.id), field('Agent', t.agent), field('State', t.state)];
    if (t.executor) entries.push(field('Executor', t.executor));
    if (t.sandbox) entries.push(field('Sandbox', t.sandbox));
    entries.push(
      table(
        'Statuses',
        ['STATE', 'AT', 'SOURCE', 'REASON', 'MESSAGE'],
        t.statuses.map((s) => [s.state, s.at, s.source ?? '', s.reason ?? '', s.message ?? '']),
      ),
    );
    out.push(section('Mesos task', entries));
  }
  if (d.evidence.containers.length) out.push(field('Containers', [...d.evidence.containers]));
  out.push(
    table(
      'Events',
      ['TYPE', 'REASON', 'AGE', 'FROM', 'MESSAGE'],
      d.evidence.events.map((e) => [e.type, e.reason, e.count > 1 ? `${e.age} (x${e.count})` : e.age, e.from, e.message]),
    ),
  );
  return out;
}

export async function printPods(
  io: IOStreams,
  pods: ReadonlyArray<PodDiagnosis>,
  cluster: ReadonlyArray<ClusterCause>,
  format: DiagnoseFormat,
  empty: string,
): Promise<void> {
  if (format === 'json') return writeJson(io, pods, cluster);
  if (format === 'yaml') return printYaml(io, pods, cluster);
  if (pods.length === 0) io.out.write(`${empty}\n`);
  // One pod at a time: large answers stream out instead of piling up.
  else pods.forEach((p, i) => io.out.write(`${i ? '\n' : ''}${formatDescribe(podEntries(p, format === 'wide'))}`));
  if (cluster.length) io.out.write(`\n${formatCauses(io, cluster)}`);
}

async function printYaml(io: IOStreams, pods: ReadonlyArray<PodDiagnosis>, cluster: ReadonlyArray<ClusterCause>): Promise<void> {
  // Loaded on demand: js-yaml is only needed here.
  const { toYAML } = await import('../yaml.js');
  io.out.write(toYAML(diagnoseDocument(pods, cluster)));
}

/** `ERROR    reason  agent` then the message and the fix, indented. */
export function formatCauses(io: IOStreams, causes: ReadonlyArray<ClusterCause>): string {
  let out = '';
  for (const c of causes) {
    const sev = c.severity === 'error' ? io.chalk.red('ERROR  ') : io.chalk.yellow('WARNING');
    out += `${sev}  ${io.chalk.bold(c.reason)}${c.agent ? `  (agent ${sanitize(c.agent)})` : ''}\n`;
    out += `         ${sanitize(c.message)}\n`;
    if (c.fix) out += `         fix: ${sanitize(c.fix)}\n`;
  }
  return out;
}

export async function printCluster(io: IOStreams, causes: ReadonlyArray<ClusterCause>, format: DiagnoseFormat, healthy: string): Promise<void> {
  if (format === 'json') {
    io.out.write(`${JSON.stringify(diagnoseDocument([], causes), null, 2)}\n`);
    return;
  }
  if (format === 'yaml') return printYaml(io, [], causes);
  if (causes.length === 0) {
    io.out.write(`${healthy}\n`);
    return;
  }
  const errors = causes.filter((c) => c.severity === 'error').length;
  const warnings = causes.length - errors;
  io.out.write(formatCauses(io, causes));
  io.out.write(`\n${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.\n`);
}
