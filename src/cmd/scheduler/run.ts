import { statSync } from 'node:fs';
import { isIP } from 'node:net';
import { gzipSync } from 'node:zlib';
import { readStaticPodsDir } from '../../clients/static-pods-dir.js';
import type { MesosConnectOptions } from '../../clients/mesos/options.js';
import { ManifestChecker } from '../../core/check-manifests.js';
import { clusterModelFromSettings } from '../../core/cluster/model-from-settings.js';
import { podResourceDemand } from '../../core/k8sm/pod-spec.js';
import { k8smScheduler, type K8smScheduler } from '../../core/k8sm/scheduler.js';
import { K8SM_DEFAULTS } from '../../core/k8sm/settings.js';
import { parseManifest } from '../../core/manifest/parse-manifest.js';
import { EXECUTOR_DEFAULTS, executorPrototype, servedArtifacts, staticPodList, type ExecutorSettings } from '../../core/scheduler/executor.js';
import { durationFlagMs as duration } from '../shared/duration-flag.js';
import { MAX_GO_DURATION_MS } from '../../lib/duration.js';
import { UsageError } from '../../lib/errors.js';
import type { Factory } from '../../lib/factory.js';
import type { CommandOptions } from '../../lib/command.js';
import type { IOStreams } from '../../lib/io.js';
import { describeFailure, type Outcome } from '../../lib/outcomes.js';
import { diagnoseSettingsFromFlags } from '../diagnose/settings.js';
import { debugWriter, mesosConnectOptions, type MesosFlags } from '../shared/mesos.js';
import { createLogger, type LogFormat } from '../../scheduler/log.js';
import { createMetrics } from '../../scheduler/metrics.js';
import { SchedulerLoop, type SchedulerConfig } from '../../scheduler/loop.js';
import { startServer } from '../../scheduler/server.js';
import { uuidV1Factory } from '../../scheduler/uuid.js';
import { LeaderElector, leaderIdentity } from '../../scheduler/leader.js';
import { leaseTimingsProblem, type LeaseTimings } from '../../core/scheduler/lease.js';

/** The flags of src/commands/scheduler/run.ts, as parsed. */
export interface SchedulerRunFlags extends MesosFlags {
  debug: boolean;
  kubeconfig?: string;
  context?: string;
  'scheduler-name': string;
  'framework-name': string;
  'framework-weburi'?: string;
  'mesos-user': string;
  'mesos-framework-roles': string;
  'mesos-default-pod-roles': string;
  'mesos-executor-cpus': string;
  'mesos-executor-mem': string;
  'default-container-cpu-limit': string;
  'default-container-mem-limit': string;
  'host-port-endpoints': boolean;
  'static-pods-config'?: string;
  checkpoint: boolean;
  'failover-timeout': string;
  'reconcile-interval': string;
  'offer-refuse-seconds': string;
  'framework-store-namespace': string;
  'teardown-on-exit': boolean;
  'km-path'?: string;
  'executor-path'?: string;
  'api-servers'?: string;
  'mesos-launch-grace-period': string;
  'executor-suicide-timeout': string;
  'executor-logv': string;
  'allow-privileged': boolean;
  'mesos-cgroup-prefix': string;
  'kubelet-cadvisor-port': string;
  'kubelet-sync-frequency': string;
  'contain-pod-resources': boolean;
  'cluster-dns'?: string;
  'cluster-domain'?: string;
  address: string;
  port: string;
  'advertised-address'?: string;
  v: string;
  'log-format': string;
  'leader-elect': boolean;
  'leader-elect-lease-duration': string;
  'leader-elect-renew-deadline': string;
  'leader-elect-retry-period': string;
  'leader-elect-resource-name'?: string;
  'leader-elect-resource-namespace': string;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const t = text.trim();
  const n = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${flag} "${text}" is not a whole number from ${min} to ${max}`);
  return n;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HOSTNAME = /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/;

function localFile(flag: string, path: string): void {
  let ok = false;
  try {
    ok = statSync(path).isFile();
  } catch {
    ok = false;
  }
  if (!ok)
    throw new UsageError(
      `--${flag} ${path} is not a file`,
      `give the binary to serve to the agents, or a URI they fetch (e.g. file:///opt/k8sm/km on the agents)`,
    );
}

/** Everything `run` needs, checked (pure but for the file checks of --km-path/--executor-path). */
export interface SchedulerRunSettings {
  loop: Omit<SchedulerConfig, 'scheduler' | 'executor'>;
  scheduler: K8smScheduler;
  executor: Omit<ExecutorSettings, 'apiServers' | 'artifactBaseUrl'>;
  apiServers?: string[];
  address: string;
  port: number;
  advertisedAddress?: string;
  verbosity: number;
  logFormat: LogFormat;
  staticPodsDir?: string;
  /** --leader-elect: the Lease and its timings. */
  leaderElection?: LeaderElectionSettings;
}

