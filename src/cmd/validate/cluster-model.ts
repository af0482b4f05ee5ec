/**
 * The cluster model `validate` checks against: from the flags (offline), from a saved
 * `get agents -o json` (--cluster-snapshot), or from the live cluster (--mesos-master, read with
 * the same `readCluster` as the get and describe commands).
 */
import yaml from 'js-yaml';
import { ClientError } from '../../clients/errors.js';
import { readTextFile } from '../../clients/local-files.js';
import type { MesosConnectOptions } from '../../clients/mesos/options.js';
import type { ClusterModel } from '../../core/cluster/cluster-model.js';
import { clusterModelFromSnapshot } from '../../core/cluster/model-from-snapshot.js';
import type { ModelSettings } from '../../core/cluster/model-settings.js';
import { agentsFromDocument, SnapshotDocumentError } from '../../core/cluster/snapshot-document.js';
import { UnreachableError, UsageError } from '../../lib/errors.js';
import type { Factory } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';
import { readCluster } from '../shared/mesos.js';

const MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024;
const SAVE_HINT = "save one with 'k8smctl get agents -o json > FILE'";

/** `--cluster-snapshot FILE`: the model from a saved `k8smctl get agents -o json|yaml`. */
export async function clusterModelFromSnapshotFile(file: string, settings: ModelSettings): Promise<ClusterModel> {
  let text: string;
  try {
    text = await readTextFile(file, MAX_SNAPSHOT_BYTES);
  } catch (err) {
    if (!(err instanceof ClientError)) throw err;
    if (err.reason === 'too-large') throw new UsageError(`--cluster-snapshot ${file} is larger than 256Mi; is it really a 'get agents -o json' file?`);
    throw new UnreachableError(`--cluster-snapshot ${file} cannot be read (${String(err.details['problem'] ?? err.message)})`, { hint: SAVE_HINT });
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
    if (err instanceof SnapshotDocumentError) throw new UsageError(`--cluster-snapshot ${file}: ${err.message}`, SAVE_HINT);
    throw err;
  }
}

/** `--mesos-master`: the model from the leading master's state (one request). */
export async function liveClusterModel(f: Factory, conn: MesosConnectOptions, settings: ModelSettings, io: IOStreams): Promise<ClusterModel> {
  const snap = await readCluster(f, conn, io);
  return clusterModelFromSnapshot(snap.agents, snap.frameworks, settings, { origin: 'mesos', description: `Mesos master ${snap.master.url}` });
}
