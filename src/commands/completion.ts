import * as Args from '@oclif/core/args';
import { BaseCommand } from '../lib/base-command.js';
import type { IOStreams } from '../lib/io.js';

export default class Completion extends BaseCommand {
  static override summary = 'Print the shell completion script for bash, zsh or fish.';

  static override description = `Prints a script that makes the shell complete k8smctl's commands, flags and flag values (-o formats, --port-mapping, files for -f, directories for --static-pods-dir) and, where a server is configured, live values: agent names for 'describe agent' and 'get agents' from the Mesos master of --mesos-master or $MESOS_MASTER, namespaces for -n and pod names from the apiserver of the kubeconfig, contexts for --context. The script must be loaded into the shell (see the examples); it asks 'k8smctl __complete' for every completion, so it never needs regenerating when k8smctl is upgraded.

Live values are asked with a 2 s timeout per request and a 3 s limit in all (K8SMCTL_COMPLETION_TIMEOUT=DURATION, e.g. 10s, sets both, for a slow link); when a server does not answer, or none is configured, nothing is offered and nothing is printed. K8SMCTL_COMPLETION_DEBUG=FILE appends why to FILE.

bash: needs bash 4.1 or later; the bash-completion package is not required. zsh: compinit must run before the script is loaded. fish: 3.3 or later.

As a kubectl plugin: kubectl (1.26 or later) completes 'kubectl k8sm ...' itself, with its own completion script ('kubectl completion bash'), by running the kubectl_complete-k8sm program installed with k8smctl.`;

  static override examples = [
    { description: 'Load the bash completion into the current shell:', command: 'source <(<%= config.bin %> completion bash)' },
    {
      description: 'Load it in every new bash (written to a file, sourced from ~/.bashrc):',
      command: "<%= config.bin %> completion bash > ~/.k8smctl-completion.bash && echo 'source ~/.k8smctl-completion.bash' >> ~/.bashrc",
    },
    {
      description: 'Install it for every user, where the bash-completion package looks:',
      command: '<%= config.bin %> completion bash | sudo tee /etc/bash_completion.d/k8smctl > /dev/null',
    },
    { description: 'Load the zsh completion into the current shell (compinit must have run):', command: 'source <(<%= config.bin %> completion zsh)' },
    { description: 'Load it in every new zsh, from a directory of $fpath:', command: '<%= config.bin %> completion zsh > "${fpath[1]}/_k8smctl"' },
    { description: 'Load the fish completion into the current shell:', command: '<%= config.bin %> completion fish | source' },
    { description: 'Load it in every new fish:', command: '<%= config.bin %> completion fish > ~/.config/fish/completions/k8smctl.fish' },
  ];

  static override args = {
    shell: Args.string({ description: 'The shell: bash, zsh or fish.', options: ['bash', 'zsh', 'fish'], required: true, ignoreStdin: true }),
  };

  static override loadOptions = async (io: IOStreams) => new (await import('../cmd/completion/options.js')).CompletionOptions(io);
}
