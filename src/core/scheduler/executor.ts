import { crc64Ecma } from './crc64.js';
import { STATIC_POD_FILENAME_ANNOTATION } from '../k8sm/keys.js';

/**
 * The k8sm executor as the scheduler describes it to Mesos (reference §1.1): ExecutorInfo
 * `Kubelet-Executor` from source `kubernetes`, the `km minion` command with the flags k8sm passes,
 * the static pods in `data`, and the executor id `<crc64 hex>_k8sm-executor` hashed over exactly
 * what k8sm hashes (KMF `executorinfo/id.go`): resources and the framework id are left out.
 */

export const EXECUTOR_NAME = 'Kubelet-Executor';
export const EXECUTOR_SOURCE = 'kubernetes';
export const EXECUTOR_ID_SUFFIX = 'k8sm-executor';

/** The scheduler flags that shape the executor (km scheduler's names and defaults, §1.2). */
export interface ExecutorSettings {
  /** `--km-path`: a URI (`hdfs:///km`, `http://...`, `file:///opt/km`) fetched by the agent, or a local file the scheduler serves. */
  kmPath?: string;
  /** `--executor-path`: a standalone executor binary the scheduler serves (wins over --km-path). */
  executorPath?: string;
  /** Where the scheduler serves artifacts (`http://<address>:<port>`): the URI of a local --km-path/--executor-path. */
  artifactBaseUrl: string;
  /** `--api-servers` as the executor gets them (comma-joined). */
  apiServers: ReadonlyArray<string>;
  /** `--executor-logv`, passed as `--v`. */
  executorLogV: number;
  allowPrivileged: boolean;
  /** `--executor-suicide-timeout` and `--mesos-launch-grace-period`, in ms. */
  suicideTimeoutMs: number;
  launchGracePeriodMs: number;
  mesosCgroupPrefix: string;
  kubeletCadvisorPort: number;
  /** `--kubelet-sync-frequency`, ms. */
  kubeletSyncFrequencyMs: number;
  containPodResources: boolean;
  enableProfiling: boolean;
  runProxy: boolean;
  proxyBindall: boolean;
  proxyLogV: number;
  minionPathOverride: string;
  minionLogMaxSize: string;
  minionLogMaxBackups: number;
  minionLogMaxAgeDays: number;
  executorBindall: boolean;
  clusterDns?: string;
  clusterDomain?: string;
  kubeletRootDirectory?: string;
  kubeletDockerEndpoint?: string;
  kubeletPodInfraContainerImage?: string;
}

export const EXECUTOR_DEFAULTS = {
  executorLogV: 0,
  allowPrivileged: false,
  suicideTimeoutMs: 20 * 60_000,
  launchGracePeriodMs: 5 * 60_000,
  mesosCgroupPrefix: 'mesos',
  kubeletCadvisorPort: 4194,
  kubeletSyncFrequencyMs: 10_000,
  containPodResources: true,
  enableProfiling: true,
  runProxy: true,
  proxyBindall: false,
  proxyLogV: 0,
  minionPathOverride: '',
  minionLogMaxSize: '10Mi',
  minionLogMaxBackups: 5,
  minionLogMaxAgeDays: 7,
  executorBindall: false,
} as const;

