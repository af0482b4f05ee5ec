import type { IOStreams } from '../lib/io.js';
import type { ClusterModel } from '../core/cluster/cluster-model.js';
import { clusterModelFromSnapshot } from '../core/cluster/model-from-snapshot.js';
import type { ModelSettings } from '../core/cluster/model-settings.js';
import { connectFromFlags, type MesosFlagValues } from './mesos-connect.js';

/** `validate --mesos-master`: the cluster model from the leading master's state (one request). */
export async function liveClusterModel(mesos: MesosFlagValues, settings: ModelSettings, io: IOStreams): Promise<ClusterModel> {
  const client = await connectFromFlags(mesos);
  try {
    if (io.errIsTTY) io.err.write(`reading the cluster from ${client.leaderUrl ?? mesos.master}...\r`);
    const snap = await client.snapshot();
    if (io.errIsTTY) io.err.write('\x1b[2K');
    for (const w of snap.warnings) io.err.write(`warning: ${w}\n`);
    return clusterModelFromSnapshot(snap.agents, snap.frameworks, settings, { origin: 'mesos', description: `Mesos master ${snap.master.url}` });
  } finally {
    client.close();
  }
}
