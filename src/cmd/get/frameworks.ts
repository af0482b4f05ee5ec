import type { MesosConnectOptions } from '../../clients/mesos/options.js';
import { frameworkViews } from '../../core/views/framework-view.js';
import type { CommandOptions } from '../../lib/command.js';
import type { Factory } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';
import type { Outcome } from '../../lib/outcomes.js';
import { FRAMEWORK_TABLE } from '../../output/cluster/framework-table.js';
import { printObjects } from '../../output/objects.js';
import { debugWriter, mesosConnectOptions, readCluster, type MesosFlags } from '../shared/mesos.js';
import { objectOutput, type ObjectOutput, type ObjectOutputFlags } from '../shared/object-output.js';

export interface GetFrameworksFlags extends MesosFlags, ObjectOutputFlags {
  debug: boolean;
  completed: boolean;
  k8sm: boolean;
}

/** `k8smctl get frameworks`: one master request. */
export class GetFrameworksOptions implements CommandOptions<GetFrameworksFlags> {
  private factory!: Factory;
  private mesos!: MesosConnectOptions;
  private output!: ObjectOutput;
  private completed = false;
  private k8smOnly = false;

  constructor(private readonly io: IOStreams) {}

  async complete(f: Factory, _args: string[], flags: GetFrameworksFlags): Promise<void> {
    this.factory = f;
    this.output = objectOutput(flags);
    this.completed = flags.completed;
    this.k8smOnly = flags.k8sm;
    this.mesos = await mesosConnectOptions(flags, f.env, debugWriter(this.io, flags.debug));
  }

  validate(): void {}

  async run(): Promise<Outcome> {
    const snap = await readCluster(this.factory, this.mesos, this.io);
    const frameworks = frameworkViews(snap.frameworks, { completed: this.completed, k8smOnly: this.k8smOnly });
    await printObjects(frameworks, FRAMEWORK_TABLE, this.output.format, this.io, { noHeaders: this.output.noHeaders });
    return 'ok';
  }
}
