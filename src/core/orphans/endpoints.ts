/**
 * Which Docker engine answers for an agent (issue 9), in this order: the `--docker-endpoints` map
 * (agent hostname or id → endpoint), the `--docker-endpoint` template with {hostname}, {ip}, {id},
 * then the local engine (DOCKER_HOST, else unix:///var/run/docker.sock) for the agent the command
 * runs on. Pure: the caller reads the file, the environment and the local host names.
 */

export interface EngineEndpoint {
  kind: 'unix' | 'tcp' | 'ssh';
  /** As given after placeholders were filled, e.g. `tcp://10.0.0.5:2376`. */
  url: string;
  socketPath?: string;
  host?: string;
  port?: number;
  user?: string;
  /** Where it came from: `file`, `template` or `local`. */
  source: 'file' | 'template' | 'local';
}

export interface AgentAddress {
  id: string;
  hostname: string;
  /** The agent's IP (from its pid `slave(1)@IP:port`), when known. */
  ip?: string;
}

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';
const PLACEHOLDERS = new Set(['hostname', 'ip', 'id']);

/** Problems with a template or an endpoint, as facts (the command names the flag). */
export class EndpointProblem extends Error {}

/** Checks a template's placeholders up front (a usage error before any engine is asked). */
export function checkTemplate(template: string): void {
  for (const m of template.matchAll(/\{([^}]*)\}/g)) {
    if (!PLACEHOLDERS.has(m[1]!)) throw new EndpointProblem(`unknown placeholder {${m[1]}} in "${template}" (use {hostname}, {ip} or {id})`);
  }
  if (/[{}]/.test(template.replace(/\{(hostname|ip|id)\}/g, ''))) throw new EndpointProblem(`unbalanced braces in "${template}"`);
}

/** `unix:///path`, `tcp://host:port` (port default 2375), `ssh://[user@]host[:port]`. */
export function parseEngineUrl(url: string, source: EngineEndpoint['source']): EngineEndpoint {
  const u = url.trim();
  if (u.startsWith('unix://')) {
    const socketPath = u.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new EndpointProblem(`"${u}" needs an absolute socket path (unix:///var/run/docker.sock)`);
    return { kind: 'unix', url: u, socketPath, source };
  }
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    throw new EndpointProblem(`"${u}" is not a Docker endpoint (unix:///path, tcp://host:port or ssh://user@host)`);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new EndpointProblem(`"${u}" names no host`);
  // URL accepts almost anything as the host of tcp:// and ssh:// (a left-over {ip} included), which then
  // resolves somewhere unexpected: only names and addresses.
  if (!/^[A-Za-z0-9._:-]+$/.test(decodeURIComponent(host))) {
    const shown = decodeURIComponent(host);
    throw new EndpointProblem(
      `"${u}" has an invalid host "${shown}"${/[{}]/.test(shown) ? ' (placeholders such as {ip} work in --docker-endpoint only)' : ''}`,
    );
  }
  if (parsed.port === '0') throw new EndpointProblem(`"${u}" has port 0; name the port the engine listens on`);
  if (parsed.protocol === 'tcp:' || parsed.protocol === 'http:' || parsed.protocol === 'https:') {
    return { kind: 'tcp', url: u, host, port: parsed.port ? Number(parsed.port) : 2375, source };
  }
  if (parsed.protocol === 'ssh:') {
    return {
      kind: 'ssh',
      url: u,
      host,
      port: parsed.port ? Number(parsed.port) : 22,
      ...(parsed.username ? { user: decodeURIComponent(parsed.username) } : {}),
      source,
    };
  }
  throw new EndpointProblem(`"${u}" has scheme ${parsed.protocol.replace(/:$/, '')}; use unix://, tcp:// or ssh://`);
}

export interface EndpointSources {
  /** `--docker-endpoints` map, already read: hostname or id → endpoint. */
  map?: Readonly<Record<string, string>>;
  template?: string;
  /** DOCKER_HOST. */
  dockerHost?: string;
  /** Names and addresses of the machine the command runs on. */
  localNames: ReadonlySet<string>;
}

/** The engine for an agent, or why there is none (one line of facts). */
export function resolveEndpoint(agent: AgentAddress, src: EndpointSources): { endpoint: EngineEndpoint } | { problem: string } {
  try {
    const mapped =
      src.map && (Object.hasOwn(src.map, agent.hostname) ? src.map[agent.hostname] : Object.hasOwn(src.map, agent.id) ? src.map[agent.id] : undefined);
    if (mapped !== undefined) return { endpoint: parseEngineUrl(mapped, 'file') };
    if (src.template !== undefined) {
      if (src.template.includes('{ip}') && !agent.ip) return { problem: `agent ${agent.hostname} has no known IP for {ip}` };
      const url = src.template
        .replace(/\{hostname\}/g, agent.hostname)
        .replace(/\{ip\}/g, agent.ip ?? '')
        .replace(/\{id\}/g, agent.id);
      return { endpoint: parseEngineUrl(url, 'template') };
    }
    if (src.localNames.has(agent.hostname) || (agent.ip !== undefined && src.localNames.has(agent.ip))) {
      return { endpoint: parseEngineUrl(src.dockerHost || DEFAULT_DOCKER_HOST, 'local') };
    }
  } catch (e) {
    if (e instanceof EndpointProblem) return { problem: e.message };
    throw e;
  }
  return { problem: `no Docker endpoint for agent ${agent.hostname} (not in the endpoints map, no template, not this machine)` };
}

/** The agent's IP from its pid `slave(1)@10.0.0.5:5051`. */
export function ipOfPid(pid: string): string | undefined {
  const m = /@([^:]+):\d+$/.exec(pid);
  return m ? m[1] : undefined;
}
