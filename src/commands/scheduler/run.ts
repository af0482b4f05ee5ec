import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import { kubeFlags, mesosFlags } from '../../lib/flags/mesos-flags.js';
import type { IOStreams } from '../../lib/io.js';

const K8SM = 'K8SM SCHEDULER';
const EXEC = 'EXECUTOR';
const SERVE = 'SERVING';
const LEADER = 'LEADER ELECTION';

const str = (description: string, o: { default?: string; helpValue?: string; helpGroup?: string } = {}) =>
  Flags.string({
    description,
    helpGroup: o.helpGroup ?? K8SM,
    ...(o.default !== undefined ? { default: o.default } : {}),
    ...(o.helpValue ? { helpValue: o.helpValue } : {}),
  });

export default class SchedulerRun extends BaseCommand {
  static override summary = 'Run the k8sm scheduler in the foreground, on the Mesos v1 scheduler HTTP API.';

  static override description = `A drop-in for 'km scheduler' next to existing k8sm executors: it registers the framework (--framework-name) with the leading Mesos master, watches the pods whose spec.schedulerName is --scheduler-name and that have no node yet, and launches each on an agent through the k8sm executor ('Kubelet-Executor', the same executor id km computes from the same flags, so a running executor is reused). Flags are named as km scheduler's where they mean the same.

Placement follows k8sm's resource model (container defaults and minimums, limits charged, the executor and static pods charged with a host's first pod, roles, nodeName, nodeSelector on k8s.mesosphere.io/attribute-* labels, fixed and wildcard host ports), but places several pods per offer, all or nothing per pod, and spreads the replicas of one owner over agents. What a cycle does not use is declined at once (--offer-refuse-seconds): no offer is held. With nothing pending the framework suppresses offers and revives them when a pod arrives.

Each pod gets a 'Scheduled' event (while launches wait for their bindings, 20 such events a second are written and the rest once they are bound: the bindings go first), or a 'FailedScheduling' event with the per-agent reasons and numbers 'k8smctl diagnose pod' gives. A deleted pod's task is killed. Nodes are created per agent hostname with k8sm's labels.

The framework id is kept in a ConfigMap in --framework-store-namespace and reused on restart within --failover-timeout. SIGINT/SIGTERM stop launching, decline what is held, and leave the framework registered so that a restart takes its tasks over, unless --teardown-on-exit.

/healthz, /readyz and /metrics (Prometheus) are served on --address:--port. Logs go to stderr, kube-style (-v N, --log-format).

A master or apiserver that cannot be reached is tried again (backoff up to 15 s), each failure a warning line.

High availability (--leader-elect, as kube-scheduler's; off by default because km scheduler had none): run two or more, each takes a coordination.k8s.io/v1 Lease; only its holder subscribes to Mesos and schedules, the others serve /healthz (ok) and /readyz (not ready) and wait. A holder that cannot renew the Lease within --leader-elect-renew-deadline stops launching and exits 1 (a supervisor restarts it), leaving the framework registered; another takes the Lease once it has not changed for --leader-elect-lease-duration and reuses the framework id. SIGINT/SIGTERM release the Lease, so another takes it at once.

Exit status: 0 after a signal, 1 when the master ends the framework, refuses its subscription for good (401, 403 or 400: the credentials, the ACLs or the flags must change) or the lease is lost, 2 for usage errors (before anything connects) or an address already in use.`;

  static override examples = [
    {
      description: 'Against the test stack (npm run stack:up):',
      command: '<%= config.bin %> scheduler run --mesos-master zk://127.0.0.1:2181/mesos --km-path file:///opt/k8sm/km',
    },
    {
      description: 'Roles and a wider log:',
      command: "<%= config.bin %> scheduler run --mesos-master http://m1:5050 --mesos-framework-roles '*,public' --mesos-default-pod-roles '*' -v 3",
    },
  ];

