import type { CommandOptions } from '../../lib/command.js';
import { completionScript, SHELLS, type Shell } from '../../lib/completion/scripts.js';
import { UsageError } from '../../lib/errors.js';
import type { Factory } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';
import type { Outcome } from '../../lib/outcomes.js';
import { programName } from '../../lib/program.js';

/** `k8smctl completion SHELL`: prints the script; contacts nothing. */
export class CompletionOptions implements CommandOptions<Record<string, unknown>> {
  private shell!: Shell;

  constructor(private readonly io: IOStreams) {}

  complete(_f: Factory, args: string[]): void {
    const shell = args[0] ?? '';
    if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`unsupported shell "${shell}"`, `pass one of: ${SHELLS.join(', ')}`);
    this.shell = shell as Shell;
  }

  validate(): void {}

  run(): Promise<Outcome> {
    if (programName() !== 'k8smctl') {
      // As a kubectl plugin: kubectl completes `kubectl k8sm ...` itself; this script is for k8smctl.
      this.io.out.write(
        `# This script completes the k8smctl command. '${programName()} <TAB>' is completed by kubectl's own\n# completion (kubectl 1.26 or later), through the kubectl_complete-k8sm program installed with k8smctl.\n`,
      );
    }
    this.io.out.write(completionScript(this.shell, 'k8smctl'));
    return Promise.resolve('ok');
  }
}
