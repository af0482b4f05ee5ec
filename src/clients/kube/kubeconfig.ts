import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { ClientError } from '../errors.js';

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

type ClientNode = typeof import('./client-node.js');

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A kubeconfig that cannot be used: ClientError of kind `config` (the command layer adds the hint). */
function configError(reason: string, message: string, details: Record<string, string | boolean | ReadonlyArray<string>> = {}): ClientError {
  return new ClientError({ kind: 'config', service: 'kube-apiserver', reason, message, details });
}

function loadOne(k8s: ClientNode, file: string): KubeConfig {
  const kc = new k8s.KubeConfig();
  try {
    kc.loadFromFile(file); // resolves relative certificate paths against the file's folder
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw configError('kubeconfig-not-found', `kubeconfig ${file} does not exist`, { path: file });
    // Only --kubeconfig can name a folder here ($KUBECONFIG entries and ~/.kube/config must be files).
    if (err.code === 'EISDIR') throw configError('kubeconfig-not-found', `kubeconfig ${file} is a directory, not a file`, { path: file, explicit: true });
    if (err.code === 'EACCES') throw configError('kubeconfig-unreadable', `cannot read kubeconfig ${file}: permission denied`, { path: file });
    const first = (err.message ?? String(e)).split('\n')[0];
    throw configError('kubeconfig-invalid', `cannot load kubeconfig ${file}: ${first}`, { path: file });
  }
  return kc;
}

/**
 * The kubeconfig files kubectl would read: `--kubeconfig` alone if given; else every existing file
 * of `$KUBECONFIG` (colon list); else `~/.kube/config`; else none (`[]`: the in-cluster service
 * account). Fails with ClientErrors of kind `config`.
 */
export function kubeconfigFiles(sel: KubeconfigSelection): string[] {
  const env = sel.env ?? process.env;
  let files: string[];
  if (sel.kubeconfig) {
    if (!existsSync(sel.kubeconfig)) {
      throw configError('kubeconfig-not-found', `kubeconfig ${sel.kubeconfig} does not exist`, { path: sel.kubeconfig, explicit: true });
    }
    files = [sel.kubeconfig];
  } else if (env['KUBECONFIG']) {
    const listed = env['KUBECONFIG'].split(delimiter).filter(Boolean);
    files = listed.filter(isFile); // kubectl skips missing entries
    if (!files.length) {
      throw configError('kubeconfig-env-empty', `none of the files in $KUBECONFIG exist: ${listed.join(', ')}`, { files: listed });
    }
  } else {
    const home = env['HOME'] || homedir();
    const def = join(home, '.kube', 'config');
    if (isFile(def)) files = [def];
    else if (env['KUBERNETES_SERVICE_HOST'] && isFile(IN_CLUSTER_TOKEN)) files = [];
    else {
      throw configError('kubeconfig-not-found', `no kubeconfig found (${def} does not exist)`, { path: def, explicit: false });
    }
  }
  return files;
}

/**
 * Loads the kubeconfig the way kubectl does: `--kubeconfig` alone if given; else every existing
 * file of `$KUBECONFIG` (colon list) merged, the first file to set a value winning (names and
 * current-context alike); else `~/.kube/config`; else the in-cluster service account. Then picks
 * the context (`--context` or current-context) and checks that its cluster and user exist.
 * Fails with ClientErrors of kind `config`.
 */
export async function resolveKubeconfig(sel: KubeconfigSelection): Promise<ResolvedKubeconfig> {
  // Which files first: with no kubeconfig at all, the client library is never loaded.
  let files = kubeconfigFiles(sel);
  const k8s: ClientNode = await import('./client-node.js');

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
  const contextName = sel.context ?? kc.getCurrentContext();
  if (!contextName) throw configError('no-current-context', `${where} has no current-context`, { contexts: names });
  const context = kc.getContextObject(contextName);
  if (!context) throw configError('context-not-found', `context "${contextName}" not found in ${where}`, { contexts: names, context: contextName });
  kc.setCurrentContext(contextName);
  const cluster = kc.getCluster(context.cluster);
  if (!cluster) throw configError('cluster-not-found', `context "${contextName}" names cluster "${context.cluster}", which is not in ${where}`);
  const user = kc.getUser(context.user);
  if (!user) throw configError('user-not-found', `context "${contextName}" names user "${context.user}", which is not in ${where}`);
  return { kc, files, context, cluster, user };
}

/**
 * The context names of the kubeconfig kubectl would read (the same files, merged: first file wins),
 * from the YAML alone: for shell completion, without loading @kubernetes/client-node. A file that
 * cannot be read or parsed contributes nothing.
 */
export async function kubeconfigContexts(sel: KubeconfigSelection): Promise<string[]> {
  const { readFile } = await import('node:fs/promises');
  const { load } = await import('js-yaml');
  const names = new Set<string>();
  for (const f of kubeconfigFiles(sel)) {
    let doc: unknown;
    try {
      doc = load(await readFile(f, 'utf8'));
    } catch {
      continue;
    }
    const contexts = (doc as { contexts?: unknown } | null)?.contexts;
    if (!Array.isArray(contexts)) continue;
    for (const c of contexts as Array<{ name?: unknown }>) if (typeof c?.name === 'string') names.add(c.name);
  }
  return [...names];
}
