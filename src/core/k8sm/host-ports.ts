import { countPorts, normalizePortRanges, portInRanges, type PortRange } from '../ports/port-range.js';
import { rolesOf, type PerRole } from './agent.js';
import type { PortMapping } from './settings.js';

/**
 * k8sm's host-port mapper (reference §1.4, KMF `podtask/hostport/mapper.go`), in three steps:
 * - a pod's DEMAND: which of its container ports need an offered port (`addHostPort`, `hostPortDemand`);
 * - an agent's OFFER for the pod's roles (`portOffer`);
 * - the one decision, `hostPortReasons` (empty = the demand fits), and `allocateHostPorts`, which
 *   also hands out the ports the way k8sm does.
 */

/**
 * What a pod asks of one offer's `ports`. k8sm keys host ports by NUMBER only (not number and
 * protocol), so TCP 53 and UDP 53 are the same host port. Only `spec.containers` count: init
 * containers are not mapped.
 */
export interface HostPortDemand {
  /** Distinct non-zero hostPorts, in declaration order: each needs exactly that port. */
  readonly fixed: ReadonlyArray<number>;
  /** Container ports with hostPort 0 or none: one offered port each under wildcard mapping, none (pod-private) under fixed. */
  readonly wildcard: number;
  /** One entry per declaration that repeats an earlier non-zero hostPort: k8sm's mapper rejects the pod ("Host port N is specified for container ..."). */
  readonly duplicated: ReadonlyArray<number>;
}

/** A demand being filled by `addHostPort` (the arrays start as a shared empty one). */
export interface HostPortTally {
  fixed: ReadonlyArray<number>;
  wildcard: number;
  duplicated: ReadonlyArray<number>;
}

/** The shared empty port list a tally starts with (never written to). */
export const NO_PORTS: ReadonlyArray<number> = Object.freeze([]);

/** An empty tally to fill with `addHostPort`. */
function emptyHostPortTally(): HostPortTally {
  return { fixed: NO_PORTS, wildcard: 0, duplicated: NO_PORTS };
}

/** Files one container port's hostPort (0 = none) into the demand and says where it went: the one place that classifies. */
export function addHostPort(d: HostPortTally, hostPort: number): 'wildcard' | 'fixed' | 'duplicate' {
  if (hostPort === 0) {
    d.wildcard++;
    return 'wildcard';
  }
  if (d.fixed.includes(hostPort)) {
    d.duplicated = d.duplicated === NO_PORTS ? [hostPort] : [...d.duplicated, hostPort];
    return 'duplicate';
  }
  if (d.fixed === NO_PORTS) d.fixed = [hostPort];
  else (d.fixed as number[]).push(hostPort);
  return 'fixed';
}

/** A demand with the declaration behind every entry (for messages, and to say which port got which host port). */
export interface DeclaredHostPorts<S extends { hostPort: number }> extends HostPortDemand {
  /** The first declaration of each fixed port, aligned with `fixed`. */
  readonly fixedSpecs: ReadonlyArray<S>;
  /** The hostPort-0 declarations, in declaration order. */
  readonly wildcardSpecs: ReadonlyArray<S>;
  /** Each repeated declaration with the first one of its port. */
  readonly duplicates: ReadonlyArray<{ port: number; first: S; second: S }>;
}

export function hostPortDemand<S extends { hostPort: number }>(specs: ReadonlyArray<S>): DeclaredHostPorts<S> {
  const tally = emptyHostPortTally();
  const fixedSpecs: S[] = [];
  const wildcardSpecs: S[] = [];
  const duplicates: Array<{ port: number; first: S; second: S }> = [];
  for (const s of specs) {
    switch (addHostPort(tally, s.hostPort)) {
      case 'wildcard':
        wildcardSpecs.push(s);
        break;
      case 'fixed':
        fixedSpecs.push(s);
        break;
      case 'duplicate':
        duplicates.push({ port: s.hostPort, first: fixedSpecs[tally.fixed.indexOf(s.hostPort)]!, second: s });
        break;
    }
  }
  return { fixed: tally.fixed, wildcard: tally.wildcard, duplicated: tally.duplicated, fixedSpecs, wildcardSpecs, duplicates };
}

/** The `ports` ranges of one role. */
export interface RolePorts {
  readonly role: string;
  readonly ranges: ReadonlyArray<PortRange>;
}

