import type { Finding } from '../finding.js';
import { parseStoutDuration } from './stout-duration.js';

/**
 * The k8sm executor waits up to 15 s (hard-coded) for its kubelet to stop the pod containers when it
 * is shut down; the agent kills it after `executor_shutdown_grace_period` (Mesos default 5secs).
 */
export const K8SM_EXECUTOR_SHUTDOWN_SECONDS = 15;

/** Checks the agent flags that decide whether k8sm leaves orphaned pod containers behind. */
export function agentFlagFindings(hostname: string, flags: Record<string, string>): Finding[] {
  const out: Finding[] = [];
  const object = `agent/${hostname}`;
  const grace = flags.executor_shutdown_grace_period;
  if (grace !== undefined) {
    const secs = parseStoutDuration(grace);
    if (secs !== undefined && secs < K8SM_EXECUTOR_SHUTDOWN_SECONDS) {
      out.push({
        rule: 'agent-shutdown-grace-too-short',
        severity: 'warning',
        object,
        message: `executor_shutdown_grace_period is ${grace}: the agent kills the k8sm executor before the ${K8SM_EXECUTOR_SHUTDOWN_SECONDS} s it allows its kubelet to stop pod containers, so containers can be orphaned on executor shutdown; start the agent with --executor_shutdown_grace_period=30secs. Containers orphaned so far: on the agent, 'docker ps -a --filter name=k8s_' lists the kubelet containers; remove ('docker rm -f') those whose MESOS_EXECUTOR_CONTAINER_UUID ('docker inspect') is the container of no k8sm executor that 'k8smctl describe agent' lists`,
      });
    }
  }
  if (flags.docker_kill_orphans === 'true') {
    out.push({
      rule: 'agent-docker-kill-orphans-scope',
      severity: 'info',
      object,
      message:
        "docker_kill_orphans=true only removes containers named 'mesos-*': kubelet containers ('k8s_*') left by a k8sm executor are never touched by the agent",
    });
  }
  return out;
}

/** Agent flags shown by `describe agent` because they matter to k8sm. */
export const K8SM_RELEVANT_AGENT_FLAGS = [
  'executor_shutdown_grace_period',
  'docker_kill_orphans',
  'docker_stop_timeout',
  'docker_remove_delay',
  'executor_registration_timeout',
  'containerizers',
  'docker_socket',
  'resources',
  'attributes',
  'default_role',
  'work_dir',
  'cgroups_root',
  'isolation',
] as const;
