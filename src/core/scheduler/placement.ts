import { shapeKey } from '../diagnose/agents.js';
import { fitPodOnAgent, type K8smPod, type PodAllocation } from '../k8sm/fit.js';
import { nodeLabelsOf } from '../k8sm/node-labels.js';
import { roundSum } from '../k8sm/resources.js';
import type { K8smScheduler } from '../k8sm/scheduler.js';
import { subtractPorts, type PortRange } from '../ports/port-range.js';
import type { SchedOffer } from './offers.js';

/**
 * Placement (the scheduler's better-than-k8sm part): several pods per offer, all-or-nothing per pod
 * (`fitPodOnAgent` of src/core/k8sm against what is LEFT of the offer), the executor overhead with
 * the static pods charged once per host (on the host's first pod, when no executor of this scheduler
 * runs there), and replicas of one owner spread: each pod goes to the fitting offer whose host has
 * the fewest of its siblings, then one whose executor is already paid for, then the next in turn
 * (the scan starts after the offer the previous pod took, so load goes round the agents). Pods are
 * taken in the order given (oldest first).
 */

export interface PendingPod {
  /** `namespace/name`. */
  readonly key: string;
  /** The pod's controller (its ownerReference with `controller: true`, by uid), for spreading. */
  readonly owner?: string;
  readonly kp: K8smPod;
}

/** What is left of one offer during a cycle. */
export interface OfferLeft {
  readonly offer: SchedOffer;
  cpus: Record<string, number>;
  mem: Record<string, number>;
  ports: Record<string, PortRange[]>;
  /** The executor's overhead is paid on this host (it runs there, or a pod of this cycle pays it). */
  executorRunning: boolean;
}

export interface Placement<P extends PendingPod = PendingPod> {
  readonly pod: P;
  readonly offer: SchedOffer;
  readonly allocation: PodAllocation;
}

export interface PlacementInput {
  readonly scheduler: K8smScheduler;
  /** This scheduler's executor id (an offer listing it: the executor runs there). */
  readonly executorId: string;
  /** Hosts where this scheduler's executor is known to run (launched earlier), besides offers' executor_ids. */
  readonly hostsWithExecutor?: ReadonlySet<string>;
  /** The Node labels of a host (nodeSelector); default: the labels k8sm would write from the offer's attributes. */
  readonly nodeLabels?: (hostname: string) => Readonly<Record<string, string>> | undefined;
  /** Pods of an owner already on a host (launched before this cycle). */
  readonly siblings?: (owner: string, hostname: string) => number;
}

export interface PlacementResult<P extends PendingPod = PendingPod> {
  readonly placements: ReadonlyArray<Placement<P>>;
  readonly unplaced: ReadonlyArray<P>;
  /** What is left of every offer, in input order. */
  readonly left: ReadonlyArray<OfferLeft>;
}

function copyRecord<T>(r: Readonly<Record<string, T>>, f: (v: T) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k in r) out[k] = f(r[k]!);
  return out;
}

export function offerLeft(offer: SchedOffer, executorRunning: boolean): OfferLeft {
  return {
    offer,
    cpus: { ...offer.cpus },
    mem: { ...offer.mem },
    ports: copyRecord(offer.ports as Record<string, PortRange[]>, (v) => [...v]),
    executorRunning,
  };
}

function takeAmounts(into: Record<string, number>, amounts: ReadonlyArray<{ role: string; amount: number }>): void {
  for (const a of amounts) into[a.role] = Math.max(0, roundSum((into[a.role] ?? 0) - a.amount));
}

/** Subtracts a placed pod's allocation from what is left of its offer. */
export function takeAllocation(left: OfferLeft, allocation: PodAllocation): void {
  takeAmounts(left.cpus, allocation.cpus);
  takeAmounts(left.mem, allocation.mem);
  if (allocation.executor) {
    takeAmounts(left.cpus, allocation.executor.cpus);
    takeAmounts(left.mem, allocation.executor.mem);
  }
  const byRole = new Map<string, number[]>();
  for (const hp of allocation.hostPorts) {
    const list = byRole.get(hp.role);
    if (list) list.push(hp.hostPort);
    else byRole.set(hp.role, [hp.hostPort]);
  }
  for (const [role, ports] of byRole) left.ports[role] = subtractPorts(left.ports[role] ?? [], ports);
}

