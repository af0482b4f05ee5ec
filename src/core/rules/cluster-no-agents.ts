import { podRule } from './rule.js';
import { podFinding, podLabel, specPath } from './report.js';

/**
 * A live cluster model (`--mesos-master`, `--cluster-snapshot`) without one active agent: no agent,
 * no offer, so k8sm can place no pod at all, whatever the pod asks for.
 */
export const clusterNoAgents = podRule({
  id: 'cluster-no-agents',
  severity: 'error',
  title: 'The cluster has no agent to run the pod',
  description:
    'k8sm launches a pod only into an offer, and only active Mesos agents make offers. Checked against a live master or a saved snapshot that lists no active agent, every pod stays Pending with "no suitable offers for pod/task".',
  help: 'Start the Mesos agents (or reconnect them to the master), or point --mesos-master / --cluster-snapshot at the cluster the pods are meant for.',
  check(ctx, pod, out) {
    if (!ctx.cluster.live || !pod.runs || ctx.model.agents.length > 0) return;
    const where =
      ctx.model.origin === 'mesos'
        ? `the Mesos master (${ctx.model.source}) lists no active agent`
        : `the cluster snapshot (${ctx.model.source}) holds no active agent`;
    out.push(
      podFinding(
        this,
        pod,
        specPath(pod),
        `${podLabel(pod.resource)} cannot be scheduled: ${where}, so no offer ever comes and the pod stays Pending ("no suitable offers for pod/task"). Start or reconnect the agents, or check that the right cluster was named.`,
      ),
    );
  },
});
