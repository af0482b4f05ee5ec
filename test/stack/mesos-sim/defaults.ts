/**
 * Values a real Mesos build and its default flags would show: build info, capabilities by version,
 * master and agent flag sets (every value a string, durations in stout units such as `5secs`).
 * Agent flag defaults follow MESOS `src/slave/flags.cpp` / `src/slave/constants.hpp` (reference §3.1).
 */

export const DEFAULT_VERSION = '1.11.0';
export const DEFAULT_PORTS = '[31000-32000]';
export const DEFAULT_WORK_DIR = '/var/lib/mesos';

/** Compares dotted versions numerically: `versionAtLeast('1.11.0', '1.7')` → true. */
export function versionAtLeast(version: string, min: string): boolean {
  const a = version.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  const b = min.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/**
 * The first version the simulator prints each of these fields in. Real captures
 * (../shared/corpus/mesos-state) bound each: the last release seen without the field and the first
 * seen with it (in brackets); where releases in between were not seen, the simulator picks the
 * release after the last one seen without it.
 */
export const PRINTED_SINCE = {
  /** master `/state` `capabilities` [1.5.0, 1.8.0] */
  masterCapabilities: '1.6.0',
  /** master `/state` `leader_info` [1.0.1, 1.2.0] */
  leaderInfo: '1.1.0',
  /** master `/state` `unreachable_slaves` and `recovered_slaves` [1.2.0, 1.5.0] */
  unreachableAgents: '1.3.0',
  /** agent entries' `port` and `capabilities` [1.2.0, 1.5.0] */
  agentPortAndCapabilities: '1.3.0',
  /** frameworks' `connected` and `recovered` [1.0.1, 1.2.0] */
  frameworkConnected: '1.1.0',
  /** frameworks' `unreachable_tasks` [1.2.0, 1.5.0] */
  unreachableTasks: '1.3.0',
  /** tasks' `role` [1.2.0, 1.4.0] */
  taskRole: '1.3.0',
  /** agent `/state` `reserved_resources_allocated` and `unreserved_resources_allocated` [1.4.0, 1.5.0] */
  agentAllocated: '1.5.0',
  /** agent `/state` `resource_providers` [1.5.0, none seen later; the Mesos source prints it] */
  agentResourceProviders: '1.6.0',
} as const;

/** `/state.json` was removed in 1.7 (commit 42551cb52, "Removed long ago deprecated endpoints"). */
export function servesStateJson(version: string): boolean {
  return !versionAtLeast(version, '1.7.0');
}

export interface BuildInfo {
  git_sha: string;
  git_tag: string;
  build_date: string;
  build_time: number;
  build_user: string;
}

export function buildInfo(version: string): BuildInfo {
  return {
    git_sha: 'f2d6c0ba3e44b1fc4d0cc1b1d77aeb1b02bfb8f3',
    git_tag: version,
    build_date: '2020-11-24 06:24:52',
    build_time: 1606199092,
    build_user: 'mesos',
  };
}

/** MasterInfo capabilities by version (AGENT_UPDATE 1.5, AGENT_DRAINING and QUOTA_V2 1.9). */
export function masterCapabilities(version: string): string[] {
  const out: string[] = [];
  if (versionAtLeast(version, '1.5.0')) out.push('AGENT_UPDATE');
  if (versionAtLeast(version, '1.9.0')) out.push('AGENT_DRAINING', 'QUOTA_V2');
  return out;
}

/** Agent capabilities an agent of that version registers with. */
export function agentCapabilities(version: string): string[] {
  const out = ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT'];
  if (versionAtLeast(version, '1.5.0')) out.push('RESOURCE_PROVIDER');
  if (versionAtLeast(version, '1.6.0')) out.push('RESIZE_VOLUME');
  if (versionAtLeast(version, '1.7.0')) out.push('AGENT_OPERATION_FEEDBACK');
  if (versionAtLeast(version, '1.9.0')) out.push('AGENT_DRAINING');
  if (versionAtLeast(version, '1.11.0')) out.push('TASK_RESOURCE_LIMITS');
  return out;
}

export interface MasterFlagInput {
  ip: string;
  port: number;
  hostname: string;
  clusterName?: string;
  zk?: { connect: string; path: string };
  authenticated: boolean;
  quorum: number;
}

export function defaultMasterFlags(m: MasterFlagInput): Record<string, string> {
  const flags: Record<string, string> = {
    agent_ping_timeout: '15secs',
    agent_reregister_timeout: '10mins',
    allocation_interval: '1secs',
    allocator: 'hierarchical',
    authenticate_agents: 'false',
    authenticate_frameworks: 'false',
    authenticate_http_frameworks: 'false',
    authenticate_http_readonly: String(m.authenticated),
    authenticate_http_readwrite: String(m.authenticated),
    authenticators: 'crammd5',
    authorizers: 'local',
    filter_gpu_resources: 'true',
    framework_sorter: 'drf',
    help: 'false',
    hostname: m.hostname,
    hostname_lookup: 'true',
    http_authenticators: 'basic',
    initialize_driver_logging: 'true',
    ip: m.ip,
    log_auto_initialize: 'true',
    logbufsecs: '0',
    logging_level: 'INFO',
    max_agent_ping_timeouts: '5',
    max_completed_frameworks: '50',
    max_completed_tasks_per_framework: '1000',
    max_operator_event_stream_subscribers: '1000',
    max_unreachable_tasks_per_framework: '1000',
    min_allocatable_resources: 'cpus:0.01|mem:32',
    port: String(m.port),
    publish_per_framework_metrics: 'true',
    quiet: 'false',
    quorum: String(m.quorum),
    recovery_agent_removal_limit: '100%',
    registry: m.zk ? 'replicated_log' : 'in_memory',
    registry_fetch_timeout: '1mins',
    registry_gc_interval: '15mins',
    registry_max_agent_age: '2weeks',
    registry_max_agent_count: '102400',
    registry_store_timeout: '20secs',
    registry_strict: 'false',
    require_agent_domain: 'false',
    role_sorter: 'drf',
    root_submissions: 'true',
    version: 'false',
    webui_dir: '/usr/share/mesos/webui',
    work_dir: DEFAULT_WORK_DIR,
    zk_session_timeout: '10secs',
  };
  if (m.clusterName) flags['cluster'] = m.clusterName;
  if (m.zk) flags['zk'] = `zk://${m.zk.connect}${m.zk.path}`;
  return flags;
}

export interface AgentFlagInput {
  hostname: string;
  ip: string;
  port: number;
  master: string;
  resources: string;
  attributes: string;
  dockerSocket?: string;
  authenticated: boolean;
}

export function defaultAgentFlags(a: AgentFlagInput): Record<string, string> {
  const flags: Record<string, string> = {
    appc_simple_discovery_uri_prefix: 'http://',
    appc_store_dir: '/tmp/mesos/store/appc',
    authenticate_http_readonly: String(a.authenticated),
    authenticate_http_readwrite: String(a.authenticated),
    authenticatee: 'crammd5',
    authentication_backoff_factor: '1secs',
    authorizer: 'local',
    cgroups_cpu_enable_pids_and_tids_count: 'false',
    cgroups_enable_cfs: 'false',
    cgroups_hierarchy: '/sys/fs/cgroup',
    cgroups_limit_swap: 'false',
    cgroups_root: 'mesos',
    container_disk_watch_interval: '15secs',
    containerizers: 'docker,mesos',
    default_role: '*',
    disk_watch_interval: '1mins',
    docker: 'docker',
    docker_kill_orphans: 'true',
    docker_registry: 'https://registry-1.docker.io',
    docker_remove_delay: '6hrs',
    docker_socket: a.dockerSocket ?? '/var/run/docker.sock',
    docker_stop_timeout: '0ns',
    docker_store_dir: '/tmp/mesos/store/docker',
    docker_volume_checkpoint_dir: '/var/run/mesos/isolators/docker/volume',
    enforce_container_disk_quota: 'false',
    executor_registration_timeout: '1mins',
    executor_reregistration_timeout: '2secs',
    executor_shutdown_grace_period: '5secs',
    fetcher_cache_dir: '/tmp/mesos/fetch',
    fetcher_cache_size: '2GB',
    frameworks_home: '',
    gc_delay: '1weeks',
    gc_disk_headroom: '0.1',
    hadoop_home: '',
    help: 'false',
    hostname: a.hostname,
    hostname_lookup: 'true',
    http_command_executor: 'false',
    http_heartbeat_interval: '30secs',
    initialize_driver_logging: 'true',
    ip: a.ip,
    isolation: 'posix/cpu,posix/mem',
    launcher: 'posix',
    launcher_dir: '/usr/libexec/mesos',
    logbufsecs: '0',
    logging_level: 'INFO',
    master: a.master,
    max_completed_executors_per_framework: '150',
    oversubscribed_resources_interval: '15secs',
    perf_duration: '10secs',
    perf_interval: '1mins',
    port: String(a.port),
    qos_correction_interval_min: '0ns',
    quiet: 'false',
    reconfiguration_policy: 'equal',
    recover: 'reconnect',
    recovery_timeout: '15mins',
    registration_backoff_factor: '1secs',
    resources: a.resources,
    revocable_cpu_low_priority: 'true',
    runtime_dir: '/var/run/mesos',
    sandbox_directory: '/mnt/mesos/sandbox',
    strict: 'true',
    switch_user: 'true',
    systemd_enable_support: 'false',
    systemd_runtime_directory: '/run/systemd/system',
    version: 'false',
    work_dir: DEFAULT_WORK_DIR,
    zk_session_timeout: '10secs',
  };
  if (a.attributes) flags['attributes'] = a.attributes;
  return flags;
}

/** Sorted copy, the order Mesos' flag maps print in. */
export function sortedFlags(flags: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(flags).sort()) out[k] = flags[k] as string;
  return out;
}
