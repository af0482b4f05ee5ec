/**
 * What `delete orphans` will do, and the check right before it does it: the plan holds only proven
 * orphans; `reverify` classifies each container again against a fresh read of its agent and a
 * fresh inspect, and anything that is no longer a proven orphan with the same marker is skipped.
 */
import { classifyContainer, describeEvidence } from './classify.js';
import type { AgentReading, Classification, ClusterFacts, ContainerPod, KubeletContainer } from './types.js';

export interface PlanItem {
  agentId: string;
  hostname: string;
  containerId: string;
  containerName: string;
  pod?: ContainerPod;
  /** The executor container the proof was made with. */
  marker: string;
  /** Stop timeout, seconds. */
  gracePeriodSeconds: number;
  /** The proof and evidence, in words. */
  proof: string;
}

export interface PlanOptions {
  /** --grace-period (seconds); default each container's own. */
  gracePeriodSeconds?: number;
}

/** The kill plan: proven orphans only, by agent then container name. */
export function killPlan(classified: ReadonlyArray<Classification>, opts: PlanOptions = {}): PlanItem[] {
  return classified
    .filter((c) => c.class === 'orphan' && c.marker !== undefined)
    .map((c) => ({
      agentId: c.agentId,
      hostname: c.hostname,
      containerId: c.container.id,
      containerName: c.container.name,
      ...(c.pod ? { pod: c.pod } : {}),
      marker: c.marker as string,
      gracePeriodSeconds: opts.gracePeriodSeconds ?? c.gracePeriodSeconds,
      proof: [c.reason, ...c.evidence.map(describeEvidence)].join('; '),
    }))
    .sort((a, b) =>
      a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : a.containerName < b.containerName ? -1 : a.containerName > b.containerName ? 1 : 0,
    );
}

export type Reverified = { act: true; item: PlanItem } | { act: false; item: PlanItem; reason: string };

/**
 * A plan item against the agent's state and the container read again right before acting:
 * gone → skip; marker changed → skip; executor back (live) → skip; unproven now → skip.
 */
export function reverify(item: PlanItem, fresh: { agent: AgentReading; container: KubeletContainer | undefined }, cluster: ClusterFacts): Reverified {
  if (!fresh.container) return { act: false, item, reason: 'container gone' };
  if (fresh.container.id !== item.containerId) return { act: false, item, reason: 'another container answered' };
  const c = classifyContainer(fresh.container, fresh.agent, cluster);
  if (c.marker !== undefined && c.marker !== item.marker) return { act: false, item, reason: `marker changed to ${c.marker}` };
  if (c.class === 'live') return { act: false, item, reason: `executor came back: ${c.reason}` };
  if (c.class !== 'orphan') return { act: false, item, reason: `no longer proven: ${c.reason}` };
  return { act: true, item };
}
