import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { UnreachableError, UsageError } from '../lib/errors.js';
import type { ClusterModel } from '../core/cluster/cluster-model.js';
import { clusterModelFromSnapshot } from '../core/cluster/model-from-snapshot.js';
import type { ModelSettings } from '../core/cluster/model-settings.js';
import { agentsFromDocument, SnapshotDocumentError } from '../core/cluster/snapshot-document.js';

const MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024;

/** `--cluster-snapshot FILE`: the model from a saved `k8smctl get agents -o json|yaml`. */
export function loadClusterSnapshotFile(file: string, settings: ModelSettings): ClusterModel {
  let text: string;
  try {
    const buf = readFileSync(file);
    if (buf.length > MAX_SNAPSHOT_BYTES) throw new UsageError(`--cluster-snapshot ${file} is larger than 256Mi; is it really a 'get agents -o json' file?`);
    text = buf.toString('utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UnreachableError(`--cluster-snapshot ${file} cannot be read (${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message})`, { hint: "save one with 'k8smctl get agents -o json > FILE'" });
  }
  let doc: unknown;
  try {
    doc = text.trimStart().startsWith('{') || text.trimStart().startsWith('[') ? JSON.parse(text) : yaml.load(text, { json: true });
  } catch (err) {
    throw new UsageError(`--cluster-snapshot ${file} is not valid JSON or YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    const agents = agentsFromDocument(doc);
    if (agents.length === 0) throw new SnapshotDocumentError('it lists no agents');
    return clusterModelFromSnapshot(agents, [], settings, { origin: 'snapshot', description: `--cluster-snapshot ${file}` });
  } catch (err) {
    if (err instanceof SnapshotDocumentError) throw new UsageError(`--cluster-snapshot ${file}: ${err.message}`, "save one with 'k8smctl get agents -o json > FILE'");
    throw err;
  }
}
