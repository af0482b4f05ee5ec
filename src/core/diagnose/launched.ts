import type { TaskSnapshot, TaskStatusSnapshot } from '../mesos/snapshot.js';
import { isLiveTaskState } from '../mesos/task-state.js';
import { ANNOTATION } from '../k8sm/keys.js';
import { executorKey, type Context } from './context.js';
import { formatDuration, isoOfSeconds, timeMs } from './format.js';
import type { ContainerStatusObject, PodObject, Reason, StatusLine } from './model.js';

/**
 * A pod k8sm launched (it has `k8s.mesosphere.io/bindingHost`) that is not Running, or is Running
 * while its Mesos task is not: what Mesos and the apiserver say about it (reference §1.10 step 4,
 * §1.11, §1.19 item 3).
 */

export type LaunchReasonId =
  | 'task-missing'
  | 'task-failed'
  | 'task-lost'
  | 'task-killed'
  | 'task-error'
  | 'executor-gone'
  | 'agent-not-answering'
  | 'container-waiting'
  | 'launch-grace-expiring';

export interface LaunchFindings {
  reasons: Array<Reason & { reason: LaunchReasonId }>;
  /** The headline for the summary. */
  headline?: string;
  task?: { id: string; agent: string; state: string; executor?: string; sandbox?: string; statuses: StatusLine[] };
  containers: string[];
  /** The task is gone or terminal, or its executor is: the pod will not run as it is. */
  broken: boolean;
  /** When the task was launched (ms), for the launch grace and the stuck-after check. */
  launchedAt?: number;
}

function terminalId(state: string): LaunchReasonId {
  switch (state) {
    case 'TASK_FAILED':
    case 'TASK_FINISHED':
      return 'task-failed';
    case 'TASK_KILLED':
      return 'task-killed';
    case 'TASK_ERROR':
      return 'task-error';
    default:
      return 'task-lost'; // TASK_LOST, TASK_DROPPED, TASK_GONE, TASK_GONE_BY_OPERATOR, TASK_UNREACHABLE, TASK_UNKNOWN
  }
}

function statusText(s: TaskStatusSnapshot): string {
  const parts: string[] = [];
  if (s.message) parts.push(s.message);
  const meta = [s.source ? `source ${s.source}` : '', s.reason ? `reason ${s.reason}` : ''].filter(Boolean).join(', ');
  if (meta) parts.push(`(${meta})`);
  return parts.join(' ');
}

/** What to do about a task that ended, by what its last status says (§1.11 executor messages). */
function terminalFix(pod: string, host: string, s: TaskStatusSnapshot | undefined): string {
  const m = s?.message ?? '';
  const recreate = `delete the pod (kubectl delete pod ${pod}) so that its controller creates a new one: k8sm does not reschedule a launched pod`;
  if (m === 'create-binding-failure' || /binding/i.test(m))
    return `the executor on ${host} could not bind the pod in the apiserver: check that the agent reaches the apiserver and the executor's credentials; then ${recreate}`;
  if (m === 'kubelet-pod-launch-failed')
    return `the kubelet on ${host} could not start the pod (see the container statuses, and 'docker ps -a --filter name=k8s_' on the agent); then ${recreate}`;
  if (m === 'unmarshal-task-data-failure' || m === 'launch-task-failed')
    return `the executor on ${host} could not read the task (a scheduler/executor version mismatch?); then ${recreate}`;
  if (s?.reason === 'REASON_EXECUTOR_TERMINATED' || s?.reason === 'REASON_AGENT_REMOVED' || s?.reason === 'REASON_AGENT_RESTARTED')
    return `the executor or agent ${host} went away; ${recreate}`;
  return recreate;
}

function statusLines(t: TaskSnapshot): StatusLine[] {
  return t.statuses.slice(-5).map((s) => ({
    state: s.state,
    at: s.timestamp !== undefined ? isoOfSeconds(s.timestamp) : '',
    ...(s.source ? { source: s.source } : {}),
    ...(s.reason ? { reason: s.reason } : {}),
    ...(s.message ? { message: s.message } : {}),
  }));
}

