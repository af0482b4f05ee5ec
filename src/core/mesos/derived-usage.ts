import type { ExecutorSnapshot, Resources, TaskSnapshot } from './snapshot.js';
import { addResources, emptyResources } from './resources.js';
import { isLiveTask } from './task-state.js';

/** An outstanding offer: the resources a framework is offered on one agent. */
export interface OfferOnAgent {
  agentId: string;
  resources: Resources;
}

/**
 * What an agent has in use and on offer, from what a master document lists, for masters that do not
 * print it (before Mesos 0.23): the master counts a task's resources from launch until its terminal
 * status update, and an executor's (custom executors only: the master does not know the command
 * executor's own share) while it runs. Executors of torn-down frameworks are not passed in.
 */
export function deriveAgentUsage(
  agentId: string,
  tasks: ReadonlyArray<TaskSnapshot>,
  executors: ReadonlyArray<ExecutorSnapshot>,
  offers: ReadonlyArray<OfferOnAgent>,
): { used: Resources; offered: Resources } {
  let used = emptyResources();
  for (const t of tasks) if (t.agentId === agentId && isLiveTask(t)) used = addResources(used, t.resources);
  for (const e of executors) if (e.agentId === agentId && e.resources) used = addResources(used, e.resources);
  let offered = emptyResources();
  for (const o of offers) if (o.agentId === agentId) offered = addResources(offered, o.resources);
  return { used, offered };
}
