import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { UsageError } from '../../lib/errors.js';

export interface KubeconfigSelection {
  /** `--kubeconfig` (wins over $KUBECONFIG). */
  kubeconfig?: string;
  /** `--context` (default: the kubeconfig's current-context). */
  context?: string;
  /** Environment for KUBECONFIG, HOME, in-cluster detection; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The kubeconfig after kubectl's merge rules and context selection. */
export interface ResolvedKubeconfig {
  kc: KubeConfig;
  /** Files the configuration came from (or `in-cluster`). */
  files: string[];
  context: Context;
  cluster: Cluster;
  user: User;
}

type ClientNode = typeof import('@kubernetes/client-node');

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function loadOne(k8s: ClientNode, file: string): KubeConfig {
  const kc = new k8s.KubeConfig();
  try {
    kc.loadFromFile(file); // resolves relative certificate paths against the file's folder
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new UsageError(`kubeconfig ${file} does not exist`);
    if (err.code === 'EACCES') throw new UsageError(`cannot read kubeconfig ${file}: permission denied`);
    const first = (err.message ?? String(e)).split('\n')[0];
    throw new UsageError(`cannot load kubeconfig ${file}: ${first}`);
  }
  return kc;
}

/**
 * Loads the kubeconfig the way kubectl does: `--kubeconfig` alone if given; else every existing
 * file of `$KUBECONFIG` (colon list) merged, the first file to set a value winning (names and
 * current-context alike); else `~/.kube/config`; else the in-cluster service account. Then picks
 * the context (`--context` or current-context) and checks that its cluster and user exist.
 */
export async function resolveKubeconfig(sel: KubeconfigSelection): Promise<ResolvedKubeconfig> {
  const k8s: ClientNode = await import('@kubernetes/client-node');
  const env = sel.env ?? process.env;
  let files: string[];
  if (sel.kubeconfig) {
    if (!existsSync(sel.kubeconfig)) throw new UsageError(`--kubeconfig ${sel.kubeconfig} does not exist`);
    files = [sel.kubeconfig];
  } else if (env['KUBECONFIG']) {
    const listed = env['KUBECONFIG'].split(delimiter).filter(Boolean);
    files = listed.filter(isFile); // kubectl skips missing entries
    if (!files.length) {
      throw new UsageError(`none of the files in $KUBECONFIG exist: ${listed.join(', ')}`, 'fix $KUBECONFIG or pass --kubeconfig');
    }
  } else {
    const home = env['HOME'] || homedir();
    const def = join(home, '.kube', 'config');
    if (isFile(def)) files = [def];
    else if (env['KUBERNETES_SERVICE_HOST'] && isFile(IN_CLUSTER_TOKEN)) files = [];
    else {
      throw new UsageError(`no kubeconfig found (${def} does not exist)`, 'pass --kubeconfig, set $KUBECONFIG, or create ~/.kube/config');
    }
  }

  const kc = new k8s.KubeConfig();
  if (!files.length) {
    kc.loadFromCluster();
    files = ['in-cluster'];
  } else {
    const clusters = new Map<string, Cluster>();
    const users = new Map<string, User>();
    const contexts = new Map<string, Context>();
    let current: string | undefined;
    for (const f of files) {
      const one = loadOne(k8s, f);
      for (const c of one.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
      for (const u of one.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
      for (const c of one.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
      if (!current && one.getCurrentContext()) current = one.getCurrentContext();
    }
    kc.loadFromOptions({
      clusters: [...clusters.values()],
      users: [...users.values()],
      contexts: [...contexts.values()],
      currentContext: current,
    });
  }

  const where = files.length === 1 ? `kubeconfig ${files[0]}` : `the kubeconfig (${files.join(', ')})`;
  const names = kc.getContexts().map((c) => c.name);
  const list = names.length ? `contexts: ${names.join(', ')}` : 'it has no contexts';
  const contextName = sel.context ?? kc.getCurrentContext();
  if (!contextName) throw new UsageError(`${where} has no current-context`, `pass --context (${list})`);
  const context = kc.getContextObject(contextName);
  if (!context) {
    throw new UsageError(`context "${contextName}" not found in ${where}`, `pick one with --context (${list})`);
  }
  kc.setCurrentContext(contextName);
  const cluster = kc.getCluster(context.cluster);
  if (!cluster) throw new UsageError(`context "${contextName}" names cluster "${context.cluster}", which is not in ${where}`);
  const user = kc.getUser(context.user);
  if (!user) throw new UsageError(`context "${contextName}" names user "${context.user}", which is not in ${where}`);
  return { kc, files, context, cluster, user };
}
