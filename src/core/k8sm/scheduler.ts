import { demandDefaults, executorOverhead, type DemandDefaults, type ExecutorOverhead } from './resources.js';
import { schedulerRoles, type PodRoles, type RoleSettings } from './roles.js';
import type { SchedulerSettings } from './settings.js';

/**
 * A k8sm scheduler's settings, prepared once for reading many pods: canonical roles, container
 * defaults, and the executor overhead with its static pods. What `podRoles`, `k8smPod` and
 * `fitPodOnAgent` take.
 */
export interface K8smScheduler extends RoleSettings {
  readonly settings: SchedulerSettings;
  /** `--mesos-framework-roles`, canonical, in flag order (`*` when empty): the roles the executor is charged from (§1.5 step 4). */
  readonly frameworkRoles: ReadonlyArray<string>;
  readonly frameworkRoleSet: ReadonlySet<string>;
  /** `--mesos-default-pod-roles` (canonical; `*` when empty): the roles of a pod without the annotation. */
  readonly defaultPodRoles: PodRoles;
  readonly demandDefaults: DemandDefaults;
  /** What a host's first pod also pays (§1.5 step 4, §1.14). */
  readonly executor: ExecutorOverhead;
}

/** `staticPods`: the resource demand of each static pod (`podResourceDemand` of its spec). */
export function k8smScheduler(settings: SchedulerSettings, staticPods: ReadonlyArray<{ cpus: number; mem: number }> = []): K8smScheduler {
  const frameworkRoles = schedulerRoles(settings.frameworkRoles).list;
  return {
    settings,
    frameworkRoles,
    frameworkRoleSet: new Set(frameworkRoles),
    defaultPodRoles: schedulerRoles(settings.defaultPodRoles),
    demandDefaults: demandDefaults(settings),
    executor: executorOverhead(settings, staticPods),
  };
}

/** The same scheduler with another set of static pods (they change only the executor overhead). */
export function withStaticPods(scheduler: K8smScheduler, staticPods: ReadonlyArray<{ cpus: number; mem: number }>): K8smScheduler {
  return { ...scheduler, executor: executorOverhead(scheduler.settings, staticPods) };
}