/** What one agent or offer has for a pod with given roles. */
export interface PortOffer {
  /** The pod's roles, in preference order. */
  readonly roles: ReadonlyArray<string>;
  /** Free ports of the pod's roles, per role in the pod's role order (roles with none left out): what k8sm's mapper walks. */
  readonly byRole: ReadonlyArray<RolePorts>;
  /** Their union, normalized, and its number of ports. */
  readonly ranges: ReadonlyArray<PortRange>;
  readonly total: number;
  /** Free ports of roles the pod may not use (for reasons only). */
  readonly otherRoles: ReadonlyArray<RolePorts>;
  /** Ports of the pod's roles that running tasks hold (for reasons only). */
  readonly inUse: ReadonlyArray<RolePorts>;
}

const mergeRanges = (a: ReadonlyArray<PortRange>, b: ReadonlyArray<PortRange>): ReadonlyArray<PortRange> => [...a, ...b];

/**
 * The ports an agent offers a pod with these roles (§1.4 "Roles for ports"): only `ports` whose
 * (canonical) role is one of the pod's, in the pod's role order. When the agent's ports come without
 * roles (`anyRole`), every port counts for any pod that has a role, under the role `*`.
 */
export function portOffer(free: PerRole<ReadonlyArray<PortRange>>, roles: ReadonlyArray<string>, inUse?: PerRole<ReadonlyArray<PortRange>>): PortOffer {
  const byRole: RolePorts[] = [];
  const otherRoles: RolePorts[] = [];
  const used: RolePorts[] = [];
  if ('anyRole' in free) {
    const ranges = normalizePortRanges(free.anyRole);
    if (roles.length > 0 && ranges.length > 0) byRole.push({ role: '*', ranges });
  } else {
    const all = rolesOf(free, mergeRanges);
    for (const role of roles) {
      const r = all.get(role);
      if (r === undefined) continue;
      const ranges = normalizePortRanges(r);
      if (ranges.length > 0) byRole.push({ role, ranges });
    }
    for (const [role, r] of all) {
      if (!roles.includes(role) && r.length > 0) otherRoles.push({ role, ranges: normalizePortRanges(r) });
    }
  }
  if (inUse !== undefined) {
    if ('anyRole' in inUse) {
      if (roles.length > 0 && inUse.anyRole.length > 0) used.push({ role: '*', ranges: normalizePortRanges(inUse.anyRole) });
    } else {
      const all = rolesOf(inUse, mergeRanges);
      for (const role of roles) {
        const r = all.get(role);
        if (r !== undefined && r.length > 0) used.push({ role, ranges: normalizePortRanges(r) });
      }
    }
  }
  const ranges = byRole.length === 1 ? byRole[0]!.ranges : normalizePortRanges(byRole.flatMap((r) => r.ranges));
  return { roles, byRole, ranges, total: countPorts(ranges), otherRoles, inUse: used };
}

/** Why a pod's host ports cannot be taken from an offer (each with the numbers behind it). */
export type HostPortReason =
  /** The same non-zero hostPort declared `declarations` times in the pod. */
  | { readonly id: 'host-port-duplicate'; readonly port: number; readonly declarations: number }
  /** A fixed hostPort in no free range of the pod's roles; `otherRoles`: roles of the agent that do hold it free, which the pod may not use. */
  | {
      readonly id: 'host-port-not-offered';
      readonly port: number;
      readonly roles: ReadonlyArray<string>;
      readonly offered: ReadonlyArray<PortRange>;
      readonly otherRoles: ReadonlyArray<string>;
    }
  /** A fixed hostPort the agent has for one of the pod's roles, but a running task holds. */
  | { readonly id: 'host-port-in-use'; readonly port: number; readonly role: string }
  /**
   * Wildcard mapping: `wildcard` ports need an offered port each, but only `free` of the `offered`
   * ports are left once the `fixed` ones are taken; `byRole`: the offered ports of each pod role.
   */
  | {
      readonly id: 'wildcard-ports-short';
      readonly wildcard: number;
      readonly free: number;
      readonly fixed: number;
      readonly offered: number;
      readonly roles: ReadonlyArray<string>;
      readonly byRole: ReadonlyArray<{ readonly role: string; readonly ports: number }>;
    };

const NO_REASONS: ReadonlyArray<never> = Object.freeze([]);

