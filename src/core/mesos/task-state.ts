import type { TaskSnapshot } from './snapshot.js';

/**
 * Task states that hold resources: a task is live from staging until a terminal update. The master
 * keeps a task that reached a terminal state (TASK_KILLED, TASK_FINISHED, ...) in its framework's
 * `tasks` list until the status update is acknowledged, but its resources are already free.
 */
const LIVE_TASK_STATES: ReadonlySet<string> = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_UNREACHABLE']);

export function isLiveTaskState(state: string): boolean {
  return LIVE_TASK_STATES.has(state);
}

/** A task of a framework's `tasks` list in a live state. */
export function isLiveTask(t: Pick<TaskSnapshot, 'list' | 'state'>): boolean {
  return t.list === 'tasks' && isLiveTaskState(t.state);
}
