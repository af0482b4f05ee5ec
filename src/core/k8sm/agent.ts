import type { PortRange } from '../ports/port-range.js';
import { canonicalRole } from './roles.js';

/**
 * An amount per Mesos role (`*` = unreserved; an empty role counts as `*`), or one figure when the
 * split by role is not known (validate's model from flags, agent totals without reservations): then
 * every role may use all of it.
 */
export type PerRole<T> = { readonly byRole: Readonly<Record<string, T>> } | { readonly anyRole: T };

/**
 * What one agent (or one Mesos offer) has FREE for a pod, as `fitPodOnAgent` reads it.
 * - `diagnose`: the agent's unreserved and reserved resources minus what its tasks use, per role,
 *   with the ports its tasks hold in `portsInUse`; `executorRunning` when a k8sm executor of the
 *   framework runs there.
 * - the scheduler: one offer's resources per role (reservations included); `executorRunning` when
 *   the offer carries an executor ID (reference §1.5 step 4).
 * - validate: an agent's totals (it has no usage), roles known for ports only on a live model.
 */
export interface AgentResources {
  /** Free cpus / memory (MB); absent = unknown, not checked. */
  readonly cpus?: PerRole<number>;
  readonly mem?: PerRole<number>;
  /** Free `ports` ranges (what an offer would carry). */
  readonly ports: PerRole<ReadonlyArray<PortRange>>;
  /** Ports the agent has but running tasks hold: a hostPort there is "in use", not "not offered". */
  readonly portsInUse?: PerRole<ReadonlyArray<PortRange>>;
  /** A k8sm executor of this framework already runs there: its overhead is not charged again (§1.5 step 4). */
  readonly executorRunning: boolean;
  /** The agent's Node as k8sm registered it, for `spec.nodeName` / `spec.nodeSelector` (§1.5 step 1, §1.8); absent = not checked. */
  readonly node?: { readonly hostname: string; readonly labels: Readonly<Record<string, string>> };
}

/** The amount one role has (the empty role read as `*`); the whole figure when the split is unknown. */
export function amountOf(x: PerRole<number>, role: string): number {
  if ('anyRole' in x) return x.anyRole;
  let n = x.byRole[role] ?? 0;
  if (role === '*') n += x.byRole[''] ?? 0;
  return n;
}

/** The entries of a per-role value with canonical roles (`''` merged into `*` by `merge`). */
export function rolesOf<T>(x: { readonly byRole: Readonly<Record<string, T>> }, merge: (a: T, b: T) => T): Map<string, T> {
  const out = new Map<string, T>();
  for (const role in x.byRole) {
    const c = canonicalRole(role);
    const v = x.byRole[role]!;
    const had = out.get(c);
    out.set(c, had === undefined ? v : merge(had, v));
  }
  return out;
}
