/**
 * What the test stack needs on the machine, and where provision.sh puts it. Checked before anything
 * starts, so that a missing piece is one clear line rather than a half-started stack.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ZOOKEEPER_JAR } from './zookeeper.js';

/** Keep in step with provision.sh (KUBE_SRC_VERSION, cache layout). */
export const KUBE_SRC_VERSION = '1.20.5+really1.20.2';
export const KUBE_VERSION = 'v1.20.2';
/** provision.sh's APISERVER_RECIPE: r2 vendors reflect2 v1.0.2 (v1.0.1 crashes under Go >= 1.18). */
export const APISERVER_RECIPE = 'r2';

export function cacheDir(): string {
  return process.env.K8SMCTL_CACHE || join(homedir(), '.cache', 'k8smctl');
}

export interface Prereqs {
  apiserver: string;
  busyboxTar: string;
}

export function prereqPaths(): Prereqs {
  return {
    apiserver: join(cacheDir(), `kube-apiserver-${KUBE_SRC_VERSION}-${APISERVER_RECIPE}`, 'kube-apiserver'),
    busyboxTar: join(cacheDir(), 'busybox-rootfs.tar'),
  };
}

export function which(cmd: string): string | undefined {
  for (const d of (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin'])) {
    if (!d) continue;
    const p = join(d, cmd);
    try {
      accessSync(p, constants.X_OK);
      if (statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

export class MissingPrereqError extends Error {
  constructor(what: string) {
    super(`test stack: ${what}; run \`npm run stack:provision\` (as root) first`);
    this.name = 'MissingPrereqError';
  }
}

/** Throw a one-line MissingPrereqError naming the first thing missing; return the paths otherwise. */
export function checkPrereqs(): Prereqs {
  const p = prereqPaths();
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error('test stack: must run as root (dockerd needs it)');
  }
  for (const cmd of ['etcd', 'dockerd', 'containerd', 'openssl', 'java']) {
    if (!which(cmd)) throw new MissingPrereqError(`\`${cmd}\` is not installed (not on PATH)`);
  }
  if (!existsSync(ZOOKEEPER_JAR)) throw new MissingPrereqError(`ZooKeeper is not installed (${ZOOKEEPER_JAR} missing)`);
  try {
    accessSync(p.apiserver, constants.X_OK);
  } catch {
    throw new MissingPrereqError(`kube-apiserver ${KUBE_VERSION} is not built (${p.apiserver} missing)`);
  }
  if (!existsSync(p.busyboxTar) || statSync(p.busyboxTar).size === 0) {
    throw new MissingPrereqError(`the busybox rootfs is missing (${p.busyboxTar})`);
  }
  return p;
}