/** Container lines like `kubectl describe` shows them, and the waiting/failing ones as reasons. */
function containerFindings(pod: PodObject, name: string): { lines: string[]; reasons: LaunchFindings['reasons']; headline?: string } {
  const lines: string[] = [];
  const reasons: LaunchFindings['reasons'] = [];
  let headline: string | undefined;
  for (const c of pod.status?.containerStatuses ?? ([] as ContainerStatusObject[])) {
    const restarts = c.restartCount ?? 0;
    const w = c.state?.waiting;
    const t = c.state?.terminated;
    const last = c.lastState?.terminated;
    let line = `${c.name}: `;
    if (w) line += `Waiting (${w.reason ?? 'unknown'})${w.message ? `: ${w.message}` : ''}`;
    else if (t) line += `Terminated (${t.reason ?? 'unknown'}, exit code ${t.exitCode ?? '?'})${t.message ? `: ${t.message}` : ''}`;
    else if (c.state?.running) line += `Running since ${c.state.running.startedAt ?? '?'}`;
    else line += 'no state';
    line += `, ready ${c.ready ? 'true' : 'false'}, restarts ${restarts}`;
    if (last) line += `; last terminated (${last.reason ?? 'unknown'}, exit code ${last.exitCode ?? '?'})${last.message ? `: ${last.message}` : ''}`;
    lines.push(line);
    if (!w && !(t && !c.ready)) continue;
    const why = w ? `${w.reason ?? 'waiting'}${w.message ? `: ${w.message}` : ''}` : `terminated: ${t!.reason ?? 'unknown'} (exit code ${t!.exitCode ?? '?'})`;
    const pull = /ImagePull|ErrImage|InvalidImageName/.test(w?.reason ?? '');
    const crash = /CrashLoop/.test(w?.reason ?? '') || (t !== undefined && !c.ready) || restarts > 0;
    const lastText = last ? `; last run ended ${last.reason ?? ''} with exit code ${last.exitCode ?? '?'}${last.message ? ` (${last.message})` : ''}` : '';
    reasons.push({
      reason: 'container-waiting',
      message: `container ${c.name} is ${w ? 'waiting' : 'not running'}: ${why}, restarts ${restarts}${lastText}`,
      fix: pull
        ? `check the image name and tag of container ${c.name} and that the agent can pull it (registry reachable, credentials in imagePullSecrets)`
        : crash
          ? `read why it exits: kubectl logs ${name} -c ${c.name} --previous`
          : `see the pod's events (kubectl describe pod ${name})`,
    });
    headline ??= `container ${c.name} ${w ? `waiting (${w.reason ?? 'unknown'})` : `terminated (${t!.reason ?? 'unknown'})`}`;
  }
  return { lines, reasons, ...(headline ? { headline } : {}) };
}

