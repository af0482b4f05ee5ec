/**
 * Mesos v1 scheduler Call JSON (reference §2.6), without `framework_id` (the session adds it).
 * One small module, to be swapped for src/core/mesos/scheduler-calls.ts once that lands.
 */

type Call = { type: string; [k: string]: unknown };
const id = (value: string): { value: string } => ({ value });

export function acceptCall(offerIds: ReadonlyArray<string>, taskInfos: ReadonlyArray<Record<string, unknown>>, refuseSeconds: number): Call {
  return {
    type: 'ACCEPT',
    accept: {
      offer_ids: offerIds.map(id),
      operations: [{ type: 'LAUNCH', launch: { task_infos: taskInfos } }],
      filters: { refuse_seconds: refuseSeconds },
    },
  };
}

export function declineCall(offerIds: ReadonlyArray<string>, refuseSeconds: number): Call {
  return { type: 'DECLINE', decline: { offer_ids: offerIds.map(id), filters: { refuse_seconds: refuseSeconds } } };
}

export function suppressCall(roles: ReadonlyArray<string> = []): Call {
  return { type: 'SUPPRESS', suppress: { roles: [...roles] } };
}

export function reviveCall(roles: ReadonlyArray<string> = []): Call {
  return { type: 'REVIVE', revive: { roles: [...roles] } };
}

export function killCall(taskId: string, agentId?: string): Call {
  return { type: 'KILL', kill: { task_id: id(taskId), ...(agentId ? { agent_id: id(agentId) } : {}) } };
}

/** Only for a status with a uuid (`shouldAcknowledge`). */
export function acknowledgeCall(agentId: string, taskId: string, uuid: string): Call {
  return { type: 'ACKNOWLEDGE', acknowledge: { agent_id: id(agentId), task_id: id(taskId), uuid } };
}

/** Explicit with tasks, implicit with none. */
export function reconcileCall(tasks: ReadonlyArray<{ taskId: string; agentId?: string }> = []): Call {
  return { type: 'RECONCILE', reconcile: { tasks: tasks.map((t) => ({ task_id: id(t.taskId), ...(t.agentId ? { agent_id: id(t.agentId) } : {}) })) } };
}

export function teardownCall(): Call {
  return { type: 'TEARDOWN' };
}

export function messageCall(agentId: string, executorId: string, data: string): Call {
  return { type: 'MESSAGE', message: { agent_id: id(agentId), executor_id: id(executorId), data: Buffer.from(data, 'utf8').toString('base64') } };
}
