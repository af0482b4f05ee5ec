/**
 * Reading the cluster for `diagnose`, once: the master's state in ONE request (GET_STATE where the
 * master has the v1 operator API, for task status messages; `/state` otherwise), pods, events and
 * Nodes in one list each (all at once), then only what the verdicts need: the `/state` of the
 * agents whose executors matter (the agents of launched pods; every active agent for `diagnose
 * cluster`, whose flags it checks) and, when the k8sm framework holds offers and they could hold
 * pods back, a second look at its offers twice its offer TTL later (Mesos prints no offer times).
 */
import { ClientError } from '../../clients/errors.js';
import type { KubeLoadOptions } from '../../clients/kube/kube-client.js';
import type { MesosConnectOptions } from '../../clients/mesos/options.js';
import type { DiagnoseSettings, DiagnoseSnapshot, PodObject } from '../../core/diagnose/model.js';
import { ANNOTATION } from '../../core/k8sm/keys.js';
import { needsDiagnosis } from '../../core/diagnose/pod.js';
import { mergeAgentDetails } from '../../core/mesos/merge-agent-details.js';
import type { AgentSnapshot, ClusterSnapshot } from '../../core/mesos/snapshot.js';
import type { Factory, KubeApi, MesosApi } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';
import { essentialRead } from '../shared/unreadable.js';
import { allReads } from '../shared/reads.js';

export interface GatherRequest {
  mode: 'pods' | 'cluster';
  /** All namespaces; else the kube client's (-n, or the context's). */
  allNamespaces: boolean;
  /** Pods named on the command line (pod mode), else every stuck pod of the scope. */
  names: ReadonlyArray<string>;
  settings: DiagnoseSettings;
}

export interface Gathered {
  snapshot: DiagnoseSnapshot;
  /** The pods to diagnose (pod mode): the named ones found, else the candidates for stuck. */
  pods: PodObject[];
  /** Names not found in the scope. */
  missing: string[];
  /** Partial failures (an agent that did not answer, Nodes not readable): one line each. */
  warnings: string[];
  /** When the snapshot was taken (ms), the `now` of the verdicts. */
  now: number;
  /** The namespace read, undefined for all. */
  namespace: string | undefined;
}

const PODS_ONLY = 'involvedObject.kind=Pod';

function forbiddenOrMissing(e: unknown): e is ClientError {
  return e instanceof ClientError && (e.kind === 'forbidden' || e.kind === 'not-found');
}

/** Sleeps `ms`, or less when the command is interrupted (the next request then fails as aborted). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function k8smFramework(snap: ClusterSnapshot, name: string) {
  const live = snap.frameworks.filter((f) => f.name === name && !f.completed);
  return live.find((f) => f.active && f.connected !== false) ?? live[0];
}

export async function gather(f: Factory, conn: MesosConnectOptions, kubeOpts: KubeLoadOptions, io: IOStreams, req: GatherRequest): Promise<Gathered> {
  const mesos: MesosApi = await f.mesos(conn);
  let kube: KubeApi | undefined;
  try {
    kube = await f.kube(kubeOpts);
    const namespace = req.allNamespaces ? undefined : kube.namespace;
    const scope = namespace === undefined ? { allNamespaces: true } : { namespace };
    const warnings: string[] = [];
    if (io.errIsTTY) io.err.write('reading the Mesos master and the apiserver...\r');
    const k = kube;
    // Both servers are read to the end even when one fails: when both fail, both are reported (the
    // apiserver's reads count as one failure, its first).
    const [mesosSnap, [pods, events, nodes]] = await allReads(io, [
      // Without the master's state or the pods there is nothing to diagnose: a refusal (401, 403) is
      // an unreadable cluster (exit 2), as an unreachable server.
      essentialRead(mesos.snapshot({ source: 'operator' })),
      Promise.all([
        essentialRead(k.listPods(scope)),
        k.listEvents({ ...scope, fieldSelector: PODS_ONLY }).catch((e: unknown) => {
          if (!forbiddenOrMissing(e)) throw e;
          warnings.push(`events cannot be read (${e.message}): whether the scheduler saw the pods is not judged`);
          return undefined;
        }),
        k.listNodes().catch((e: unknown) => {
          if (!forbiddenOrMissing(e)) throw e;
          warnings.push(`Nodes cannot be read (${e.message}): the Node checks are skipped`);
          return undefined;
        }),
      ]),
    ] as const);
    const now = f.clock.now();
    warnings.push(...mesosSnap.warnings);
    const first: DiagnoseSnapshot = { mesos: mesosSnap, pods: pods, events, nodes };

    // The pods to diagnose.
    let chosen: PodObject[];
    const missing: string[] = [];
    if (req.mode === 'pods' && req.names.length > 0) {
      chosen = [];
      for (const name of req.names) {
        const found = first.pods.filter((p) => p.metadata.name === name);
        if (found.length === 0) missing.push(name);
        chosen.push(...found);
      }
    } else if (req.mode === 'pods') {
      chosen = first.pods.filter((p) => needsDiagnosis(p, first, req.settings, now));
    } else {
      chosen = [];
    }

    // Only the agents whose details the verdicts need.
    let ask: AgentSnapshot[];
    if (req.mode === 'cluster') ask = mesosSnap.agents.filter((a) => a.active);
    else {
      const hosts = new Set(chosen.map((p) => p.metadata.annotations?.[ANNOTATION.bindingHost]).filter((h): h is string => !!h));
      ask = mesosSnap.agents.filter((a) => hosts.has(a.hostname));
    }

    // A second look at the k8sm framework's offers, when it holds some that may hold pods back.
    const fw = k8smFramework(mesosSnap, req.settings.frameworkName);
    const held = fw ? (mesosSnap.offers ?? []).filter((o) => o.frameworkId === fw.id) : [];
    const unscheduled = chosen.some((p) => p.metadata.annotations?.[ANNOTATION.bindingHost] === undefined && p.status?.phase === 'Pending');
    const lookAgain = fw !== undefined && held.length > 0 && req.settings.offerTtlMs > 0 && (req.mode === 'cluster' || unscheduled);
    const waitMs = 2 * req.settings.offerTtlMs;
    if (lookAgain && io.errIsTTY) {
      io.err.write(
        `\x1b[2Kthe k8sm framework holds ${held.length} offer(s): looking again in ${Math.round(waitMs / 1000)}s (twice its offer TTL; --offer-ttl 0 skips)...\r`,
      );
    }
    const progress = io.errIsTTY ? (done: number, total: number) => io.err.write(`\x1b[2Kasking agents: ${done}/${total}\r`) : undefined;
    const [details, later] = await Promise.all([
      ask.length ? mesos.agentDetails(ask, 'state', progress) : undefined,
      lookAgain
        ? // After Ctrl-C the sleep ends early and the request fails as aborted (the client watches the signal).
          sleep(waitMs, f.signal).then(() => essentialRead(mesos.frameworkOffers(fw.id)))
        : undefined,
    ]);
    if (io.errIsTTY) io.err.write('\x1b[2K');
    if (details) {
      mergeAgentDetails(mesosSnap, details.details);
      warnings.push(...details.warnings);
    }
    const snapshot: DiagnoseSnapshot = {
      ...first,
      ...(later ? { offersLater: { afterMs: waitMs, ids: later.map((o) => o.id) } } : {}),
    };
    return { snapshot, pods: chosen, missing, warnings, now, namespace };
  } finally {
    mesos.close();
    kube?.close();
  }
}
