import type { AgentDetail, CompletedExecutorSnapshot, ExecutorSnapshot } from './snapshot.js';
import { JsonNode } from './json-node.js';
import { isK8smExecutor } from './k8sm-identity.js';
import { resourcesFromModel } from './resources.js';
import { defined } from './master-state.js';

/**
 * Agent `/slave(1)/state` → AgentDetail: the live executors of every framework on the agent with
 * their Mesos `container` id and sandbox `directory` (what the orphan check needs), and the agent
 * flags (`/state` carries them too, so one request gives both), and the agent's Mesos version.
 */
export function parseAgentState(json: unknown, source: string): AgentDetail {
  const root = JsonNode.root(json, source);
  const agentId = root.optStr('id') ?? '';
  const executors: ExecutorSnapshot[] = [];
  const completedExecutors: CompletedExecutorSnapshot[] = [];
  for (const key of ['frameworks', 'completed_frameworks']) {
    for (const f of root.arr(key)) {
      if (!f.isObject()) f.fail('is not an object, expected a framework');
      const frameworkId = f.str('id');
      if (key === 'frameworks') for (const e of f.arr('executors')) executors.push(parseAgentExecutor(e, frameworkId, agentId));
      for (const e of f.arr('completed_executors')) completedExecutors.push(parseCompletedExecutor(e, frameworkId));
    }
  }
  const flags = root.optStringMap('flags');
  const version = root.optStr('version');
  return { reachable: true, ...(version ? { version } : {}), ...(flags ? { flags } : {}), executors, completedExecutors };
}

function parseCompletedExecutor(e: JsonNode, frameworkId: string): CompletedExecutorSnapshot {
  if (!e.isObject()) e.fail('is not an object, expected an executor');
  const id = e.optId('id') ?? e.id('executor_id');
  const name = e.optStr('name') ?? '';
  let endedAt: number | undefined;
  for (const key of ['completed_tasks', 'tasks']) {
    for (const t of e.arr(key)) {
      if (!t.isObject()) continue;
      for (const s of t.arr('statuses')) {
        const ts = s.isObject() ? s.optNum('timestamp') : undefined;
        if (ts !== undefined && (endedAt === undefined || ts > endedAt)) endedAt = ts;
      }
    }
  }
  return { id, name, frameworkId, ...defined({ container: e.optStr('container'), endedAt }), isK8sm: isK8smExecutor(name, id) };
}

function taskIds(e: JsonNode, key: string): string[] {
  return e.arr(key).map((t) => {
    if (!t.isObject()) t.fail('is not an object, expected a task');
    return t.optId('id') ?? t.id('task_id');
  });
}

function parseAgentExecutor(e: JsonNode, frameworkId: string, agentId: string): ExecutorSnapshot {
  if (!e.isObject()) e.fail('is not an object, expected an executor');
  const id = e.optId('id') ?? e.id('executor_id');
  const name = e.optStr('name') ?? '';
  return {
    id,
    name,
    frameworkId,
    agentId,
    ...defined({
      source: e.optStr('source') || undefined,
      container: e.optStr('container'),
      directory: e.optStr('directory'),
    }),
    resources: resourcesFromModel(e.optObj('resources')),
    taskIds: [...taskIds(e, 'tasks'), ...taskIds(e, 'queued_tasks')],
    isK8sm: isK8smExecutor(name, id),
  };
}

/** Agent `/slave(1)/flags` → `{name: value}` (values are strings). */
export function parseAgentFlags(json: unknown, source: string): Record<string, string> {
  const root = JsonNode.root(json, source);
  const flags = root.optStringMap('flags');
  if (!flags) return root.fail('is missing', 'flags');
  return flags;
}
