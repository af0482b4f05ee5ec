/**
 * Routes of one simulated agent (reference §2.3): `/slave(1)/<x>` and `/<x>` (the agent process is
 * libprocess' delegate). Operator API on the agent: GET_HEALTH, GET_FLAGS, GET_VERSION only.
 */
import { buildInfo, servesStateJson } from './defaults.js';
import { json, methodNotAllowed, text, type SimRequest, type SimResponse } from './http.js';
import type { AgentRecord, ClusterState } from './state.js';
import { renderAgentContainers, renderAgentFlags, renderAgentState, type AgentViewContext } from './views/agent.js';
import * as op from './views/operator.js';

export interface AgentHttpContext {
  state: ClusterState;
  agent: AgentRecord;
  view: () => AgentViewContext;
}

const READONLY = 'mesos-agent-readonly';
const READWRITE = 'mesos-agent-readwrite';

function apiHandler(ctx: AgentHttpContext, req: SimRequest): SimResponse {
  if (req.method !== 'POST') return methodNotAllowed(['POST'], req.method);
  const contentType = req.headers['content-type'];
  if (contentType === undefined) return text(400, "Expecting 'Content-Type' to be present");
  if (contentType !== 'application/json') {
    return text(415, "Expecting 'Content-Type' of application/json (the Mesos simulator speaks JSON only)");
  }
  let call: Record<string, unknown>;
  try {
    call = JSON.parse(req.body) as Record<string, unknown>;
  } catch (e) {
    return text(400, `Failed to parse body into JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const type = call?.['type'];
  if (type !== undefined && (typeof type !== 'string' || !(op.AGENT_CALL_TYPES as readonly string[]).includes(type))) {
    return text(400, `Failed to convert JSON into Call protobuf: Failed to find enum for '${typeof type === 'string' ? type : JSON.stringify(type)}'`);
  }
  if (type === undefined) return text(400, "Failed to validate agent::Call: Expecting 'type' to be present");
  switch (type) {
    case 'GET_HEALTH':
      return json({ type, get_health: op.getHealth() });
    case 'GET_FLAGS':
      return json({ type, get_flags: op.getFlags(ctx.view().flags) });
    case 'GET_VERSION':
      return json({ type, get_version: op.getVersion(ctx.agent.version) });
    default:
      return text(501, `The Mesos simulator does not implement ${String(type)} on agents`);
  }
}

export class AgentRouter {
  private readonly stateJson: boolean;

  constructor(version: string) {
    this.stateJson = servesStateJson(version);
  }

  private key(path: string): string {
    return path.startsWith('/slave(1)/') ? path.slice('/slave(1)'.length) : path;
  }

  authRealm(req: SimRequest): string | undefined {
    const k = this.key(req.path);
    if (k === '/health') return undefined;
    if (k === '/api/v1') return READWRITE;
    return READONLY;
  }

  handle(ctx: AgentHttpContext, req: SimRequest): SimResponse {
    const k = this.key(req.path);
    switch (k) {
      case '/state':
        return json(renderAgentState(ctx.state, ctx.agent, ctx.view()));
      case '/state.json':
        return this.stateJson ? json(renderAgentState(ctx.state, ctx.agent, ctx.view())) : text(404);
      case '/flags':
        return json(renderAgentFlags(ctx.view()));
      case '/containers':
        return json(renderAgentContainers(ctx.state, ctx.agent));
      case '/health':
        return text(200);
      case '/api/v1':
        return apiHandler(ctx, req);
      case '/version': {
        const b = buildInfo(ctx.agent.version);
        return json({
          build_date: b.build_date,
          build_time: b.build_time,
          build_user: b.build_user,
          git_sha: b.git_sha,
          git_tag: b.git_tag,
          version: ctx.agent.version,
        });
      }
      default:
        return text(404);
    }
  }
}
