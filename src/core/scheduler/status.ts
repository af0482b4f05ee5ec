import { needsAcknowledge } from '../mesos/scheduler-calls.js';

/**
 * What the scheduler does with a task status update (reference §1.11, KMF `framework.go:StatusUpdate`),
 * and the acknowledgement rule of the v1 API (§2.6): acknowledge every status that carries a `uuid`,
 * never one without (master reconciliation answers have none).
 */

export interface TaskStatusLike {
  readonly state: string;
  readonly source?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly uuid?: string;
}

/** The scheduler's record of a task it launched (k8sm's registry: Pending+Launched, Bound, Running). */
export interface TaskRecordLike {
  /** launched: sent, no status yet; bound: TASK_STARTING (the executor bound the pod); running: TASK_RUNNING. */
  readonly phase: 'launched' | 'bound' | 'running';
  /** The pod was deleted and a KILL sent (k8sm's Deleted flag). */
  readonly deleted: boolean;
}

export interface StatusDecision {
  /** Send ACKNOWLEDGE (the status has a uuid). */
  readonly ack: boolean;
  /** The task's new phase, `forget` to drop it from the registry, `keep` for no change. */
  readonly next: 'keep' | 'bound' | 'running' | 'forget';
  /** KILL the task (unknown to the scheduler and not adoptable). */
  readonly kill?: boolean;
  /** Adopt an unknown live task whose pod names it (recovery). */
  readonly adopt?: boolean;
  /** Delete the pod with grace 0 ("deleting rogue pod"): a controller recreates it. */
  readonly deletePod?: boolean;
  /** The launch failed before the pod was bound: schedule the pod again (if it still exists unbound). */
  readonly requeue?: boolean;
  /** Ask Mesos for an explicit reconciliation of the task. */
  readonly reconcile?: boolean;
  /** Tell the executor `task-lost:<taskId>` (framework message). */
  readonly tellExecutorLost?: boolean;
}

const src = (s: string | undefined): string => (s ?? '').replace(/^SOURCE_/, '').replace('SLAVE', 'AGENT');
const reason = (r: string | undefined): string => (r ?? '').replace(/^REASON_/, '').replace('SLAVE_', 'AGENT_');

/** The v1 rule, from core/mesos/scheduler-calls (one copy). */
export function shouldAcknowledge(status: Pick<TaskStatusLike, 'uuid'>): boolean {
  return needsAcknowledge({ task_id: { value: '' }, ...(status.uuid !== undefined ? { uuid: status.uuid } : {}) });
}

const TERMINAL_LOST = new Set(['TASK_LOST', 'TASK_KILLED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNREACHABLE', 'TASK_UNKNOWN', 'TASK_DROPPED']);
const TERMINAL_FAILED = new Set(['TASK_FAILED', 'TASK_ERROR']);

/** Whether a TASK_LOST/KILLED means the pod is rogue and k8sm deletes it (§1.11). */
function rogue(s: TaskStatusLike, task: TaskRecordLike): boolean {
  const source = src(s.source);
  const r = reason(s.reason);
  if (source === 'MASTER' && r === 'RECONCILIATION') return true;
  if (source === 'AGENT' && (r === 'EXECUTOR_TERMINATED' || r === 'EXECUTOR_UNREGISTERED')) return true;
  if (source === 'EXECUTOR' && (s.message === 'containers-disappeared' || s.message === 'kubelet-pod-launch-failed')) return true;
  if (source === 'EXECUTOR' && s.message === 'task-killed' && !task.deleted) return true;
  return false;
}

/**
 * `podNamesTask`: a pod whose `taskId` annotation is this task exists (an unknown live task can be
 * adopted). `task`: the scheduler's record, undefined when it does not know the task.
 */
export function decideStatus(s: TaskStatusLike, task: TaskRecordLike | undefined, podNamesTask: boolean): StatusDecision {
  const ack = shouldAcknowledge(s);
  const st = s.state;
  if (task === undefined) {
    if (st === 'TASK_STAGING' || st === 'TASK_STARTING' || st === 'TASK_RUNNING') {
      if (podNamesTask) return { ack, next: st === 'TASK_RUNNING' ? 'running' : 'bound', adopt: true };
      if (st === 'TASK_STAGING' && src(s.source) === 'MASTER' && reason(s.reason) === 'RECONCILIATION') return { ack, next: 'keep' };
      return { ack, next: 'keep', kill: true };
    }
    return { ack, next: 'keep' };
  }
  switch (st) {
    case 'TASK_STAGING':
    case 'TASK_KILLING':
      return { ack, next: 'keep' };
    case 'TASK_STARTING':
      return { ack, next: task.phase === 'launched' ? 'bound' : 'keep' };
    case 'TASK_RUNNING':
      return { ack, next: 'running' };
    case 'TASK_FINISHED':
      return { ack, next: 'forget' };
  }
  if (TERMINAL_FAILED.has(st)) return { ack, next: 'forget', ...(task.phase === 'launched' && !task.deleted ? { requeue: true } : {}) };
  if (TERMINAL_LOST.has(st)) {
    if (st === 'TASK_DROPPED' && task.phase === 'launched' && !task.deleted) return { ack, next: 'forget', requeue: true };
    if (rogue(s, task)) return { ack, next: 'forget', deletePod: true };
    const r = reason(s.reason);
    if (r === 'EXECUTOR_TERMINATED' || r === 'EXECUTOR_UNREGISTERED') return { ack, next: 'forget', reconcile: true };
    if (st === 'TASK_LOST' && task.phase === 'running') return { ack, next: 'forget', tellExecutorLost: true };
    if (task.phase === 'launched' && !task.deleted) return { ack, next: 'forget', requeue: true };
    return { ack, next: 'forget' };
  }
  return { ack, next: 'keep' };
}