/**
 * Go's `time.Duration.String()` for a whole number of milliseconds: `20m0s`, `5m0s`, `10s`, `1h0m0s`,
 * `1.5s`, `0s` (how k8sm prints durations into the executor's flags, so that the hash agrees).
 */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(Math.round(ms));
  if (rest < 1000) return `${neg ? '-' : ''}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = rest / 1000;
  const sText = `${Number.isInteger(s) ? s : String(s)}s`;
  const out = h > 0 ? `${h}h${m}m${sText}` : m > 0 ? `${m}m${sText}` : sText;
  return neg ? `-${out}` : out;
}

/** mesos.v1.CommandInfo JSON (the fields k8sm sets). */
export interface CommandInfoJson {
  shell: boolean;
  value: string;
  uris: Array<{ value: string; executable?: boolean; extract?: boolean }>;
  arguments: string[];
  user?: string;
  environment?: { variables: Array<{ name: string; value: string }> };
}

function basename(path: string): string {
  const parts = path.split('/');
  return parts[parts.length - 1] || path;
}

/** The URI and command of a local file the scheduler serves at `/<basename>` (k8sm's `serveFrameworkArtifact`). */
function served(s: ExecutorSettings, path: string): { uri: string; cmd: string; basename: string } {
  const b = basename(path);
  return { uri: `${s.artifactBaseUrl.replace(/\/+$/, '')}/${b}`, cmd: `./${b}`, basename: b };
}

/** Files the scheduler must serve over HTTP for the agents to fetch (basename → local path). */
export function servedArtifacts(s: ExecutorSettings): Record<string, string> {
  if (s.executorPath) return { [basename(s.executorPath)]: s.executorPath };
  if (s.kmPath && s.kmPath.indexOf('://') <= 0) return { [basename(s.kmPath)]: s.kmPath };
  return {};
}

/** The executor's CommandInfo as k8sm builds it (`prepareExecutorInfo`), without the per-host `--hostname-override`. */
export function executorCommand(s: ExecutorSettings): CommandInfoJson {
  const ci: CommandInfoJson = { shell: false, value: '', uris: [], arguments: [] };
  if (s.executorPath) {
    const a = served(s, s.executorPath);
    ci.uris.push({ value: a.uri, executable: true });
    ci.value = a.cmd;
  } else {
    if (s.kmPath && s.kmPath.indexOf('://') > 0) {
      ci.uris.push({ value: s.kmPath, executable: true });
      ci.value = './km';
    } else {
      const a = served(s, s.kmPath || 'km');
      ci.uris.push({ value: a.uri, executable: true });
      ci.value = a.cmd;
    }
    ci.arguments.push(
      'minion',
      `--run-proxy=${s.runProxy}`,
      `--proxy-bindall=${s.proxyBindall}`,
      `--proxy-logv=${s.proxyLogV}`,
      `--path-override=${s.minionPathOverride}`,
      `--max-log-size=${s.minionLogMaxSize}`,
      `--max-log-backups=${s.minionLogMaxBackups}`,
      `--max-log-age=${s.minionLogMaxAgeDays}`,
    );
  }
  ci.arguments.push(
    `--api-servers=${s.apiServers.join(',')}`,
    `--v=${s.executorLogV}`,
    `--allow-privileged=${s.allowPrivileged}`,
    `--suicide-timeout=${goDuration(s.suicideTimeoutMs)}`,
    `--mesos-launch-grace-period=${goDuration(s.launchGracePeriodMs)}`,
  );
  if (s.executorBindall) ci.arguments.push('--address=0.0.0.0');
  ci.arguments.push(
    `--mesos-cgroup-prefix=${s.mesosCgroupPrefix}`,
    `--cadvisor-port=${s.kubeletCadvisorPort}`,
    `--sync-frequency=${goDuration(s.kubeletSyncFrequencyMs)}`,
    `--contain-pod-resources=${s.containPodResources}`,
    `--enable-debugging-handlers=${s.enableProfiling}`,
  );
  const optional: Array<[string, string | undefined]> = [
    ['cluster-dns', s.clusterDns],
    ['cluster-domain', s.clusterDomain],
    ['root-dir', s.kubeletRootDirectory],
    ['docker-endpoint', s.kubeletDockerEndpoint],
    ['pod-infra-container-image', s.kubeletPodInfraContainerImage],
  ];
  for (const [name, value] of optional) if (value) ci.arguments.push(`--${name}=${value}`);
  return ci;
}

/** What k8sm's executor-id hash reads of an ExecutorInfo. */
export interface HashedExecutorInfo {
  name: string;
  source: string;
  /** The raw bytes of `data` (the gzipped static pods), absent without static pods. */
  data?: Uint8Array;
  command?: CommandInfoJson;
}

/**
 * k8sm's hash of an ExecutorInfo (§1.1): the CRC-64/ECMA of name, source, data, then (with a
 * command) its value, user, shell (`true`/`false`), the sorted arguments, the env as sorted
 * `NAME=VALUE` (named variables; a repeated name keeps its last value), and the sorted URIs each
 * as value + executable + extract (Go booleans; extract defaults to true), all concatenated.
 */
export function executorInfoHash(info: HashedExecutorInfo): bigint {
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  const str = (s: string): void => {
    parts.push(enc.encode(s));
  };
  str(info.name);
  str(info.source);
  if (info.data) parts.push(info.data);
  const c = info.command;
  if (c) {
    str(c.value);
    str(c.user ?? '');
    str(String(c.shell));
    for (const a of [...c.arguments].sort(compareGo)) str(a);
    const vars = c.environment?.variables ?? [];
    if (vars.length > 0) {
      const names: string[] = [];
      const env = new Map<string, string>();
      for (const v of vars) {
        if (v.name === '') continue;
        names.push(v.name);
        env.set(v.name, v.value);
      }
      for (const n of names.sort(compareGo)) str(`${n}=${env.get(n)}`);
    }
    const uris = c.uris.map((u) => `${u.value}${u.executable ?? false}${u.extract ?? true}`).sort(compareGo);
    for (const u of uris) str(u);
  }
  let len = 0;
  for (const p of parts) len += p.length;
  const buf = new Uint8Array(len);
  let at = 0;
  for (const p of parts) {
    buf.set(p, at);
    at += p.length;
  }
  return crc64Ecma(buf);
}

/** Go's `sort.Strings`: by bytes (UTF-8), which for these ASCII strings is code-unit order. */
function compareGo(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `<hash in lower-case hex, not zero-padded>_k8sm-executor` (Go `%x`). */
export function executorIdOf(info: HashedExecutorInfo): string {
  return `${executorInfoHash(info).toString(16)}_${EXECUTOR_ID_SUFFIX}`;
}

/** The scheduler's executor prototype: everything but resources and the per-host hostname flag. */
export interface ExecutorPrototype {
  id: string;
  command: CommandInfoJson;
  /** base64 of the gzipped static pods, when there are any. */
  dataBase64?: string;
}

/** `staticPodsGzip`: the gzipped JSON PodList of the static pods (§1.14), made by the caller (core does no compression). */
export function executorPrototype(s: ExecutorSettings, staticPodsGzip?: Uint8Array): ExecutorPrototype {
  const command = executorCommand(s);
  const id = executorIdOf({ name: EXECUTOR_NAME, source: EXECUTOR_SOURCE, command, ...(staticPodsGzip ? { data: staticPodsGzip } : {}) });
  return { id, command, ...(staticPodsGzip ? { dataBase64: Buffer.from(staticPodsGzip).toString('base64') } : {}) };
}

/** The JSON PodList k8sm gzips into ExecutorInfo.data (each pod annotated with its file, §1.14). */
export function staticPodList(pods: ReadonlyArray<{ file: string; pod: Record<string, unknown> }>): Record<string, unknown> {
  return {
    kind: 'PodList',
    apiVersion: 'v1',
    metadata: {},
    items: pods.map(({ file, pod }) => {
      const meta = (pod.metadata ?? {}) as Record<string, unknown>;
      const ann = (meta.annotations ?? {}) as Record<string, unknown>;
      return { ...pod, metadata: { ...meta, annotations: { ...ann, [STATIC_POD_FILENAME_ANNOTATION]: file } } };
    }),
  };
}
