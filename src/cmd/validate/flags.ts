import { UsageError } from '../../lib/errors.js';
import { parseByteSize } from '../../lib/byte-size.js';
import type { ModelSettings } from '../../core/cluster/model-settings.js';
import { parseRoleList } from '../../core/k8sm/roles.js';
import { parsePortRanges } from '../../core/ports/port-range.js';
import type { PortMapping } from '../../core/k8sm/settings.js';
import { requestTimeoutMs, type MesosFlags } from '../shared/mesos.js';

export type ValidateFormat = 'text' | 'json' | 'yaml' | 'sarif' | 'junit';

/** Where the cluster model comes from; the Mesos connection itself is completed by ValidateOptions. */
export type ClusterSource = { kind: 'flags' } | { kind: 'mesos' } | { kind: 'snapshot'; file: string };

/** `validate`'s settings from its flags: typed, checked, no flag spelling left. */
export interface ValidateSettings {
  filenames: string[];
  recursive: boolean;
  output: ValidateFormat;
  strict: boolean;
  quiet: boolean;
  maxFileSize: number;
  staticAll: boolean;
  staticPodsDir?: string;
  /** `--per-file`: every file checked on its own. */
  perFile: boolean;
  settings: ModelSettings;
  cluster: ClusterSource;
}

/** Number of CPUs: `4`, `0.5`, `500m`. */
function cpus(flag: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)(m?)\s*$/.exec(text);
  if (!m) throw new UsageError(`--${flag} "${text}" is not a number of CPUs`, 'use e.g. 4, 0.5 or 500m');
  return Number(m[1]) / (m[2] ? 1000 : 1);
}

/** Megabytes: a bare number is MB (the Mesos unit); otherwise a byte quantity such as 16Gi. */
function megabytes(flag: string, text: string): number {
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return Number(text);
  try {
    return parseByteSize(text) / (1024 * 1024);
  } catch {
    throw new UsageError(`--${flag} "${text}" is not a memory size`, 'use MB (e.g. 4096) or a quantity such as 16Gi or 512Mi');
  }
}

export interface ValidateFlagValues extends MesosFlags {
  debug?: boolean;
  filename?: string[];
  recursive: boolean;
  output: string;
  strict: boolean;
  quiet: boolean;
  ports: string;
  'port-mapping'?: string;
  'host-port-endpoints': boolean;
  'agent-cpus'?: string;
  'agent-mem'?: string;
  agents?: number;
  'framework-roles': string;
  'default-pod-roles': string;
  'mesos-executor-cpus': string;
  'mesos-executor-mem': string;
  'default-container-cpu-limit': string;
  'default-container-mem-limit': string;
  'cluster-snapshot'?: string;
  static: boolean;
  'static-pods-dir'?: string;
  'per-file'?: boolean;
  'max-file-size': string;
}

/** The checked settings of `validate` from its flags (pure; usage errors name the flag). */
export function validateSettingsFromFlags(flags: ValidateFlagValues): ValidateSettings {
  const filenames = flags.filename ?? [];
  if (filenames.length === 0 && !flags['static-pods-dir']) {
    throw new UsageError('no input given', "pass -f FILE|DIR|- (repeatable) or --static-pods-dir DIR; see 'k8smctl validate --help'");
  }
  if (filenames.filter((f) => f === '-').length > 1) throw new UsageError('-f - (standard input) given more than once');
  try {
    parsePortRanges(flags.ports);
  } catch (err) {
    throw new UsageError(`--ports ${JSON.stringify(flags.ports)}: ${(err as Error).message}`);
  }
  let maxFileSize: number;
  try {
    maxFileSize = parseByteSize(flags['max-file-size']);
  } catch (err) {
    throw new UsageError(`--max-file-size: ${(err as Error).message}`);
  }
  // Checked here too: without --mesos-master it bounds nothing, but a bad value is still a mistake.
  requestTimeoutMs(flags['request-timeout']);
  if (maxFileSize < 1) throw new UsageError(`--max-file-size ${JSON.stringify(flags['max-file-size'])}: must be at least 1 byte (the default is 10Mi)`);
  const frameworkRoles = parseRoleList(flags['framework-roles']);
  if (frameworkRoles.length === 0) throw new UsageError('--framework-roles is empty', "k8sm's default is '*'");
  const settings: ModelSettings = {
    ports: flags.ports,
    ...(flags['port-mapping'] ? { portMapping: flags['port-mapping'] as PortMapping } : {}),
    hostPortEndpoints: flags['host-port-endpoints'],
    ...(flags['agent-cpus'] !== undefined ? { agentCpus: cpus('agent-cpus', flags['agent-cpus']) } : {}),
    ...(flags['agent-mem'] !== undefined ? { agentMem: megabytes('agent-mem', flags['agent-mem']) } : {}),
    ...(flags.agents !== undefined ? { agents: flags.agents } : {}),
    frameworkRoles,
    defaultPodRoles: parseRoleList(flags['default-pod-roles']),
    executorCpus: cpus('mesos-executor-cpus', flags['mesos-executor-cpus']),
    executorMem: megabytes('mesos-executor-mem', flags['mesos-executor-mem']),
    defaultContainerCpu: cpus('default-container-cpu-limit', flags['default-container-cpu-limit']),
    defaultContainerMem: megabytes('default-container-mem-limit', flags['default-container-mem-limit']),
  };
  const cluster: ClusterSource = flags['cluster-snapshot']
    ? { kind: 'snapshot', file: flags['cluster-snapshot'] }
    : flags['mesos-master']
      ? { kind: 'mesos' }
      : { kind: 'flags' };
  return {
    filenames,
    recursive: flags.recursive,
    output: flags.output as ValidateFormat,
    strict: flags.strict,
    quiet: flags.quiet,
    maxFileSize,
    staticAll: flags.static,
    perFile: flags['per-file'] ?? false,
    ...(flags['static-pods-dir'] ? { staticPodsDir: flags['static-pods-dir'] } : {}),
    settings,
    cluster,
  };
}
