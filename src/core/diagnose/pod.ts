import { k8smPod, type K8smPod } from '../k8sm/fit.js';
import { ROLES_ANNOTATION } from '../k8sm/keys.js';
import { agentVerdicts, describeGroupAgents, headlineGroups, type AgentReason } from './agents.js';
import { frameworkReason, heldOffersReason } from './cluster-reasons.js';
import { contextOf, eventsOf, eventTimeMs, type Context } from './context.js';
import { count, formatDuration, listNames, timeMs } from './format.js';
import { ANNOTATION, MIRROR_ANNOTATION } from '../k8sm/keys.js';
import { launchFindings } from './launched.js';
import type { AgentVerdict, DiagnoseSettings, DiagnoseSnapshot, EventLine, EventObject, PodDiagnosis, PodObject, Reason, Stage } from './model.js';
import { DIAGNOSE_DEFAULTS } from './model.js';

/**
 * Why one pod is stuck (reference §1.19), or that it is not: pure, from one snapshot. For a pod
 * never launched, every agent's reasons (`fitPodOnAgent` with the agent's free resources), the
 * pod-level and cluster-level causes and the fix; for a launched pod, what Mesos and the apiserver
 * say about its task, executor and containers.
 */

const SCHEDULER_COMPONENT = 'default-scheduler';

function isSchedulerEvent(e: EventObject): boolean {
  const from = e.source?.component ?? e.reportingComponent;
  return from === SCHEDULER_COMPONENT || e.reason === 'FailedScheduling' || e.reason === 'Scheduled';
}

function eventLines(ctx: Context, events: ReadonlyArray<EventObject>): EventLine[] {
  return events.slice(-10).map((e) => ({
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    from: e.source?.component ?? e.reportingComponent ?? '',
    age: formatDuration(Math.max(0, ctx.now - eventTimeMs(e))),
    count: e.count ?? 1,
    message: e.message ?? '',
  }));
}

/** Pod-level reasons: the pod can run nowhere as it is (same rules as validate). */
function podLevelReasons(ctx: Context, kp: K8smPod, name: string): Array<Reason & { short: string }> {
  const out: Array<Reason & { short: string }> = [];
  for (const d of kp.hostPorts.duplicates) {
    const where = d.first.container === d.second.container ? `container ${d.first.container}` : `containers ${d.first.container} and ${d.second.container}`;
    out.push({
      reason: 'duplicate-host-port',
      message: `hostPort ${d.port} is declared twice in the pod (${where}${d.first.protocol !== d.second.protocol ? `, ${d.first.protocol} and ${d.second.protocol}: k8sm keys host ports by number only` : ''}): k8sm's port mapper rejects the pod on every agent`,
      fix: `give every container port of ${name} its own hostPort (or hostPort 0)`,
      short: `hostPort ${d.port} declared twice in the pod`,
    });
  }
  const a = kp.roles.annotation;
  const fw = ctx.scheduler.frameworkRoles.join(',');
  if (a && kp.roles.list.length === 0) {
    if (a.listed.length === 0) {
      out.push({
        reason: 'roles-empty',
        message: `${ROLES_ANNOTATION} is ${JSON.stringify(a.raw)}, which lists no role: k8sm gives the pod no role to take resources from, and never schedules it`,
        fix: `list roles such as "*" or "*,public", or remove the annotation to use the default pod roles (${ctx.scheduler.defaultPodRoles.key})`,
        short: `${ROLES_ANNOTATION} lists no role`,
      });
    } else {
      out.push({
        reason: 'roles-not-in-framework',
        message: `${ROLES_ANNOTATION} lists only roles the framework does not have (${a.dropped.map((r) => `"${r}"`).join(', ')}; framework roles: ${fw}): k8sm drops them all and never schedules the pod`,
        fix: `use roles from the scheduler's --mesos-framework-roles (${fw}), or add the role there (at most two framework roles, one of them '*')`,
        short: `its roles ${a.dropped.join(',')} are not framework roles (${fw})`,
      });
    }
  }
  return out;
}

