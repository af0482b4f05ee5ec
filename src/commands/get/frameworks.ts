import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import { mesosFlags, objectOutputFlags } from '../../lib/flags/mesos-flags.js';
import { mesosFlagValues } from '../../app/mesos-connect.js';
import type { ObjectFormat } from '../../output/objects.js';

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

  async run(): Promise<void> {
    const { flags } = await this.parse(GetFrameworks);
    this.debugMode = flags.debug;
    const { runGetFrameworks } = await import('../../app/get.js');
    process.exitCode = await runGetFrameworks(
      { mesos: mesosFlagValues(flags), output: flags.output as ObjectFormat, noHeaders: flags['no-headers'], debug: flags.debug, completed: flags.completed, k8smOnly: flags.k8sm },
      this.io(flags['no-color']),
    );
  }
}
