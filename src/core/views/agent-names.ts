import type { AgentSnapshot } from '../mesos/snapshot.js';
import { compareStrings } from '../compare.js';

type NamedAgent = Pick<AgentSnapshot, 'id' | 'hostname' | 'pid'> & { port?: number };

/** The agent's port: from its libprocess pid (`slave(1)@10.0.0.5:5051`), else the `port` field. */
export function agentPort(a: NamedAgent): number | undefined {
  const m = /:(\d{1,5})$/.exec(a.pid ?? '');
  return m ? Number(m[1]) : a.port;
}

/** `host:port` (`[2001:db8::1]:5051` for IPv6); the hostname alone when the port is unknown. */
export function hostAndPort(a: NamedAgent): string {
  const port = agentPort(a);
  if (port === undefined) return a.hostname;
  return `${a.hostname.includes(':') ? `[${a.hostname}]` : a.hostname}:${port}`;
}

/**
 * The name each agent goes by (`get agents -o name`, `describe agent NAME`), by agent id: the
 * hostname; `hostname:port` for agents that share a hostname (several agents may run on one host on
 * different ports); the agent id when even that is shared.
 */
export function agentNames(agents: ReadonlyArray<NamedAgent>): Map<string, string> {
  const byHost = new Map<string, number>();
  for (const a of agents) byHost.set(a.hostname, (byHost.get(a.hostname) ?? 0) + 1);
  const byHostPort = new Map<string, number>();
  for (const a of agents) if (byHost.get(a.hostname)! > 1) byHostPort.set(hostAndPort(a), (byHostPort.get(hostAndPort(a)) ?? 0) + 1);
  const out = new Map<string, string>();
  for (const a of agents) {
    if (byHost.get(a.hostname) === 1) out.set(a.id, a.hostname);
    else if (byHostPort.get(hostAndPort(a)) === 1) out.set(a.id, hostAndPort(a));
    else out.set(a.id, a.id);
  }
  return out;
}

/** Whether `name` names this agent exactly: its hostname, its id, or `hostname:port`. */
export function agentHasName(a: NamedAgent, name: string): boolean {
  return a.hostname === name || a.id === name || hostAndPort(a) === name;
}

export interface AgentLookup<A> {
  agent?: A;
  /** When the name is ambiguous: the names (with ids) of the agents it could mean. */
  candidates: string[];
}

/**
 * Finds an agent by id, `hostname:port`, hostname or unique hostname prefix. A hostname two agents
 * share is ambiguous: the candidates are their `hostname:port` names.
 */
export function lookupAgent<A extends NamedAgent>(agents: ReadonlyArray<A>, name: string): AgentLookup<A> {
  const names = agentNames(agents);
  const label = (a: A) => `${names.get(a.id)} (${a.id})`;
  const exact = agents.filter((a) => agentHasName(a, name));
  if (exact.length === 1) return { agent: exact[0]!, candidates: [] };
  if (exact.length > 1) return { candidates: exact.map(label).sort(compareStrings) };
  const prefix = agents.filter((a) => a.hostname.startsWith(name));
  if (prefix.length === 1) return { agent: prefix[0]!, candidates: [] };
  return { candidates: prefix.map(label).sort(compareStrings) };
}

export interface AgentResolution<A> {
  /** The agent each name names, in the order named. */
  agents: A[];
  /** Names that match no agent, or more than one (with the candidates). */
  problems: Array<{ name: string; candidates: string[] }>;
}

/** Resolves every name given to `describe agent` before any agent is asked. */
export function resolveAgentNames<A extends NamedAgent>(agents: ReadonlyArray<A>, names: ReadonlyArray<string>): AgentResolution<A> {
  const out: A[] = [];
  const problems: AgentResolution<A>['problems'] = [];
  for (const name of names) {
    const { agent, candidates } = lookupAgent(agents, name);
    if (!agent) problems.push({ name, candidates });
    else out.push(agent);
  }
  return { agents: out, problems };
}