function roleHolding(list: ReadonlyArray<RolePorts>, port: number): string | undefined {
  for (const rp of list) if (portInRanges(rp.ranges, port)) return rp.role;
  return undefined;
}

function missing(port: number, offer: PortOffer): HostPortReason {
  const holder = roleHolding(offer.inUse, port);
  if (holder !== undefined) return { id: 'host-port-in-use', port, role: holder };
  const otherRoles = offer.otherRoles.filter((rp) => portInRanges(rp.ranges, port)).map((rp) => rp.role);
  return { id: 'host-port-not-offered', port, roles: offer.roles, offered: offer.ranges, otherRoles };
}

/**
 * THE decision of k8sm's mapper, reporting every problem where k8sm stops at the first one:
 * - duplicates: a non-zero hostPort declared twice;
 * - fixed: every non-zero hostPort must lie in a free range of the pod's roles (gaps between ranges
 *   count as not offered); hostPort 0 is ignored under fixed mapping;
 * - wildcard: fixed first, then each hostPort-0 port takes a free port, so they fit exactly when the
 *   free ports left after the fixed ones are at least as many.
 * Returns a shared empty array when the demand fits (nothing allocated: the validate hot path).
 */
export function hostPortReasons(demand: HostPortDemand, mapping: PortMapping, offer: PortOffer): ReadonlyArray<HostPortReason> {
  let reasons: HostPortReason[] | undefined;
  if (demand.duplicated.length > 0) {
    reasons = [];
    for (const port of new Set(demand.duplicated)) {
      let n = 1;
      for (const d of demand.duplicated) if (d === port) n++;
      reasons.push({ id: 'host-port-duplicate', port, declarations: n });
    }
  }
  let taken = 0;
  const fixed = demand.fixed;
  for (let i = 0; i < fixed.length; i++) {
    const port = fixed[i]!;
    if (portInRanges(offer.ranges, port)) taken++;
    else (reasons ??= []).push(missing(port, offer));
  }
  if (mapping === 'wildcard' && demand.wildcard > 0) {
    const free = offer.total - taken;
    if (demand.wildcard > free) {
      const byRole = offer.byRole.map((rp) => ({ role: rp.role, ports: countPorts(rp.ranges) }));
      (reasons ??= []).push({ id: 'wildcard-ports-short', wildcard: demand.wildcard, free, fixed: taken, offered: offer.total, roles: offer.roles, byRole });
    }
  }
  return reasons ?? NO_REASONS;
}

/** One host port handed out, and the role whose `ports` resource it comes from. */
export interface PortGrant {
  readonly port: number;
  readonly role: string;
}

export type HostPortAllocation =
  /** `fixed` aligned with `demand.fixed`; `wildcard` one per wildcard port (none under fixed mapping). */
  | { readonly ok: true; readonly fixed: ReadonlyArray<PortGrant>; readonly wildcard: ReadonlyArray<PortGrant> }
  | { readonly ok: false; readonly reasons: ReadonlyArray<HostPortReason> };

/**
 * k8sm's mapper: `hostPortReasons`, and when there are none the ports as k8sm hands them out
 * (§1.4): a fixed port from the first role (in the pod's role order) whose ranges hold it; then,
 * under wildcard mapping, each hostPort-0 port in declaration order gets the LOWEST free port,
 * walking the ranges in role order and skipping ports already taken.
 */
export function allocateHostPorts(demand: HostPortDemand, mapping: PortMapping, offer: PortOffer): HostPortAllocation {
  const reasons = hostPortReasons(demand, mapping, offer);
  if (reasons.length > 0) return { ok: false, reasons };
  const taken = new Set<number>(demand.fixed);
  const fixed = demand.fixed.map((port): PortGrant => ({ port, role: roleHolding(offer.byRole, port)! }));
  const wildcard: PortGrant[] = [];
  const want = mapping === 'wildcard' ? demand.wildcard : 0;
  // A monotone cursor over the ranges: every port before it is taken or already handed out.
  walk: for (const rp of offer.byRole) {
    for (const r of rp.ranges) {
      for (let p = r.begin; p <= r.end; p++) {
        if (wildcard.length === want) break walk;
        if (taken.has(p)) continue;
        taken.add(p);
        wildcard.push({ port: p, role: rp.role });
      }
    }
  }
  return { ok: true, fixed, wildcard };
}
