import { DIAGNOSE_DEFAULTS, type DiagnoseSettings } from '../../core/diagnose/model.js';
import { cpuCoresOrNaN, memMegabytesOrNaN } from '../../core/k8sm/quantity.js';
import { canonicalRole, parseRoleList, roleNameProblem } from '../../core/k8sm/roles.js';
import { k8smScheduler } from '../../core/k8sm/scheduler.js';
import { isPortMapping, portMappingFor } from '../../core/k8sm/settings.js';
import { durationFlagMs as duration } from '../shared/duration-flag.js';
import { UsageError } from '../../lib/errors.js';
import type { MesosFlags } from '../shared/mesos.js';

/** The flags of src/commands/diagnose/flags.ts, as parsed. */
export interface DiagnoseFlagValues extends MesosFlags {
  debug: boolean;
  output: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  'all-namespaces'?: boolean;
  'stuck-after'?: string;
  'framework-name': string;
  'mesos-framework-roles': string;
  'mesos-default-pod-roles': string;
  'mesos-executor-cpus': string;
  'mesos-executor-mem': string;
  'default-container-cpu-limit': string;
  'default-container-mem-limit': string;
  'host-port-endpoints': boolean;
  'port-mapping'?: string;
  'mesos-launch-grace-period': string;
  'offer-ttl': string;
  'executor-id'?: string;
}

/** CPUs as k8sm's flags take them (`0.25`), or a Kubernetes quantity (`250m`). */
function cpus(flag: string, text: string): number {
  const n = cpuCoresOrNaN(text.trim());
  if (Number.isNaN(n)) throw new UsageError(`--${flag} "${text}" is not a number of CPUs`, 'use e.g. 0.25, 1 or 250m');
  return n;
}

/** Megabytes: a bare number is MB (k8sm's unit); otherwise a quantity such as 128Mi. */
function megabytes(flag: string, text: string): number {
  const t = text.trim();
  const n = /^\d+(\.\d+)?$/.test(t) ? Number(t) : memMegabytesOrNaN(t);
  if (Number.isNaN(n)) throw new UsageError(`--${flag} "${text}" is not a memory size`, 'use MB (e.g. 128) or a quantity such as 128Mi');
  return n;
}

/**
 * The checked settings of `diagnose` (pure; usage errors name the flag). The roles follow the k8sm
 * scheduler's own start-up checks (§1.2): at most two framework roles, one of them `*` when there
 * are two; default pod roles among the framework roles.
 */
export function diagnoseSettingsFromFlags(flags: DiagnoseFlagValues): DiagnoseSettings {
  const name = flags['framework-name'].trim();
  if (!name) throw new UsageError('--framework-name is empty', "k8sm's default is Kubernetes");
  const frameworkRoles = parseRoleList(flags['mesos-framework-roles']).map(canonicalRole);
  if (frameworkRoles.length === 0) throw new UsageError('--mesos-framework-roles is empty', "k8sm's default is '*'");
  for (const flag of ['mesos-framework-roles', 'mesos-default-pod-roles'] as const) {
    for (const role of parseRoleList(flags[flag])) {
      const problem = roleNameProblem(role);
      if (problem) throw new UsageError(`--${flag} "${flags[flag]}": "${role}" is not a Mesos role (${problem})`, 'the master would refuse the framework');
    }
  }
  if (frameworkRoles.length > 2 || (frameworkRoles.length === 2 && !frameworkRoles.includes('*'))) {
    throw new UsageError(`--mesos-framework-roles "${flags['mesos-framework-roles']}": k8sm takes at most two roles, one of them '*'`);
  }
  const defaultPodRoles = parseRoleList(flags['mesos-default-pod-roles']).map(canonicalRole);
  const outside = defaultPodRoles.filter((r) => !frameworkRoles.includes(r));
  if (outside.length) {
    throw new UsageError(
      `--mesos-default-pod-roles lists ${outside.join(', ')}, not in --mesos-framework-roles (${frameworkRoles.join(',')})`,
      'k8sm refuses to start with such roles',
    );
  }
  const mapping = flags['port-mapping'];
  if (mapping !== undefined && !isPortMapping(mapping)) throw new UsageError(`--port-mapping "${mapping}": use wildcard or fixed`);
  const scheduler = k8smScheduler({
    frameworkRoles,
    defaultPodRoles: defaultPodRoles.length ? defaultPodRoles : ['*'],
    portMapping: mapping ?? portMappingFor(flags['host-port-endpoints']),
    executorCpus: cpus('mesos-executor-cpus', flags['mesos-executor-cpus']),
    executorMem: megabytes('mesos-executor-mem', flags['mesos-executor-mem']),
    defaultContainerCpu: cpus('default-container-cpu-limit', flags['default-container-cpu-limit']),
    defaultContainerMem: megabytes('default-container-mem-limit', flags['default-container-mem-limit']),
  });
  const executorId = flags['executor-id']?.trim();
  return {
    scheduler,
    frameworkName: name,
    stuckAfterMs: flags['stuck-after'] === undefined ? DIAGNOSE_DEFAULTS.stuckAfterMs : duration('stuck-after', flags['stuck-after'], true),
    launchGraceMs: duration('mesos-launch-grace-period', flags['mesos-launch-grace-period']),
    offerTtlMs: duration('offer-ttl', flags['offer-ttl'], true),
    ...(executorId ? { executorId } : {}),
  };
}
