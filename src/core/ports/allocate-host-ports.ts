import type { PortMapping } from '../cluster/cluster-model.js';
import type { PortRange } from './port-range.js';

/**
 * One container port of a pod as k8sm's host-port mapper sees it (KMF
 * `podtask/hostport/mapper.go`): only `spec.containers[*].ports[*]` (init containers are not mapped),
 * keyed by container and port index. `hostPort` 0 means "not set".
 */
export interface HostPortSpec {
  containerIndex: number;
  portIndex: number;
  hostPort: number;
  /** `TCP` unless given; k8sm does NOT use it to key host ports (see `duplicate` below). */
  protocol?: string;
}

/** The `ports` ranges of one role in an offer; the list is in the pod's role-priority order. */
export interface RolePorts {
  role: string;
  ranges: ReadonlyArray<PortRange>;
}

export interface HostPortAllocation {
  spec: HostPortSpec;
  /** The host port taken from the offer. */
  port: number;
  role: string;
}

export type HostPortFailure =
  /** The same non-zero hostPort twice in the pod. k8sm keys host ports by number only, so TCP 53 and UDP 53 collide too. */
  | { type: 'duplicate'; port: number; first: HostPortSpec; second: HostPortSpec }
  /** A non-zero hostPort inside none of the offered ranges. */
  | { type: 'not-offered'; port: number; spec: HostPortSpec }
  /** Wildcard ports (hostPort 0) left without a free offered port. */
  | { type: 'exhausted'; specs: HostPortSpec[]; needed: number; available: number };

export interface HostPortAllocationResult {
  ok: boolean;
  allocations: HostPortAllocation[];
  failures: HostPortFailure[];
}

function canonicalRole(role: string): string {
  return role === '' ? '*' : role;
}

/**
 * Maps a pod's container ports to offered host ports the way k8sm's mapper does:
 * - fixed: every non-zero hostPort must lie in some offered range (searched in role order; the first
 *   role whose ranges contain it gets it); hostPort 0 is ignored (pod-private, consumes nothing).
 * - wildcard: fixed first, then every hostPort-0 spec, in container/port order, gets the LOWEST free
 *   port walking the ranges in role order, skipping ports already taken.
 *
 * Never throws. Unlike k8sm, which stops at the first problem, every problem is reported: duplicates,
 * each port not offered, and the wildcard ports that found no free port.
 */
export function allocateHostPorts(
  portSpecs: ReadonlyArray<HostPortSpec>,
  offered: ReadonlyArray<RolePorts>,
  strategy: PortMapping,
): HostPortAllocationResult {
  const allocations: HostPortAllocation[] = [];
  const failures: HostPortFailure[] = [];

  // Fixed part: distinct non-zero host ports, first declaration wins.
  const required = new Map<number, HostPortSpec>();
  const wild: HostPortSpec[] = [];
  for (const spec of portSpecs) {
    if (spec.hostPort === 0) {
      wild.push(spec);
      continue;
    }
    const first = required.get(spec.hostPort);
    if (first !== undefined) {
      failures.push({ type: 'duplicate', port: spec.hostPort, first, second: spec });
      continue;
    }
    required.set(spec.hostPort, spec);
  }

  const taken = new Set<number>();
  for (const [port, spec] of required) {
    let role: string | undefined;
    outer: for (const rp of offered) {
      for (const r of rp.ranges) {
        if (port >= r.begin && port <= r.end) {
          role = canonicalRole(rp.role);
          break outer;
        }
      }
    }
    if (role === undefined) {
      failures.push({ type: 'not-offered', port, spec });
    } else {
      taken.add(port);
      allocations.push({ spec, port, role });
    }
  }

  if (strategy === 'wildcard' && wild.length > 0) {
    // A monotone cursor over the ranges: every port before it is taken or already handed out.
    let w = 0;
    for (const rp of offered) {
      const role = canonicalRole(rp.role);
      for (const r of rp.ranges) {
        for (let p = r.begin; p <= r.end && w < wild.length; p++) {
          if (taken.has(p)) continue;
          taken.add(p);
          allocations.push({ spec: wild[w]!, port: p, role });
          w++;
        }
        if (w === wild.length) break;
      }
      if (w === wild.length) break;
    }
    if (w < wild.length) {
      failures.push({ type: 'exhausted', specs: wild.slice(w), needed: wild.length, available: w });
    }
  }

  return { ok: failures.length === 0, allocations, failures };
}