  static override flags = {
    'scheduler-name': str('Schedule the pods whose spec.schedulerName is this (pods without one count as default-scheduler).', {
      default: 'default-scheduler',
      helpValue: 'NAME',
    }),
    'framework-name': str("The Mesos framework's name (km: --framework-name).", { default: 'Kubernetes', helpValue: 'NAME' }),
    'framework-weburi': str("The framework's web UI URL shown by Mesos.", { helpValue: 'URL' }),
    'mesos-user': str('The user tasks run as on the agents.', { default: 'root', helpValue: 'USER' }),
    'mesos-framework-roles': str("The roles the framework takes resources of: '*', a role, or two with one '*'.", { default: '*', helpValue: 'ROLES' }),
    'mesos-default-pod-roles': str('The roles of a pod without the k8s.mesosphere.io/roles annotation, in preference order.', {
      default: '*',
      helpValue: 'ROLES',
    }),
    'mesos-executor-cpus': str("The executor's own cpus (charged with a host's first pod, plus the static pods).", { default: '0.25', helpValue: 'N' }),
    'mesos-executor-mem': str("The executor's own memory in MB.", { default: '128', helpValue: 'MB' }),
    'default-container-cpu-limit': str('The cpu limit of a container that sets none.', { default: '0.25', helpValue: 'N' }),
    'default-container-mem-limit': str('The memory limit (MB) of a container that sets none.', { default: '64', helpValue: 'MB' }),
    'host-port-endpoints': Flags.boolean({
      description: 'Map container ports without hostPort to offered host ports (wildcard); --no-host-port-endpoints: fixed.',
      default: true,
      allowNo: true,
      helpGroup: K8SM,
    }),
    'static-pods-config': str("A folder of static pod manifests every executor runs, checked with validate's static-pod rules before start.", {
      helpValue: 'DIR',
    }),
    checkpoint: Flags.boolean({
      description: 'Ask the agents to checkpoint the tasks (survive an agent restart).',
      default: true,
      allowNo: true,
      helpGroup: K8SM,
    }),
    'failover-timeout': str(
      "How long Mesos keeps the framework's tasks while the scheduler is away (0: none). One week by default, not km's 146 years, so that a scheduler gone for good does not leave its tasks forever; long enough for any restart to take them over.",
      { default: '168h', helpValue: 'DURATION' },
    ),
    'reconcile-interval': str('Implicit task reconciliation every this long (0: never).', { default: '300s', helpValue: 'DURATION' }),
    'offer-refuse-seconds': str('Declined offers are not offered again for this long (seconds).', { default: '5', helpValue: 'SECONDS' }),
    'framework-store-namespace': str('The namespace of the ConfigMap that keeps the framework id.', { default: 'kube-system', helpValue: 'NS' }),
    'teardown-on-exit': Flags.boolean({
      description: 'On SIGINT/SIGTERM tear the framework down (its tasks end) instead of leaving it for failover.',
      helpGroup: K8SM,
    }),
    'km-path': str(
      'The km binary the agents run as executor (this or --executor-path is needed): a URI they fetch (hdfs://, http://, file:// for one installed on the agents) or a local file served on --port.',
      {
        helpValue: 'PATH|URI',
        helpGroup: EXEC,
      },
    ),
    'executor-path': str('A standalone executor binary served on --port (instead of km minion).', { helpValue: 'PATH', helpGroup: EXEC }),
    'api-servers': str("The apiservers the executors talk to, comma-separated (default: the kubeconfig's server).", { helpValue: 'URLS', helpGroup: EXEC }),
    'mesos-launch-grace-period': str('The executor deletes a launched pod not Running by then.', { default: '5m', helpValue: 'DURATION', helpGroup: EXEC }),
    'executor-suicide-timeout': str('An executor without tasks exits after this long.', { default: '20m', helpValue: 'DURATION', helpGroup: EXEC }),
    'executor-logv': str("The executor's log level.", { default: '0', helpValue: 'N', helpGroup: EXEC }),
    'allow-privileged': Flags.boolean({ description: 'Let pods run privileged containers.', helpGroup: EXEC }),
    'mesos-cgroup-prefix': str("The agents' cgroup prefix.", { default: 'mesos', helpValue: 'PREFIX', helpGroup: EXEC }),
    'kubelet-cadvisor-port': str("The kubelet's cAdvisor port.", { default: '4194', helpValue: 'PORT', helpGroup: EXEC }),
    'kubelet-sync-frequency': str("The kubelet's sync period.", { default: '10s', helpValue: 'DURATION', helpGroup: EXEC }),
    'contain-pod-resources': Flags.boolean({ description: "Put pod containers under the executor's cgroup.", default: true, allowNo: true, helpGroup: EXEC }),
    'cluster-dns': str("The kubelet's cluster DNS address.", { helpValue: 'IP', helpGroup: EXEC }),
    'cluster-domain': str("The kubelet's cluster domain.", { helpValue: 'DOMAIN', helpGroup: EXEC }),
    address: str('Address of the HTTP endpoints (/healthz, /readyz, /metrics, artifacts).', { default: '127.0.0.1', helpValue: 'IP', helpGroup: SERVE }),
    port: str('Port of the HTTP endpoints (0: any free port).', { default: '10251', helpValue: 'PORT', helpGroup: SERVE }),
    'advertised-address': str('host:port the agents fetch artifacts from, when not --address:--port.', { helpValue: 'HOST:PORT', helpGroup: SERVE }),
    'leader-elect': Flags.boolean({
      description:
        "Run for a Lease and schedule only while holding it (kube-scheduler's flag; off by default here because km scheduler had no leader election).",
      helpGroup: LEADER,
    }),
    'leader-elect-lease-duration': str('How long a candidate waits, after it last saw the Lease change, before it takes the Lease over (whole seconds).', {
      default: '15s',
      helpValue: 'DURATION',
      helpGroup: LEADER,
    }),
    'leader-elect-renew-deadline': str('The leader stops (and exits 1) when it could not renew the Lease for this long; less than the lease duration.', {
      default: '10s',
      helpValue: 'DURATION',
      helpGroup: LEADER,
    }),
    'leader-elect-retry-period': str('Candidates try to take the Lease, and the leader renews it, every this long; renew deadline > 1.2 x this.', {
      default: '2s',
      helpValue: 'DURATION',
      helpGroup: LEADER,
    }),
    'leader-elect-resource-name': str(
      "The Lease's name. Default: k8sm-scheduler-<--framework-name lower-cased> (k8sm-scheduler-kubernetes), one per framework, as the ConfigMap of its framework id (kube-scheduler's is kube-scheduler).",
      { helpValue: 'NAME', helpGroup: LEADER },
    ),
    'leader-elect-resource-namespace': str("The Lease's namespace.", { default: 'kube-system', helpValue: 'NS', helpGroup: LEADER }),
    v: Flags.string({ char: 'v', description: 'Log verbosity (0-10).', default: '0', helpValue: 'N', helpGroup: 'LOGGING' }),
    'log-format': Flags.string({ description: 'Log line format on stderr.', options: ['text', 'json'], default: 'text', helpGroup: 'LOGGING' }),
    ...mesosFlags,
    ...kubeFlags,
  };

  static override loadOptions = async (io: IOStreams) => new (await import('../../cmd/scheduler/run.js')).SchedulerRunOptions(io);
}
