import type { IOStreams } from '../lib/io.js';
import type { ClusterSnapshot } from '../core/mesos/snapshot.js';
import type { SnapshotOptions } from '../clients/mesos/mesos-client.js';
import { connectFromFlags, type MesosFlagValues } from './mesos-connect.js';

/**
 * Reads a snapshot from the leading master (and, when asked, the agents), with progress on stderr
 * when it is a terminal and every partial failure printed as a warning line.
 */
export async function readSnapshot(mesos: MesosFlagValues, io: IOStreams, opts: SnapshotOptions & { debug?: boolean } = {}): Promise<ClusterSnapshot> {
  const debug = opts.debug ? (line: string) => io.err.write(`debug: ${line}\n`) : undefined;
  const client = await connectFromFlags(mesos, debug);
  try {
    const progress = io.errIsTTY
      ? (done: number, total: number) => io.err.write(`\rasking agents: ${done}/${total}${done === total ? '\x1b[2K\r' : ''}`)
      : undefined;
    const snap = await client.snapshot({ ...opts, ...(progress ? { onAgentProgress: progress } : {}) });
    for (const w of snap.warnings) io.err.write(`warning: ${w}\n`);
    return snap;
  } finally {
    client.close();
  }
}

/** Agents that were asked and did not answer: the result is partial (exit 1). */
export function unreachableAgents(snap: ClusterSnapshot): number {
  return snap.agents.filter((a) => a.detail && !a.detail.reachable).length;
}
