/**
 * Builders of Mesos v1 scheduler calls (reference §2.6, `mesos.v1.scheduler.Call`) as wire JSON,
 * without `framework_id` (the session adds it). Pure; they check what a master would reject.
 */

type Id = { value: string };
type Json = Record<string, unknown>;

/** A call without its framework id (what `SchedulerSession.call` takes). */
export interface SchedulerCall {
  type: string;
  [k: string]: unknown;
}

/** Mesos caps refuse_seconds at 365 days (`Filters`). */
export const MAX_REFUSE_SECONDS = 365 * 24 * 3600;

function ids(values: ReadonlyArray<string>): Id[] {
  return values.map((value) => ({ value }));
}

function filters(refuseSeconds: number | undefined): { filters?: { refuse_seconds: number } } {
  if (refuseSeconds === undefined) return {};
  if (!Number.isFinite(refuseSeconds) || refuseSeconds < 0) throw new Error(`refuse_seconds must be a non-negative number, not ${refuseSeconds}`);
  return { filters: { refuse_seconds: Math.min(refuseSeconds, MAX_REFUSE_SECONDS) } };
}

/** ACCEPT with one LAUNCH of the given TaskInfos (v1 JSON), on the named offers; unused resources are declined for `refuseSeconds`. */
export function acceptCall(offerIds: ReadonlyArray<string>, taskInfos: ReadonlyArray<Json>, refuseSeconds?: number): SchedulerCall {
  if (offerIds.length === 0) throw new Error('ACCEPT needs at least one offer id');
  const operations = taskInfos.length ? [{ type: 'LAUNCH', launch: { task_infos: [...taskInfos] } }] : [];
  return { type: 'ACCEPT', accept: { offer_ids: ids(offerIds), operations, ...filters(refuseSeconds) } };
}

/** ACCEPT with any operations (LAUNCH, LAUNCH_GROUP, RESERVE…), as given. */
export function acceptOperationsCall(offerIds: ReadonlyArray<string>, operations: ReadonlyArray<Json>, refuseSeconds?: number): SchedulerCall {
  if (offerIds.length === 0) throw new Error('ACCEPT needs at least one offer id');
  return { type: 'ACCEPT', accept: { offer_ids: ids(offerIds), operations: [...operations], ...filters(refuseSeconds) } };
}

/** DECLINE the offers, not to be offered again for `refuseSeconds` (Mesos default 5). */
export function declineCall(offerIds: ReadonlyArray<string>, refuseSeconds?: number): SchedulerCall {
  if (offerIds.length === 0) throw new Error('DECLINE needs at least one offer id');
  return { type: 'DECLINE', decline: { offer_ids: ids(offerIds), ...filters(refuseSeconds) } };
}

/** SUPPRESS offers for these roles (none: every role of the framework). */
export function suppressCall(roles: ReadonlyArray<string> = []): SchedulerCall {
  return roles.length ? { type: 'SUPPRESS', suppress: { roles: [...roles] } } : { type: 'SUPPRESS' };
}

/** REVIVE offers for these roles (none: every role), clearing the filters set by DECLINE. */
export function reviveCall(roles: ReadonlyArray<string> = []): SchedulerCall {
  return roles.length ? { type: 'REVIVE', revive: { roles: [...roles] } } : { type: 'REVIVE' };
}

/** KILL a task (the agent id helps the master find a task it does not know yet). */
export function killCall(taskId: string, agentId?: string, gracePeriodSeconds?: number): SchedulerCall {
  return {
    type: 'KILL',
    kill: {
      task_id: { value: taskId },
      ...(agentId ? { agent_id: { value: agentId } } : {}),
      ...(gracePeriodSeconds !== undefined ? { kill_policy: { grace_period: { nanoseconds: Math.round(gracePeriodSeconds * 1e9) } } } : {}),
    },
  };
}

/** SHUTDOWN an executor on an agent. */
export function shutdownCall(executorId: string, agentId: string): SchedulerCall {
  return { type: 'SHUTDOWN', shutdown: { executor_id: { value: executorId }, agent_id: { value: agentId } } };
}

/** The parts of a v1 TaskStatus an acknowledgement needs. */
export interface AckableStatus {
  task_id: Id;
  agent_id?: Id;
  uuid?: string;
  state?: string;
  [k: string]: unknown;
}

/** Whether a status must be acknowledged: exactly those with a `uuid` (master reconciliation answers have none). */
export function needsAcknowledge(status: AckableStatus): boolean {
  return typeof status.uuid === 'string' && status.uuid !== '';
}

/** ACKNOWLEDGE a status update. Refuses a status without a uuid or agent id (a master answers 400 to those). */
export function acknowledgeCall(status: AckableStatus): SchedulerCall {
  if (!needsAcknowledge(status))
    throw new Error(`status of task ${status.task_id.value} (${status.state ?? 'no state'}) has no uuid: it must not be acknowledged`);
  if (!status.agent_id?.value) throw new Error(`status of task ${status.task_id.value} has no agent id: it cannot be acknowledged`);
  return { type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: status.agent_id.value }, task_id: { value: status.task_id.value }, uuid: status.uuid } };
}

/** RECONCILE: the named tasks (explicit) or, with none, every task of the framework (implicit). */
export function reconcileCall(tasks: ReadonlyArray<{ taskId: string; agentId?: string }> = []): SchedulerCall {
  return {
    type: 'RECONCILE',
    reconcile: { tasks: tasks.map((t) => ({ task_id: { value: t.taskId }, ...(t.agentId ? { agent_id: { value: t.agentId } } : {}) })) },
  };
}

/** TEARDOWN the framework: the master kills its tasks and executors and forgets it. */
export function teardownCall(): SchedulerCall {
  return { type: 'TEARDOWN' };
}

/** MESSAGE to an executor; `data` is sent base64-encoded. */
export function messageCall(agentId: string, executorId: string, data: Uint8Array | string): SchedulerCall {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return { type: 'MESSAGE', message: { agent_id: { value: agentId }, executor_id: { value: executorId }, data: toBase64(bytes) } };
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
