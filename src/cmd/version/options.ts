import type { KubeLoadOptions } from '../../clients/kube/kube-client.js';
import type { KubeVersionInfo } from '../../clients/kube/types.js';
import type { MesosConnectOptions } from '../../clients/mesos/options.js';
import { ClientError } from '../../clients/errors.js';
import type { MesosVersionInfo } from '../../core/mesos/version-info.js';
import type { CommandOptions } from '../../lib/command.js';
import type { Factory } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';
import { describeFailure, type Outcome } from '../../lib/outcomes.js';
import { debugWriter, mesosConnectOptions, requestTimeoutMs, type MesosFlags } from '../shared/mesos.js';

export interface VersionFlags extends MesosFlags {
  debug: boolean;
  output?: string;
  client: boolean;
  kubeconfig?: string;
  context?: string;
}

/** k8smctl's own version, in the shape of kubectl's clientVersion. */
export interface ClientVersion {
  major: string;
  minor: string;
  gitVersion: string;
  /** The Node.js that runs k8smctl (kubectl names its Go here). */
  nodeVersion: string;
  platform: string;
}

/** What `k8smctl version -o json|yaml` prints; servers that were not asked or did not answer are left out. */
export interface VersionDocument {
  clientVersion: ClientVersion;
  /** The apiserver's /version, as kubectl prints it. */
  serverVersion?: KubeVersionInfo;
  mesosMasterVersion?: MesosVersionInfo & { master: string };
}

export function clientVersion(version: string, platform = `${process.platform}/${process.arch}`, node = process.version): ClientVersion {
  const [major = '', minor = ''] = version.split('.');
  return { major, minor, gitVersion: `v${version}`, nodeVersion: node, platform };
}

/** No kubeconfig anywhere kubectl would look, none named: no apiserver is configured (not an error). */
function noKubeconfig(e: unknown): boolean {
  return e instanceof ClientError && e.kind === 'config' && e.reason === 'kubeconfig-not-found' && e.details['explicit'] !== true;
}

/**
 * `k8smctl version`: the client's version, and the versions of the servers it is configured for
 * (the Mesos master of --mesos-master / $MESOS_MASTER, the apiserver of the kubeconfig), asked
 * concurrently. A server that does not answer is named on stderr and the exit status is 1, as with
 * `kubectl version`; the client version is printed all the same.
 */
export class VersionOptions implements CommandOptions<VersionFlags> {
  private factory!: Factory;
  private format: 'text' | 'json' | 'yaml' = 'text';
  private mesos: MesosConnectOptions | undefined;
  private kube: KubeLoadOptions | undefined;
  private debug = false;

  constructor(private readonly io: IOStreams) {}

  async complete(f: Factory, _args: string[], flags: VersionFlags): Promise<void> {
    this.factory = f;
    this.debug = flags.debug;
    this.format = flags.output === 'json' || flags.output === 'yaml' ? flags.output : 'text';
    if (flags.client) return;
    const debug = debugWriter(this.io, flags.debug);
    const timeout = requestTimeoutMs(flags['request-timeout']);
    if (flags['mesos-master']?.trim()) this.mesos = await mesosConnectOptions(flags, f.env, debug);
    this.kube = {
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context ? { context: flags.context } : {}),
      requestTimeoutMs: timeout,
      ...(debug ? { debug } : {}),
    };
  }

  validate(): void {}

  async run(): Promise<Outcome> {
    const doc: VersionDocument = { clientVersion: clientVersion(this.factory.version) };
    const failures: unknown[] = [];
    const [server, mesos] = await Promise.all([this.kube && this.serverVersion(failures), this.mesos && this.mesosVersion(this.mesos, failures)]);
    if (server) doc.serverVersion = server;
    if (mesos) doc.mesosMasterVersion = mesos;
    const interrupted = failures.find((e): e is ClientError => e instanceof ClientError && e.kind === 'aborted');
    if (interrupted) throw interrupted;
    await this.print(doc);
    for (const e of failures) for (const line of describeFailure(e, { debug: this.debug }).lines) this.io.err.write(`${line}\n`);
    return failures.length ? 'partial' : 'ok';
  }

  private async serverVersion(failures: unknown[]): Promise<KubeVersionInfo | undefined> {
    try {
      const kube = await this.factory.kube(this.kube!);
      try {
        return await kube.serverVersion();
      } finally {
        kube.close();
      }
    } catch (e) {
      if (!noKubeconfig(e)) failures.push(e);
      return undefined;
    }
  }

  private async mesosVersion(conn: MesosConnectOptions, failures: unknown[]): Promise<VersionDocument['mesosMasterVersion']> {
    try {
      const mesos = await this.factory.mesos(conn);
      try {
        const v = await mesos.masterVersion();
        return { ...v.info, master: v.masterUrl };
      } finally {
        mesos.close();
      }
    } catch (e) {
      failures.push(e);
      return undefined;
    }
  }

  private async print(doc: VersionDocument): Promise<void> {
    if (this.format === 'json') {
      this.io.out.write(`${JSON.stringify(doc, null, 2)}\n`);
      return;
    }
    if (this.format === 'yaml') {
      const { toYAML } = await import('../../output/yaml.js');
      this.io.out.write(toYAML(doc));
      return;
    }
    const lines = [`Client Version: ${doc.clientVersion.gitVersion}`];
    if (doc.serverVersion) lines.push(`Server Version: ${doc.serverVersion.gitVersion}`);
    if (doc.mesosMasterVersion) lines.push(`Mesos Master Version: ${doc.mesosMasterVersion.version} (${doc.mesosMasterVersion.master})`);
    this.io.out.write(`${lines.join('\n')}\n`);
  }
}