export interface LeaderElectionSettings extends LeaseTimings {
  namespace: string;
  name: string;
}

/** The default Lease name: one per framework name, as the framework id's ConfigMap (schedulers of one framework share both). */
export function defaultLeaseName(frameworkName: string): string {
  const slug =
    frameworkName
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'framework';
  return `k8sm-scheduler-${slug}`.slice(0, 253).replace(/-+$/, '');
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function leaderElectionSettings(flags: SchedulerRunFlags, frameworkName: string): LeaderElectionSettings {
  const timings: LeaseTimings = {
    leaseDurationMs: duration('leader-elect-lease-duration', flags['leader-elect-lease-duration']),
    renewDeadlineMs: duration('leader-elect-renew-deadline', flags['leader-elect-renew-deadline']),
    retryPeriodMs: duration('leader-elect-retry-period', flags['leader-elect-retry-period']),
  };
  const problem = leaseTimingsProblem(timings);
  if (problem) throw new UsageError(problem);
  const namespace = flags['leader-elect-resource-namespace'].trim();
  if (!DNS_LABEL.test(namespace) || namespace.length > 63)
    throw new UsageError(`--leader-elect-resource-namespace "${flags['leader-elect-resource-namespace']}" is not a namespace name`);
  const given = flags['leader-elect-resource-name'];
  const name = given === undefined ? defaultLeaseName(frameworkName) : given.trim();
  if (!DNS_SUBDOMAIN.test(name) || name.length > 253) throw new UsageError(`--leader-elect-resource-name "${given ?? name}" is not a Lease name`);
  if (flags['leader-elect'] && flags['teardown-on-exit'])
    throw new UsageError(
      '--teardown-on-exit cannot be used with --leader-elect',
      'a leader that loses its lease must leave the framework registered for the next leader',
    );
  return { ...timings, namespace, name };
}

export function schedulerRunSettings(flags: SchedulerRunFlags): SchedulerRunSettings {
  const diag = diagnoseSettingsFromFlags({
    ...flags,
    output: 'text',
    'offer-ttl': '5s',
    'mesos-launch-grace-period': flags['mesos-launch-grace-period'],
  });
  const schedulerName = flags['scheduler-name'].trim();
  if (!schedulerName) throw new UsageError('--scheduler-name is empty', 'the default is default-scheduler');
  const user = flags['mesos-user'].trim();
  if (!user) throw new UsageError('--mesos-user is empty', "k8sm's default is root");
  const ns = flags['framework-store-namespace'].trim();
  if (!DNS_LABEL.test(ns) || ns.length > 63)
    throw new UsageError(`--framework-store-namespace "${flags['framework-store-namespace']}" is not a namespace name`);
  const refuse = Number(flags['offer-refuse-seconds'].trim());
  if (flags['offer-refuse-seconds'].trim() === '' || !Number.isFinite(refuse) || refuse < 0)
    throw new UsageError(`--offer-refuse-seconds "${flags['offer-refuse-seconds']}" is not a number of seconds (0 or more)`);
  const address = flags.address.trim();
  if (!isIP(address) && !HOSTNAME.test(address)) throw new UsageError(`--address "${flags.address}" is not an IP address or host name`);
  const port = integer('port', flags.port, 0, 65535);
  const adv = flags['advertised-address']?.trim();
  const advPort = adv === undefined ? undefined : /:(\d{1,5})$/.exec(adv)?.[1];
  if (adv !== undefined && (!/^[^\s/:]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/.test(adv) || (advPort !== undefined && Number(advPort) > 65535)))
    throw new UsageError(`--advertised-address "${flags['advertised-address']}" is not host:port`);
  const verbosity = integer('v', flags.v, 0, 10);
  const frameworkRoles = diag.scheduler.frameworkRoles;
  if (flags['km-path'] && flags['km-path'].indexOf('://') <= 0) localFile('km-path', flags['km-path']);
  if (flags['executor-path']) localFile('executor-path', flags['executor-path']);
  let apiServers: string[] | undefined;
  if (flags['api-servers'] !== undefined) {
    apiServers = flags['api-servers']
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = apiServers.find((s) => !/^https?:\/\/[^\s/]+/.test(s));
    if (apiServers.length === 0 || bad !== undefined)
      throw new UsageError(`--api-servers "${flags['api-servers']}": give http(s)://host:port URLs, comma-separated`);
  }
  const clusterDns = flags['cluster-dns']?.trim();
  if (clusterDns && !isIP(clusterDns)) throw new UsageError(`--cluster-dns "${clusterDns}" is not an IP address`);
  const leaderElection = leaderElectionSettings(flags, diag.frameworkName);
  return {
    loop: {
      schedulerName,
      frameworkName: diag.frameworkName,
      mesosUser: user,
      frameworkRole: frameworkRoles.find((r) => r !== '*') ?? '*',
      checkpoint: flags.checkpoint,
      // Sent to Mesos, never waited on here: km's range (a Go duration; its default was about 146 years), not a timer's 24 days.
      failoverTimeoutSeconds: duration('failover-timeout', flags['failover-timeout'], true, MAX_GO_DURATION_MS) / 1000,
      ...(flags['framework-weburi']?.trim() ? { frameworkWebUri: flags['framework-weburi'].trim() } : {}),
      ...(flags['mesos-principal'] ? { principal: flags['mesos-principal'] } : {}),
      offerRefuseSeconds: refuse,
      reconcileIntervalMs: duration('reconcile-interval', flags['reconcile-interval'], true),
      frameworkStoreNamespace: ns,
      teardownOnExit: flags['teardown-on-exit'],
    },
    scheduler: diag.scheduler,
    executor: {
      ...EXECUTOR_DEFAULTS,
      ...(flags['km-path'] ? { kmPath: flags['km-path'] } : {}),
      ...(flags['executor-path'] ? { executorPath: flags['executor-path'] } : {}),
      executorLogV: integer('executor-logv', flags['executor-logv'], 0, 10),
      // A boolean flag not given is undefined: km passes --allow-privileged=false (and hashes it into the executor id).
      allowPrivileged: flags['allow-privileged'] === true,
      suicideTimeoutMs: duration('executor-suicide-timeout', flags['executor-suicide-timeout'], false),
      launchGracePeriodMs: diag.launchGraceMs,
      mesosCgroupPrefix: flags['mesos-cgroup-prefix'],
      kubeletCadvisorPort: integer('kubelet-cadvisor-port', flags['kubelet-cadvisor-port'], 0, 65535),
      kubeletSyncFrequencyMs: duration('kubelet-sync-frequency', flags['kubelet-sync-frequency'], false),
      containPodResources: flags['contain-pod-resources'],
      ...(clusterDns ? { clusterDns } : {}),
      ...(flags['cluster-domain']?.trim() ? { clusterDomain: flags['cluster-domain'].trim() } : {}),
    },
    ...(apiServers ? { apiServers } : {}),
    address,
    port,
    ...(adv ? { advertisedAddress: adv } : {}),
    verbosity,
    logFormat: flags['log-format'] === 'json' ? 'json' : 'text',
    ...(flags['static-pods-config'] ? { staticPodsDir: flags['static-pods-config'] } : {}),
    ...(flags['leader-elect'] ? { leaderElection } : {}),
  };
}

/** Resolves after ms, rejects when the signal aborts (its listener removed either way: the lease loop sleeps on one signal for hours). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new Error('aborted'));
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** How long a leader that lost its lease waits for the loop to wind down before it exits anyway. */
const LOST_LEASE_GRACE_MS = 5_000;

const MAX_STATIC_POD_BYTES = 8 * 1024 * 1024;

/**
 * `--static-pods-config`: read as k8sm reads it, checked with validate's static-pod rules (an
 * error refuses to start, naming the file and line), and turned into the executor's data (gzipped
 * PodList, §1.14) and its share of the executor overhead (§1.6).
 */
async function staticPods(dir: string, scheduler: K8smScheduler): Promise<{ gzip: Uint8Array; scheduler: K8smScheduler; count: number }> {
  const read = await readStaticPodsDir(dir, MAX_STATIC_POD_BYTES);
  if (read.fatal)
    throw new UsageError(
      read.fatal.kind === 'not-a-directory'
        ? `--static-pods-config ${dir} is not a directory`
        : `--static-pods-config ${dir} cannot be read (${read.fatal.problem})`,
    );
  if (read.errors.length) throw new UsageError(`--static-pods-config: cannot read ${read.errors[0]!.file}`);
  const s = scheduler.settings;
  const model = clusterModelFromSettings({ ...s, ports: K8SM_DEFAULTS.ports, hostPortEndpoints: s.portMapping === 'wildcard', portMapping: s.portMapping });
  const staticFiles = read.inputs.map((i) => ({ file: i.file, text: i.text, staticPodFile: true }));
  const checker = new ManifestChecker(model, { staticFiles });
  const errors = checker.finish().findings.filter((f) => f.severity === 'error');
  if (errors.length) {
    const f = errors[0]!;
    const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : '';
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''}: k8smctl validate --static-pods-dir ${dir})` : '';
    throw new UsageError(`--static-pods-config: ${where}${f.message}${more}`);
  }
  const pods: Array<{ file: string; pod: Record<string, unknown> }> = [];
  for (const i of read.inputs) {
    for (const r of parseManifest(i.text, i.file).resources) {
      if (r.kind === 'Pod') pods.push({ file: i.file.split('/').pop() ?? i.file, pod: r.object });
    }
  }
  const demand = pods.map((p) => podResourceDemand(p.pod.spec, scheduler.demandDefaults));
  return {
    gzip: gzipSync(JSON.stringify(staticPodList(pods))),
    scheduler: k8smScheduler(s, demand),
    count: pods.length,
  };
}

export class SchedulerRunOptions implements CommandOptions<SchedulerRunFlags> {
  private factory!: Factory;
  private settings!: SchedulerRunSettings;
  private mesos!: MesosConnectOptions;
  private kubeconfig: { kubeconfig?: string; context?: string } = {};
  private statics?: { gzip: Uint8Array; scheduler: K8smScheduler; count: number };

  constructor(private readonly io: IOStreams) {}

  async complete(factory: Factory, _args: string[], flags: SchedulerRunFlags): Promise<void> {
    this.factory = factory;
    this.settings = schedulerRunSettings(flags);
    this.mesos = await mesosConnectOptions(flags, factory.env, debugWriter(this.io, flags.debug));
    // km's default is the km binary itself, served to the agents; this is not km: without either flag the
    // agents were told to fetch /km from this scheduler, which serves nothing there, and every launch failed.
    if (!flags['km-path'] && !flags['executor-path'])
      throw new UsageError(
        'no executor for the agents: pass --km-path (or --executor-path)',
        'e.g. --km-path file:///opt/k8sm/km for a km installed on the agents, an http:// or hdfs:// URI they fetch, or a local km file to serve on --port',
      );
    this.kubeconfig = { ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}), ...(flags.context ? { context: flags.context } : {}) };
    if (this.settings.staticPodsDir) this.statics = await staticPods(this.settings.staticPodsDir, this.settings.scheduler);
  }

  validate(): void {}

  async run(): Promise<Outcome> {
    const f = this.factory;
    const s = this.settings;
    if (!f.schedulerClient || !f.schedulerKube) throw new Error('this build has no scheduler clients');
    f.longRunning?.();
    const log = createLogger(this.io.err, s.verbosity, s.logFormat, () => f.clock.now(), process.pid);
    const metrics = createMetrics();
    const stop = f.signal;
    const kube = await f.schedulerKube(this.kubeconfig, { schedulerName: s.loop.schedulerName });
    const le = s.leaderElection;
    if (le && !kube.leases) throw new Error('this build has no lease client');
    let loop: SchedulerLoop | undefined;
    const server = await startServer({
      address: s.address,
      port: s.port,
      ready: () => loop?.ready ?? false,
      registry: metrics.registry,
      artifacts: servedArtifacts({ ...s.executor, apiServers: [], artifactBaseUrl: '' }),
    }).catch((e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'the port is in use' : e.code === 'EADDRNOTAVAIL' ? 'no such local address' : e.message;
      throw new UsageError(
        `cannot listen on --address ${s.address} --port ${s.port}: ${why}`,
        'pick another --port (0: any free port), or stop what listens there',
      );
    });
    let client: Awaited<ReturnType<NonNullable<Factory['schedulerClient']>>> | undefined;
    try {
      let elector: LeaderElector | undefined;
      if (le) {
        elector = new LeaderElector(
          { ...le, identity: leaderIdentity() },
          { store: kube.leases!, log, now: () => performance.now(), wall: () => f.clock.now(), sleep },
        );
        log.info(0, 'leader election: only the holder of the lease schedules', {
          lease: elector.lease,
          leaseDuration: `${le.leaseDurationMs}ms`,
          renewDeadline: `${le.renewDeadlineMs}ms`,
          retryPeriod: `${le.retryPeriodMs}ms`,
          http: server.url,
        });
        if (!(await elector.acquire(stop))) {
          log.info(0, 'stopped before leading');
          return 'ok';
        }
      }
      client = await f.schedulerClient({ ...this.mesos, requestTimeoutMs: this.mesos.requestTimeoutMs });
      const scheduler = this.statics?.scheduler ?? s.scheduler;
      const apiServers = s.apiServers ?? (kube.server ? [kube.server] : []);
      const executor = executorPrototype(
        { ...s.executor, apiServers, artifactBaseUrl: s.advertisedAddress ? `http://${s.advertisedAddress}` : server.url },
        this.statics?.gzip,
      );
      log.info(0, 'starting', {
        framework: s.loop.frameworkName,
        executorId: executor.id,
        staticPods: this.statics?.count ?? 0,
        http: server.url,
        schedulerName: s.loop.schedulerName,
      });
      // The loop stops on a signal, or when the lease is lost; the lease is renewed until the loop has wound down.
      const loopCtl = new AbortController();
      const leaseCtl = new AbortController();
      const onStop = (): void => loopCtl.abort(stop.reason);
      if (stop.aborted) onStop();
      else stop.addEventListener('abort', onStop, { once: true });
      let lost: string | undefined;
      let lostNow: () => void = () => undefined;
      const lostSignal = new Promise<void>((resolve) => (lostNow = resolve));
      const keeping = elector?.keepLeading(leaseCtl.signal).then((r) => {
        if (r.end === 'lost') {
          lost = r.why;
          log.error('lost the lease: stopping', { lease: elector.lease, why: r.why });
          loopCtl.abort('lease lost');
          lostNow();
        }
      });
      const newId = uuidV1Factory(() => f.clock.now());
      loop = new SchedulerLoop(
        { ...s.loop, scheduler, executor },
        {
          client,
          kube,
          log,
          metrics,
          now: () => f.clock.now(),
          newTaskId: newId,
          signal: loopCtl.signal,
          sleep,
          // After taking over a framework id: the master's live tasks (one state request), so that a pod
          // launched just before the restart, not yet bound, is not launched again.
          liveTasks: async (frameworkId) => {
            const m = await f.mesos(this.mesos);
            try {
              return await m.frameworkTasks(frameworkId);
            } finally {
              m.close();
            }
          },
          // A new framework while pods name k8sm tasks: every framework's live tasks (one request), so
          // that pods running under another framework (km's, before the move) are left alone.
          allLiveTasks: async () => {
            const m = await f.mesos(this.mesos);
            try {
              return await m.frameworkTasks();
            } finally {
              m.close();
            }
          },
        },
      );
      const running = loop.run();
      const graceCtl = new AbortController();
      let woundDown = true;
      const result = await Promise.race([
        running,
        lostSignal.then(() =>
          Promise.race([
            running,
            sleep(LOST_LEASE_GRACE_MS, graceCtl.signal).then(
              () => {
                woundDown = false;
                return undefined;
              },
              () => undefined,
            ),
          ]),
        ),
      ]);
      graceCtl.abort();
      stop.removeEventListener('abort', onStop);
      leaseCtl.abort();
      await keeping;
      // The last word on stderr: `error: ...` as every command's, or with --log-format json one more JSON
      // object (level error), so that a log shipper reading JSON lines reads every line the scheduler writes.
      const fatal = (line: string): void => {
        if (s.logFormat === 'json') log.error(line.replace(/^error: /, ''), { exitCode: 1 });
        else this.io.err.write(`${line}\n`);
      };
      if (lost !== undefined) {
        fatal(`error: lost the lease ${elector!.lease} (${lost}): exiting so that a supervisor restarts this process`);
        // Requests to an apiserver that went quiet (or a loop that did not wind down) must not keep the process alive.
        f.exitSoon?.(1, woundDown ? 500 : 0);
        return 'failed';
      }
      if (elector) await elector.release();
      if (result?.end === 'refused' && result.error) {
        // The master's words and what to change (lib/outcomes), exit 1 as for a framework the master ended.
        for (const line of describeFailure(result.error).lines) fatal(line);
        return 'failed';
      }
      if (result?.end === 'framework-error') {
        const next =
          result.idRemoved === 'forgotten'
            ? `; its id is no longer kept in ConfigMap ${result.store}: run again to register a new framework`
            : result.idRemoved === 'still-stored'
              ? `; delete ConfigMap ${result.store} (kubectl -n ${result.store!.split('/')[0]} delete configmap ${result.store!.split('/')[1]}), then run again to register a new framework`
              : '';
        fatal(`error: the Mesos master ended framework ${result.frameworkId ?? s.loop.frameworkName}: ${result.message ?? ''}${next}`);
        return 'failed';
      }
      log.info(0, 'stopped', { frameworkId: result?.frameworkId });
      return 'ok';
    } finally {
      client?.close();
      await server.close();
    }
  }
}
