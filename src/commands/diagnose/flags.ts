import * as Flags from '@oclif/core/flags';
import { kubeFlags, mesosFlags } from '../../lib/flags/mesos-flags.js';

/**
 * The flags both `diagnose` commands take: the Mesos and Kubernetes connection flags of the other
 * cluster commands, the k8sm framework's name, and the k8sm scheduler settings the verdict
 * depends on, spelled and defaulted as the k8sm scheduler's own flags (reference §1.2, §1.3). The
 * model is the one `validate` checks manifests with; validate's spellings are accepted as aliases.
 */
const K8SM = 'K8SM SCHEDULER';

export const schedulerFlags = {
  'framework-name': Flags.string({
    description: "The k8sm scheduler's --framework-name: the Mesos framework diagnosed.",
    default: 'Kubernetes',
    helpValue: 'NAME',
    helpGroup: K8SM,
  }),
  'mesos-framework-roles': Flags.string({
    description: "The scheduler's --mesos-framework-roles.",
    default: '*',
    helpValue: 'ROLES',
    aliases: ['framework-roles'],
    helpGroup: K8SM,
  }),
  'mesos-default-pod-roles': Flags.string({
    description: "The scheduler's --mesos-default-pod-roles: the roles of a pod without the k8s.mesosphere.io/roles annotation.",
    default: '*',
    helpValue: 'ROLES',
    aliases: ['default-pod-roles'],
    helpGroup: K8SM,
  }),
  'mesos-executor-cpus': Flags.string({
    description: "The scheduler's --mesos-executor-cpus (a running k8sm executor's own share, static pods included, wins when there is one).",
    default: '0.25',
    helpValue: 'N',
    helpGroup: K8SM,
  }),
  'mesos-executor-mem': Flags.string({ description: "The scheduler's --mesos-executor-mem (MB).", default: '128', helpValue: 'MB', helpGroup: K8SM }),
  'default-container-cpu-limit': Flags.string({
    description: "The scheduler's --default-container-cpu-limit.",
    default: '0.25',
    helpValue: 'N',
    helpGroup: K8SM,
  }),
  'default-container-mem-limit': Flags.string({
    description: "The scheduler's --default-container-mem-limit (MB).",
    default: '64',
    helpValue: 'MB',
    helpGroup: K8SM,
  }),
  'host-port-endpoints': Flags.boolean({
    description: "The scheduler's --host-port-endpoints: true selects the wildcard host-port mapping, false fixed.",
    default: true,
    allowNo: true,
    helpGroup: K8SM,
  }),
  'port-mapping': Flags.string({
    description: 'The default host-port mapping, when it differs from what --host-port-endpoints selects.',
    options: ['wildcard', 'fixed'],
    helpGroup: K8SM,
  }),
  'mesos-launch-grace-period': Flags.string({
    description: "The scheduler's --mesos-launch-grace-period: the executor deletes a launched pod not Running by then.",
    default: '5m',
    helpValue: 'DURATION',
    helpGroup: K8SM,
  }),
  'offer-ttl': Flags.string({
    description:
      "The scheduler's offer-ttl ([scheduler] section of --scheduler-config). Offers the framework still holds twice this long after the first read are held (offers-held); 0 skips that second look.",
    default: '5s',
    helpValue: 'DURATION',
    helpGroup: K8SM,
  }),
  'executor-id': Flags.string({
    description:
      'The executor id the scheduler uses now (<hash>_k8sm-executor), when its configuration changed; default: the id of the executor that launched a pod last.',
    helpValue: 'ID',
    helpGroup: K8SM,
  }),
};

export const diagnoseOutputFlag = {
  output: Flags.string({
    char: 'o',
    description: 'Output format: text is shaped like kubectl describe; wide adds one row per agent; json and yaml are {pods, cluster}.',
    options: ['text', 'wide', 'json', 'yaml'],
    default: 'text',
  }),
};

export const connectionFlags = { ...kubeFlags, ...mesosFlags };

export function stuckAfterFlag(description: string) {
  return Flags.string({ description, default: '30s', helpValue: 'DURATION' });
}
