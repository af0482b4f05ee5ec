/**
 * Task reconciliation as Mesos documents it and k8sm does it (reference §1.12, §2.6): on every
 * (re)subscription an explicit RECONCILE of every task the scheduler knows, sent again with backoff
 * (1 s doubling up to k8sm's `explicit-reconciliation-max-backoff`, 2 min) for the tasks that have
 * not answered; an implicit RECONCILE (no tasks: Mesos answers for all of the framework's) first
 * 15 s after the first subscription and then every --reconcile-interval, skipped while an explicit
 * one is still waiting for answers. Pure: the loop keeps the state and sends the calls.
 */

export const RECONCILE_INITIAL_BACKOFF_MS = 1_000;
export const RECONCILE_MAX_BACKOFF_MS = 120_000;
/** The implicit reconciliation's first run after the first subscription (k8sm: 15 s). */
export const IMPLICIT_FIRST_DELAY_MS = 15_000;

export interface ReconcileTask {
  readonly taskId: string;
  readonly agentId?: string;
}

export interface ExplicitReconciliation {
  /** Tasks that have not answered yet, by task id. */
  readonly waiting: ReadonlyMap<string, ReconcileTask>;
  readonly delayMs: number;
  /** When the waiting tasks are asked again. */
  readonly nextAt: number;
  /** How many times the request was sent. */
  readonly rounds: number;
}

/** The explicit reconciliation of `tasks`, sent at `now`; undefined when there is nothing to ask. */
export function startExplicit(tasks: ReadonlyArray<ReconcileTask>, now: number): ExplicitReconciliation | undefined {
  if (tasks.length === 0) return undefined;
  const waiting = new Map<string, ReconcileTask>();
  for (const t of tasks) waiting.set(t.taskId, t);
  return { waiting, delayMs: RECONCILE_INITIAL_BACKOFF_MS, nextAt: now + RECONCILE_INITIAL_BACKOFF_MS, rounds: 1 };
}

/** A status of `taskId` arrived (any source): it has answered. Undefined once every task has. */
export function answered(r: ExplicitReconciliation | undefined, taskId: string): ExplicitReconciliation | undefined {
  if (r === undefined || !r.waiting.has(taskId)) return r;
  const waiting = new Map(r.waiting);
  waiting.delete(taskId);
  return waiting.size === 0 ? undefined : { ...r, waiting };
}

/** The tasks to ask again at `now`, and the state after; undefined when not due. */
export function resendDue(
  r: ExplicitReconciliation | undefined,
  now: number,
): { readonly resend: ReadonlyArray<ReconcileTask>; readonly next: ExplicitReconciliation } | undefined {
  if (r === undefined || now < r.nextAt) return undefined;
  const delayMs = Math.min(r.delayMs * 2, RECONCILE_MAX_BACKOFF_MS);
  return { resend: [...r.waiting.values()], next: { ...r, delayMs, nextAt: now + delayMs, rounds: r.rounds + 1 } };
}

/**
 * Whether the implicit reconciliation runs at `now`: `intervalMs` > 0, no explicit one waiting,
 * and 15 s after the first subscription (`firstSubscribedAt`) for the first, `intervalMs` after
 * the last one (`lastImplicitAt`) for the next.
 */
export function implicitDue(o: {
  readonly now: number;
  readonly intervalMs: number;
  readonly firstSubscribedAt: number | undefined;
  readonly lastImplicitAt: number | undefined;
  readonly explicit: ExplicitReconciliation | undefined;
}): boolean {
  if (o.intervalMs <= 0 || o.firstSubscribedAt === undefined || o.explicit !== undefined) return false;
  if (o.lastImplicitAt === undefined) return o.now >= o.firstSubscribedAt + IMPLICIT_FIRST_DELAY_MS;
  return o.now >= o.lastImplicitAt + o.intervalMs;
}