export function placePods<P extends PendingPod>(pods: ReadonlyArray<P>, offers: ReadonlyArray<SchedOffer>, input: PlacementInput): PlacementResult<P> {
  const paidHosts = new Set<string>(input.hostsWithExecutor ?? []);
  for (const o of offers) if (o.executorIds.includes(input.executorId)) paidHosts.add(o.hostname);
  const left = offers.map((o) => offerLeft(o, paidHosts.has(o.hostname)));
  const labels = new Map<string, Readonly<Record<string, string>>>();
  const labelsOf = (o: SchedOffer): Readonly<Record<string, string>> => {
    let l = labels.get(o.hostname);
    if (!l) {
      l = input.nodeLabels?.(o.hostname) ?? nodeLabelsOf(o.hostname, o.attributes);
      labels.set(o.hostname, l);
    }
    return l;
  };
  // Siblings placed in this cycle, by owner then host.
  const placedHere = new Map<string, Map<string, number>>();
  const siblingsOn = (owner: string | undefined, host: string): number => {
    if (owner === undefined) return 0;
    return (input.siblings?.(owner, host) ?? 0) + (placedHere.get(owner)?.get(host) ?? 0);
  };
  // Offers only shrink during a cycle: a pod shape that did not fit one will not fit it later.
  const misfits = new Map<string, Set<number>>();
  const placements: Placement<P>[] = [];
  const unplaced: P[] = [];
  // Round robin: each pod's scan starts after the offer the previous pod took.
  let cursor = 0;
  for (const pod of pods) {
    const shape = shapeKey(pod.kp);
    let miss = misfits.get(shape);
    if (!miss) misfits.set(shape, (miss = new Set()));
    let best: { i: number; allocation: PodAllocation; rank: [number, number] } | undefined;
    const n = left.length;
    for (let j = 0; j < n; j++) {
      const i = (cursor + j) % n;
      if (miss.has(i)) continue;
      const l = left[i]!;
      const o = l.offer;
      const paid = l.executorRunning || paidHosts.has(o.hostname);
      const rank: [number, number] = [siblingsOn(pod.owner, o.hostname), paid ? 0 : 1];
      // Only an offer that ranks better than the best so far is worth a fit.
      if (best && (rank[0] > best.rank[0] || (rank[0] === best.rank[0] && rank[1] >= best.rank[1]))) continue;
      const fit = fitPodOnAgent(
        pod.kp,
        {
          cpus: { byRole: l.cpus },
          mem: { byRole: l.mem },
          ports: { byRole: l.ports },
          executorRunning: paid,
          node: { hostname: o.hostname, labels: labelsOf(o) },
        },
        input.scheduler,
      );
      if (!fit.fits) {
        miss.add(i);
        continue;
      }
      best = { i, allocation: fit.allocation, rank };
      if (rank[0] === 0 && rank[1] === 0) break; // nothing ranks better
    }
    if (!best) {
      unplaced.push(pod);
      continue;
    }
    const l = left[best.i]!;
    cursor = (best.i + 1) % left.length;
    takeAllocation(l, best.allocation);
    if (best.allocation.executor) {
      paidHosts.add(l.offer.hostname);
      const sameHost: number[] = [];
      left.forEach((x, i) => {
        if (x.offer.hostname === l.offer.hostname) {
          x.executorRunning = true;
          sameHost.push(i);
        }
      });
      // The host's other offers no longer pay the executor: they may fit shapes they missed.
      for (const set of misfits.values()) for (const i of sameHost) set.delete(i);
    }
    if (pod.owner !== undefined) {
      let m = placedHere.get(pod.owner);
      if (!m) placedHere.set(pod.owner, (m = new Map<string, number>()));
      m.set(l.offer.hostname, (m.get(l.offer.hostname) ?? 0) + 1);
    }
    placements.push({ pod, offer: l.offer, allocation: best.allocation });
  }
  return { placements, unplaced, left };
}
