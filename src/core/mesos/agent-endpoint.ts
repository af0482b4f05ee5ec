import type { AgentSnapshot } from './snapshot.js';

export const DEFAULT_AGENT_PORT = 5051;

export interface AgentEndpoint {
  /** `http://10.0.0.5:5051` */
  baseUrl: string;
  /** The libprocess id the agent's endpoints live under, normally `slave(1)`. */
  processId: string;
  /** Mesos before 0.25: the state is at `state.json` (there was no `state`). */
  stateJsonOnly?: boolean;
}

/**
 * Where to reach an agent: the address in its libprocess `pid` (`slave(1)@10.0.0.5:5051`) is the
 * one the master talks to; without a usable pid, `hostname:port` (port default 5051).
 */
export function agentEndpoint(
  agent: Pick<AgentSnapshot, 'pid' | 'hostname'> & Partial<Pick<AgentSnapshot, 'port' | 'stateJsonOnly'>>,
  scheme: 'http' | 'https',
): AgentEndpoint {
  const m = /^([^@\s]+)@([^@\s]+):(\d{1,5})$/.exec(agent.pid ?? '');
  let host: string;
  let port: number;
  let processId = 'slave(1)';
  if (m) {
    processId = m[1]!;
    host = m[2]!;
    port = Number(m[3]);
  } else {
    host = agent.hostname;
    port = agent.port ?? DEFAULT_AGENT_PORT;
  }
  if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
  return { baseUrl: `${scheme}://${host}:${port}`, processId, ...(agent.stateJsonOnly ? { stateJsonOnly: true } : {}) };
}

export function agentStateUrl(ep: AgentEndpoint): string {
  return `${ep.baseUrl}/${ep.processId}/state${ep.stateJsonOnly ? '.json' : ''}`;
}

export function agentFlagsUrl(ep: AgentEndpoint): string {
  return `${ep.baseUrl}/${ep.processId}/flags`;
}
