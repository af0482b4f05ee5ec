import { ROLES_ANNOTATION } from './keys.js';

/** §1.4: a resource's empty role is the unreserved role `*`. */
export function canonicalRole(role: string): string {
  return role === '' ? '*' : role;
}

/**
 * A Mesos role list as k8sm reads it (§1.7; `--mesos-framework-roles`, `--mesos-default-pod-roles`
 * and the `k8s.mesosphere.io/roles` annotation alike): comma separated, each entry trimmed, empty
 * entries and repeats dropped, order kept.
 */
export function parseRoleList(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(',')) {
    const r = part.trim();
    if (r !== '' && !out.includes(r)) out.push(r);
  }
  return out;
}

/**
 * Why Mesos refuses this role name (`src/common/roles.cpp`, `roles::validate`), or undefined when it
 * takes it: `*`, or one or more `/`-separated parts, none empty, `.` or `..`, none starting with `-`,
 * no whitespace or DEL anywhere. A framework subscribing with such a role is refused by the master.
 */
export function roleNameProblem(role: string): string | undefined {
  if (role === '*') return undefined;
  if (role === '') return 'a role name cannot be empty';
  if ([...role].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)) return 'a role name cannot include whitespace or control characters';
  for (const part of role.split('/')) {
    if (part === '') return "a role name cannot start or end with '/' or hold '//'";
    if (part === '.' || part === '..') return `'${part}' cannot be (part of) a role name`;
    if (part.startsWith('-')) return "a role name (or a part of it between '/') cannot start with '-'";
    if (part === '*') return "'*' is a role only by itself, not a part of one";
  }
  return undefined;
}

/** The roles a pod takes resources from, in preference order (§1.7, KMF `podtask/pod_task.go:Roles`). */
export interface PodRoles {
  /** Effective roles; EMPTY means the pod is never scheduled. */
  readonly list: ReadonlyArray<string>;
  /** `list` joined with commas (a cache key, and how messages show it). */
  readonly key: string;
  /** Set when the pod has the roles annotation (a string): what it lists and what k8sm dropped. */
  readonly annotation?: {
    readonly raw: string;
    /** Every role it names (`parseRoleList`). */
    readonly listed: ReadonlyArray<string>;
    /** Those the framework does not have (k8sm drops them). */
    readonly dropped: ReadonlyArray<string>;
  };
}

/** The canonical framework roles and the default pod roles, as `podRoles` needs them (a `K8smScheduler` is one). */
export interface RoleSettings {
  readonly frameworkRoleSet: ReadonlySet<string>;
  readonly defaultPodRoles: PodRoles;
}

/** `PodRoles` for a role list from the scheduler's flags (canonical; `*` when empty). */
export function schedulerRoles(roles: ReadonlyArray<string>): PodRoles {
  const list = roles.length > 0 ? [...new Set(roles.map(canonicalRole))] : ['*'];
  return { list, key: list.join(',') };
}

/**
 * A pod's effective roles (§1.7): with the `k8s.mesosphere.io/roles` ANNOTATION, the roles it lists
 * that the framework has (none left: never scheduled); without it, the default pod roles (the shared
 * object, so that the common case allocates nothing).
 */
export function podRoles(annotations: Readonly<Record<string, unknown>> | undefined, settings: RoleSettings): PodRoles {
  const raw = annotations?.[ROLES_ANNOTATION];
  if (typeof raw !== 'string') return settings.defaultPodRoles;
  const listed = parseRoleList(raw);
  const list: string[] = [];
  const dropped: string[] = [];
  for (const r of listed) (settings.frameworkRoleSet.has(r) ? list : dropped).push(r);
  return { list, key: list.join(','), annotation: { raw, listed, dropped } };
}
