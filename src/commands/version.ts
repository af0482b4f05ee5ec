import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../lib/base-command.js';
import { kubeFlags, mesosFlags } from '../lib/flags/mesos-flags.js';
import type { IOStreams } from '../lib/io.js';

export default class Version extends BaseCommand {
  static override summary = 'Print the client version, and the versions of the Mesos master and the apiserver it reaches.';

  static override description = `Prints k8smctl's version and, unless --client is given, asks the servers k8smctl is configured for, at the same time: the Mesos master of --mesos-master (or $MESOS_MASTER) for its build (its /version; the top of /state for a master without /version), and the kube-apiserver of the kubeconfig (--kubeconfig, else $KUBECONFIG, else ~/.kube/config; --context picks the context) for its /version. A server that is not configured is not asked. --request-timeout bounds each request to either.

-o json and -o yaml print kubectl's shape: clientVersion, serverVersion (the apiserver's answer as it came) and mesosMasterVersion.

Exit status: 0 when every server asked answered; 1 when one did not (the client version is still printed, and stderr names the server that could not be reached), as with kubectl version; 2 for usage errors.`;

  static override examples = [
    { description: 'The client version only:', command: '<%= config.bin %> version --client' },
    {
      description: 'Versions of the Mesos master and the apiserver of the current kubeconfig context, as JSON:',
      command: '<%= config.bin %> version --mesos-master zk://zk1:2181/mesos -o json',
    },
  ];

  static override flags = {
    output: Flags.string({ char: 'o', description: 'Output format (default: text lines).', options: ['json', 'yaml'] }),
    client: Flags.boolean({ description: 'Print the client version only; ask no server.' }),
    ...mesosFlags,
    ...kubeFlags,
  };

  static override loadOptions = async (io: IOStreams) => new (await import('../cmd/version/options.js')).VersionOptions(io);
}