function agentsOut(
  verdicts: ReadonlyArray<AgentVerdict & { reasons: ReadonlyArray<AgentReason> }>,
  podLevel: ReadonlyArray<Reason & { short: string }>,
): AgentVerdict[] {
  if (podLevel.length === 0) return verdicts as AgentVerdict[];
  const first = podLevel[0]!;
  // A pod that can run nowhere: agents without their own reason show the pod's.
  return verdicts.map((v) =>
    v.reasons.length === 0 || v.reasons[0]!.reason === 'fits'
      ? {
          id: v.id,
          hostname: v.hostname,
          reasons: [{ reason: first.reason, message: first.message, ...(first.fix ? { fix: first.fix } : {}), short: first.short, group: first.reason }],
        }
      : v,
  );
}

function unscheduled(
  ctx: Context,
  pod: PodObject,
  stage: Stage,
  base: Omit<PodDiagnosis, 'stage' | 'stuck' | 'summary' | 'reasons' | 'agents'>,
  ageMs: number,
): PodDiagnosis {
  const ns = base.namespace;
  const name = `${base.name} -n ${ns}`;
  const kp = k8smPod(pod, ctx.scheduler);
  const podLevel = podLevelReasons(ctx, kp, name);
  const verdicts = agentVerdicts(ctx, kp);
  const agents = agentsOut(verdicts, podLevel);
  const groups = podLevel.length ? [] : headlineGroups(verdicts);
  const fitting = podLevel.length ? [] : verdicts.filter((v) => v.reasons[0]?.reason === 'fits').map((v) => v.hostname);

  const reasons: Reason[] = podLevel.map(({ short: _s, ...r }) => r);
  const tail: string[] = [];
  const fwReason = frameworkReason(ctx);
  if (fwReason) {
    reasons.push(fwReason);
    tail.push(fwReason.short);
  }
  const schedulerEvents = eventsOf(ctx, pod).filter(isSchedulerEvent);
  if (stage === 'unscheduled' && ctx.snapshot.events !== undefined && schedulerEvents.length === 0 && !fwReason) {
    const sn = pod.spec.schedulerName;
    const other = sn && sn !== SCHEDULER_COMPONENT;
    reasons.push({
      reason: 'scheduler-silent',
      message: `no event from the scheduler about this pod in the ${formatDuration(ageMs)} since it was created${other ? `; its spec.schedulerName is ${sn}, so a scheduler of that name must place it` : ''}: the k8sm scheduler is down, or does not watch this pod`,
      fix: other
        ? `remove spec.schedulerName (or set it to ${SCHEDULER_COMPONENT}) if k8sm should place the pod, or start the scheduler named ${sn}`
        : `check that the k8sm scheduler runs and reaches the apiserver (its log, its --api-servers/--kubeconfig); events expire after the apiserver's --event-ttl (1h by default)`,
    });
    tail.push('no event from the scheduler');
  }
  const held = heldOffersReason(ctx);
  if (held && stage !== 'young') {
    reasons.push(held);
    tail.push(`k8sm holds ${count(ctx.heldOffers.length, 'offer')} past their TTL`);
  }
  if (fitting.length > 0) {
    reasons.push({
      reason: 'fits-somewhere',
      message: `${count(fitting.length, 'agent')} can take the pod now (${listNames(fitting, 5)}): k8sm retries a pod that found no offer after a backoff of up to ${formatDuration(DIAGNOSE_DEFAULTS.maxPodBackoffMs)} (sooner when a fitting offer arrives)`,
      fix: `wait a minute; if the pod stays Pending, look at the scheduler's log at --v=5 for the offers it tried${ctx.heldOffers.length ? ' and see offers-held' : ''}`,
    });
  }
  for (const g of groups) {
    if (g.first.reason === 'fits') continue;
    reasons.push({
      reason: g.first.reason,
      message: `${g.agents.length === 1 ? `agent ${g.agents[0]}` : `${count(g.agents.length, 'agent')} (${describeGroupAgents(g.agents)})`}: ${g.first.message}`,
      ...(g.first.fix ? { fix: g.first.fix } : {}),
    });
  }

  const total = verdicts.length;
  let summary: string;
  if (total === 0) summary = 'no Mesos agent is registered: nothing can run it';
  else if (podLevel.length) summary = `0/${total} agents can run it: ${podLevel.map((r) => r.short).join('; ')}`;
  else {
    const parts = groups.filter((g) => g.first.reason !== 'fits').map((g) => `${g.agents.length} ${g.short}`);
    summary = fitting.length
      ? `${fitting.length}/${total} agents can run it now (${listNames(fitting, 3)})${parts.length ? `; ${parts.join(', ')}` : ''}`
      : `0/${total} agents can run it: ${parts.join(', ')}`;
  }
  if (tail.length) summary += `; ${tail.join('; ')}`;
  if (stage === 'young') summary = `Pending for ${formatDuration(ageMs)} (stuck after ${formatDuration(ctx.settings.stuckAfterMs)}): ${summary}`;
  return { ...base, stage, stuck: stage === 'unscheduled', summary, reasons, agents };
}