export function launchFindings(ctx: Context, pod: PodObject, running: boolean): LaunchFindings {
  const ns = pod.metadata.namespace ?? 'default';
  const name = `${pod.metadata.name} -n ${ns}`;
  const ann = pod.metadata.annotations ?? {};
  const host = ann[ANNOTATION.bindingHost] ?? '';
  const taskId = ann[ANNOTATION.taskId];
  const agent = ctx.agentByHostname.get(host);
  const out: LaunchFindings = { reasons: [], containers: [], broken: false };
  const containers = containerFindings(pod, name);
  out.containers = containers.lines;

  const task = taskId ? ctx.tasksById.get(taskId) : undefined;
  if (!task) {
    out.broken = true;
    out.reasons.push({
      reason: 'task-missing',
      message: taskId
        ? `the pod's task ${taskId} (annotation ${ANNOTATION.taskId}) on ${host} is unknown to the Mesos master: neither running nor among the completed tasks it remembers`
        : `the pod has ${ANNOTATION.bindingHost}=${host} but no ${ANNOTATION.taskId} annotation: no Mesos task is known for it`,
      fix: `delete the pod (kubectl delete pod ${name}) so that its controller creates a new one: k8sm does not reschedule a launched pod`,
    });
    out.headline = `launched on ${host || '?'}, but its task ${taskId ?? ''} is unknown to Mesos`.replace('task  is', 'task is');
    return out;
  }

  const last = task.statuses[task.statuses.length - 1];
  const first = task.statuses[0];
  if (first?.timestamp !== undefined) out.launchedAt = first.timestamp * 1000;
  const executorId = task.executorId;
  const exec = executorId ? ctx.executorIndex.get(executorKey(task.agentId, executorId)) : undefined;
  out.task = {
    id: task.id,
    agent: agent?.agent.hostname ?? host,
    state: task.state,
    ...(executorId ? { executor: executorId } : {}),
    ...(exec?.directory ? { sandbox: exec.directory } : {}),
    statuses: statusLines(task),
  };

  if (!isLiveTaskState(task.state)) {
    out.broken = true;
    const id = terminalId(task.state);
    const when = last?.timestamp !== undefined ? ` since ${isoOfSeconds(last.timestamp)} (${formatDuration(ctx.now - last.timestamp * 1000)} ago)` : '';
    const detail = last ? statusText(last) : '';
    out.reasons.push({
      reason: id,
      message: `task ${task.id} on ${out.task.agent} is ${task.state}${when}${detail ? `: ${detail}` : ''}`,
      fix: terminalFix(name, out.task.agent, last),
    });
    out.headline = `task ${task.id} on ${out.task.agent} is ${task.state}${last?.message ? ` (${last.message})` : ''}`;
    return out;
  }

  const a = ctx.agentById.get(task.agentId);
  if (a?.agent.detail && !a.agent.detail.reachable) {
    out.broken = true;
    out.reasons.push({
      reason: 'agent-not-answering',
      message: `agent ${a.agent.hostname} did not answer (${a.agent.detail.error ?? 'no answer'}): its executors and containers cannot be checked`,
      fix: `check the agent process on ${a.agent.hostname} and the network to it; run diagnose again`,
    });
    out.headline = `agent ${a.agent.hostname} does not answer`;
  } else if (executorId && !exec) {
    out.broken = true;
    out.reasons.push({
      reason: 'executor-gone',
      message: `task ${task.id} is ${task.state}, but its executor ${executorId} is no longer on agent ${out.task.agent}${a?.agent.detail ? ' (the agent lists no such executor)' : ' (the master lists no such executor)'}`,
      fix: `Mesos reports the task lost once it reconciles; delete the pod (kubectl delete pod ${name}) so that its controller creates a new one`,
    });
    out.headline = `its executor ${executorId} is gone from ${out.task.agent}`;
  }

  if (!running) {
    out.reasons.push(...containers.reasons);
    const launched = out.launchedAt ?? timeMs(pod.metadata.creationTimestamp) ?? ctx.now;
    const elapsed = ctx.now - launched;
    const left = ctx.settings.launchGraceMs - elapsed;
    out.reasons.push({
      reason: 'launch-grace-expiring',
      message:
        left > 0
          ? `launched on ${out.task.agent} ${formatDuration(elapsed)} ago (task ${task.state}) but not Running: the executor deletes a pod that is not Running within --mesos-launch-grace-period (${formatDuration(ctx.settings.launchGraceMs)}): ${formatDuration(left)} left`
          : `launched on ${out.task.agent} ${formatDuration(elapsed)} ago (task ${task.state}) and still not Running, past --mesos-launch-grace-period (${formatDuration(ctx.settings.launchGraceMs)}) by ${formatDuration(-left)}: the executor deletes it`,
      fix: containers.reasons.length
        ? `fix what holds the containers (above) within ${formatDuration(Math.max(0, left))}, or the pod is deleted and must be recreated`
        : `look at the executor's log in the sandbox on ${out.task.agent}${exec?.directory ? ` (${exec.directory}/executor.log)` : ''} and at the pod's events`,
    });
    out.headline ??= `launched on ${out.task.agent} ${formatDuration(elapsed)} ago, not Running${containers.headline ? `: ${containers.headline}` : ''}; ${left > 0 ? `the executor deletes it in ${formatDuration(left)}` : 'past its launch grace period'}`;
  }
  return out;
}
