/**
 * Live values for shell completion: agent names from the Mesos master, namespaces and pods from the
 * apiserver, contexts from the kubeconfig. Connection settings come from the flags typed so far on
 * the command line and the environment ($MESOS_MASTER, $KUBECONFIG), as the command itself would
 * read them. Short deadlines, no retries; a failure or a server that is not configured gives no
 * values (and, with $K8SMCTL_COMPLETION_DEBUG, a line in that file), never an error on the terminal.
 */
import type { KubeconfigSelection } from '../../clients/kube/kubeconfig.js';
import type { KubeLoadOptions } from '../../clients/kube/kube-client.js';
import { mesosConnectOptions, type MesosFlags } from '../../cmd/shared/mesos.js';
import { compareStrings } from '../../core/compare.js';
import { agentNames } from '../../core/views/agent-names.js';
import type { Factory } from '../factory.js';
import type { Candidate, Completion, TypedFlags } from './engine.js';

/** Each request to a server while completing. */
export const LIVE_REQUEST_MS = 2000;
/** Everything a live completion does, loading the clients included. */
export const LIVE_DEADLINE_MS = 3000;

export interface LiveOptions {
  factory: Factory;
  /** The kubeconfig's context names (default: read from the kubeconfig files). */
  contexts?: (sel: KubeconfigSelection) => Promise<string[]>;
  deadlineMs?: number;
  requestTimeoutMs?: number;
}

export interface LiveResult {
  values: Candidate[];
  /** Why there are none, for the debug file. */
  problem?: string;
}

type LiveRequest = Extract<Completion, { kind: 'live' }>;

const last = (flags: TypedFlags, name: string): string | undefined => flags[name]?.[flags[name].length - 1];

function kubeSelection(flags: TypedFlags, env: Factory['env']): KubeconfigSelection {
  const kubeconfig = last(flags, 'kubeconfig');
  const context = last(flags, 'context');
  return { ...(kubeconfig ? { kubeconfig } : {}), ...(context ? { context } : {}), env };
}

async function agents(req: LiveRequest, o: LiveOptions, signal: AbortSignal, timeoutMs: number): Promise<LiveResult> {
  const { flags } = req;
  const master = last(flags, 'mesos-master') ?? o.factory.env['MESOS_MASTER'];
  if (!master?.trim()) return { values: [], problem: 'no Mesos master configured (--mesos-master or $MESOS_MASTER)' };
  const mesosFlags: MesosFlags = {
    'mesos-master': master,
    'insecure-skip-tls-verify': last(flags, 'insecure-skip-tls-verify') === 'true',
    'request-timeout': last(flags, 'request-timeout') ?? '10s',
  };
  for (const name of ['mesos-principal', 'mesos-secret-file', 'mesos-ca-file'] as const) {
    const v = last(flags, name);
    if (v) mesosFlags[name] = v;
  }
  const conn = await mesosConnectOptions(mesosFlags, o.factory.env);
  const client = await o.factory.mesos({ ...conn, requestTimeoutMs: Math.min(conn.requestTimeoutMs ?? timeoutMs, timeoutMs), retries: 0, signal });
  try {
    const snap = await client.snapshot();
    const names = agentNames(snap.agents);
    return {
      values: snap.agents
        .map((a) => ({ value: names.get(a.id) ?? a.hostname, description: a.active ? a.id : `${a.id}, inactive` }))
        .sort((a, b) => compareStrings(a.value, b.value)),
    };
  } finally {
    client.close();
  }
}

async function kube(req: LiveRequest, o: LiveOptions, signal: AbortSignal, timeoutMs: number): Promise<LiveResult> {
  const namespace = last(req.flags, 'namespace');
  const opts: KubeLoadOptions = { ...kubeSelection(req.flags, o.factory.env), ...(namespace ? { namespace } : {}), requestTimeoutMs: timeoutMs, signal };
  const client = await o.factory.kube(opts);
  try {
    if (req.source === 'namespaces') {
      const list = await client.listNamespaces();
      return { values: list.map((n) => ({ value: n.metadata.name })).sort((a, b) => compareStrings(a.value, b.value)) };
    }
    const pods = await client.listPods({ namespace: namespace ?? client.namespace });
    return {
      values: pods
        .map((p) => ({ value: p.metadata.name, ...(p.status?.phase ? { description: p.status.phase } : {}) }))
        .sort((a, b) => compareStrings(a.value, b.value)),
    };
  } finally {
    client.close();
  }
}

async function contexts(req: LiveRequest, o: LiveOptions): Promise<LiveResult> {
  const read = o.contexts ?? (async (sel: KubeconfigSelection) => (await import('../../clients/kube/kubeconfig.js')).kubeconfigContexts(sel));
  const names = await read(kubeSelection(req.flags, o.factory.env));
  return { values: names.sort(compareStrings).map((value) => ({ value })) };
}

/** The values of `req`'s source, within the deadline; never throws. */
export async function liveValues(req: LiveRequest, o: LiveOptions): Promise<LiveResult> {
  const deadline = o.deadlineMs ?? LIVE_DEADLINE_MS;
  const timeoutMs = Math.min(o.requestTimeoutMs ?? LIVE_REQUEST_MS, deadline);
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<LiveResult>((resolve) => {
    timer = setTimeout(() => {
      ac.abort('timeout');
      resolve({ values: [], problem: `no answer within ${deadline} ms` });
    }, deadline);
  });
  const work = (async (): Promise<LiveResult> => {
    switch (req.source) {
      case 'agents':
        return agents(req, o, ac.signal, timeoutMs);
      case 'namespaces':
      case 'pods':
        return kube(req, o, ac.signal, timeoutMs);
      case 'contexts':
        return contexts(req, o);
    }
  })().catch((e: unknown) => ({ values: [], problem: e instanceof Error ? e.message.split('\n')[0] : String(e) }));
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
