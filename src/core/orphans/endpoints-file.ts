/**
 * The `--docker-endpoints` file (issue 9): a YAML or JSON map of agent hostname or id to its
 * Docker endpoint. Every value is checked here, so a bad file is one usage error before any
 * engine is asked. Pure: the caller reads the file.
 */
import yaml from 'js-yaml';
import { EndpointProblem, parseEngineUrl } from './endpoints.js';

/** The map, or an EndpointProblem naming the entry (and its line where YAML says it). */
export function parseEndpointsFile(text: string, file: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = yaml.load(text, { filename: file }); // not json: true, which lets a duplicated agent silently win
  } catch (e) {
    const mark = (e as { mark?: { line?: number } }).mark;
    const reason = (e as { reason?: string }).reason ?? (e as Error).message.split('\n')[0];
    throw new EndpointProblem(`${file}${mark?.line !== undefined ? `:${mark.line + 1}` : ''}: not YAML or JSON: ${reason}`);
  }
  if (doc === undefined || doc === null) throw new EndpointProblem(`${file} is empty: it needs a map of agent hostname or id to endpoint`);
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new EndpointProblem(`${file} holds a ${Array.isArray(doc) ? 'list' : typeof doc}: it needs a map of agent hostname or id to endpoint`);
  }
  const out: Record<string, string> = {};
  for (const [agent, value] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof value !== 'string' || !value.trim())
      throw new EndpointProblem(`${file}: agent "${agent}" needs an endpoint string, not ${JSON.stringify(value)}`);
    try {
      parseEngineUrl(value, 'file');
    } catch (e) {
      if (e instanceof EndpointProblem) throw new EndpointProblem(`${file}: agent "${agent}": ${e.message}`);
      throw e;
    }
    out[agent] = value.trim();
  }
  return out;
}
