import * as Args from '@oclif/core/args';
import { BaseCommand } from '../../lib/base-command.js';
import { confirmFlags } from '../../lib/flags/delete-flags.js';
import { mesosFlags } from '../../lib/flags/mesos-flags.js';
import type { IOStreams } from '../../lib/io.js';

export default class DeleteFramework extends BaseCommand {
  static override summary = 'Tear down a leftover Mesos framework (e.g. an old k8sm scheduler) after showing the tasks it will kill.';

  static override description = `A framework whose scheduler is gone (inactive or disconnected) keeps its tasks running until its failover timeout runs out; k8sm registers with a long one. 'k8smctl get orphans' lists such frameworks. This command tears one down through the master: the v1 operator API call TEARDOWN, or POST /master/teardown on a master without the v1 API. The master then kills every task of the framework and it can never register again with that id.

The framework is named by its id, or by its name when only one registered framework has it. Before anything is done the command prints the framework and its live tasks per agent, and asks for confirmation on a terminal; without a terminal it refuses unless --yes is given (exit 2, nothing done). A framework already torn down (completed) is nothing to do (exit 0).

Exit status: 0 torn down, nothing to do, or --dry-run; 1 not found, declined, or refused by the master; 2 usage errors or an unreadable master.`;

  static override examples = [
    { description: 'See what tearing down the old scheduler would kill:', command: '<%= config.bin %> delete framework 20231101-000000-1-0000 --dry-run' },
    { description: 'From a script:', command: '<%= config.bin %> delete framework Kubernetes-old --yes' },
  ];

  static override args = {
    framework: Args.string({ description: 'Framework id, or its name when unique.', required: true, ignoreStdin: true }),
  };

  static override flags = { ...confirmFlags, ...mesosFlags };

  static override loadOptions = async (io: IOStreams) => new (await import('../../cmd/delete/framework.js')).DeleteFrameworkOptions(io);
}