export function diagnosePod(pod: PodObject, snapshot: DiagnoseSnapshot, settings: DiagnoseSettings, now: number): PodDiagnosis {
  const ctx = contextOf(snapshot, settings, now);
  const meta = pod.metadata;
  const ann = meta.annotations ?? {};
  const phase = pod.status?.phase ?? 'Unknown';
  const events = eventsOf(ctx, pod);
  const base = {
    namespace: meta.namespace ?? 'default',
    name: meta.name,
    uid: meta.uid ?? '',
    phase,
    evidence: { events: eventLines(ctx, events), containers: [] as string[] },
  };
  const ok = (stage: Stage, summary: string): PodDiagnosis => ({ ...base, stage, stuck: false, summary, reasons: [], agents: [] });
  const host = ann[ANNOTATION.bindingHost];

  if (ann[MIRROR_ANNOTATION] !== undefined)
    return ok(
      'running',
      `a static pod (mirror) run by the kubelet of ${host ?? meta.annotations?.[MIRROR_ANNOTATION] ?? 'its host'}: no Mesos task of its own`,
    );
  if (meta.deletionTimestamp) return ok(host ? 'running' : 'unscheduled', `being deleted since ${meta.deletionTimestamp}`);
  if (phase === 'Succeeded' || phase === 'Failed') return ok(host ? 'running' : 'unscheduled', `completed (phase ${phase})${host ? ` on ${host}` : ''}`);

  if (host !== undefined) {
    const running = phase === 'Running';
    const lf = launchFindings(ctx, pod, running);
    const evidence = { ...base.evidence, containers: lf.containers, ...(lf.task ? { task: lf.task } : {}) };
    const fw = frameworkReason(ctx);
    const reasons: Reason[] = [...lf.reasons];
    if (fw && lf.broken) reasons.push(fw);
    if (running) {
      if (!lf.broken) return { ...ok('running', `Running on ${host} as task ${lf.task?.id} (${lf.task?.state})`), evidence };
      return { ...base, evidence, stage: 'running', stuck: true, summary: `Running in the apiserver, but ${lf.headline}`, reasons, agents: [] };
    }
    const since = lf.launchedAt ?? timeMs(meta.creationTimestamp) ?? now;
    const stuck = lf.broken || now - since >= settings.stuckAfterMs;
    const summary = lf.broken ? `launched on ${host}, but ${lf.headline}` : (lf.headline ?? `launched on ${host}, not Running`);
    return { ...base, evidence, stage: 'launched', stuck, summary, reasons: stuck ? reasons : [], agents: [] };
  }

  if (phase !== 'Pending') return ok('running', `phase ${phase}; not launched by k8sm (no ${ANNOTATION.bindingHost} annotation)`);
  const created = timeMs(meta.creationTimestamp) ?? now;
  const age = Math.max(0, now - created);
  return unscheduled(ctx, pod, age < settings.stuckAfterMs ? 'young' : 'unscheduled', base, age);
}

/** Whether a pod is stuck without the per-agent work (for picking the pods of `diagnose pod -A`). */
export function needsDiagnosis(pod: PodObject, snapshot: DiagnoseSnapshot, settings: DiagnoseSettings, now: number): boolean {
  const meta = pod.metadata;
  const ann = meta.annotations ?? {};
  if (ann[MIRROR_ANNOTATION] !== undefined || meta.deletionTimestamp) return false;
  const phase = pod.status?.phase ?? 'Unknown';
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (ann[ANNOTATION.bindingHost] === undefined) {
    if (phase !== 'Pending') return false;
    const created = timeMs(meta.creationTimestamp) ?? now;
    return now - created >= settings.stuckAfterMs;
  }
  const ctx = contextOf(snapshot, settings, now);
  if (phase !== 'Running') return true;
  const lf = launchFindings(ctx, pod, true);
  return lf.broken;
}
