import type { PortMapping } from '../cluster/cluster-model.js';
import type { HostPortSpec } from './allocate-host-ports.js';
import { portInRanges, type PortRange } from './port-range.js';

/** What a pod asks of an offer's `ports`, computed once per pod (k8sm keys host ports by number only). */
export interface HostPortDemand<S extends HostPortSpec = HostPortSpec> {
  /** Distinct non-zero host ports, each with its first declaration. */
  fixed: Map<number, S>;
  /** Later declarations of a host port already in `fixed`. */
  duplicates: Array<{ port: number; first: S; second: S }>;
  /** hostPort 0 (or absent): pod-private under fixed mapping, one offered port each under wildcard. */
  wildcard: S[];
}

export function hostPortDemand<S extends HostPortSpec>(specs: ReadonlyArray<S>): HostPortDemand<S> {
  const fixed = new Map<number, S>();
  const duplicates: Array<{ port: number; first: S; second: S }> = [];
  const wildcard: S[] = [];
  for (const s of specs) {
    if (s.hostPort === 0) {
      wildcard.push(s);
      continue;
    }
    const first = fixed.get(s.hostPort);
    if (first === undefined) fixed.set(s.hostPort, s);
    else duplicates.push({ port: s.hostPort, first, second: s });
  }
  return { fixed, duplicates, wildcard };
}

const NONE: number[] = [];

export interface HostPortFit {
  /** All fixed ports offered and enough free ports left for the wildcard ones. */
  fits: boolean;
  /** Fixed host ports inside none of the ranges (a shared empty array when all are offered: do not modify). */
  notOffered: ReadonlyArray<number>;
  /** Offered ports the pod consumes: fixed ones plus (wildcard only) one per hostPort-0 spec. */
  needed: number;
  /** Offered ports in total. */
  available: number;
}

/**
 * Whether one offer's ports (NORMALIZED union of the pod's roles' ranges, `total` = their port count)
 * can satisfy the demand. Equivalent to `allocateHostPorts(...).ok` for a pod without duplicates, in
 * O(fixed * log ranges): lowest-free allocation succeeds exactly when every fixed port is offered and
 * the wildcard ports fit in what the fixed ones leave.
 */
export function hostPortFit(
  demand: HostPortDemand,
  strategy: PortMapping,
  ranges: ReadonlyArray<PortRange>,
  total: number,
): HostPortFit {
  let notOffered = NONE;
  if (demand.fixed.size > 0) {
    for (const port of demand.fixed.keys()) {
      if (portInRanges(ranges, port)) continue;
      if (notOffered === NONE) notOffered = [];
      notOffered.push(port);
    }
  }
  const wild = strategy === 'wildcard' ? demand.wildcard.length : 0;
  const needed = demand.fixed.size + wild;
  const fits = notOffered.length === 0 && needed <= total;
  return { fits, notOffered, needed, available: total };
}

/**
 * `hostPortFit(...).fits` for distinct fixed ports and a count of ports that need an offered port
 * each (0 under fixed mapping), without allocating: the rules' fast path.
 */
export function hostPortsFit(fixed: ReadonlyArray<number>, wildcard: number, ranges: ReadonlyArray<PortRange>, total: number): boolean {
  if (fixed.length + wildcard > total) return false;
  for (let i = 0; i < fixed.length; i++) if (!portInRanges(ranges, fixed[i]!)) return false;
  return true;
}
