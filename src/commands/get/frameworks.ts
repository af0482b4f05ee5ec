import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import { mesosFlags, objectOutputFlags } from '../../lib/flags/mesos-flags.js';
import type { IOStreams } from '../../lib/io.js';

export default class GetFrameworks extends BaseCommand {
  static override summary = 'List the Mesos frameworks; k8sm schedulers are marked.';

  static override description = `One row per registered framework: name, id, whether it is active and connected, its roles, task count and resources in use, and whether it is a k8sm scheduler (it runs Kubelet-Executor executors, or it is named like the k8sm framework, "Kubernetes" by default). Reads the leading master only (one request).`;

  static override examples = [
    { description: 'List the frameworks:', command: '<%= config.bin %> get frameworks' },
    { description: 'Only k8sm schedulers, including ones that were torn down:', command: '<%= config.bin %> get frameworks --k8sm --completed -o wide' },
  ];

  static override flags = {
    completed: Flags.boolean({ description: 'Include completed (torn down) frameworks.' }),
    k8sm: Flags.boolean({ description: 'Only k8sm schedulers.' }),
    ...objectOutputFlags,
    ...mesosFlags,
  };

  static override loadOptions = async (io: IOStreams) => new (await import('../../cmd/get/frameworks.js')).GetFrameworksOptions(io);
}
