import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import { confirmFlags } from '../../lib/flags/delete-flags.js';
import { agentFilterFlag, dockerFlags } from '../../lib/flags/docker-flags.js';
import { kubeFlags, mesosFlags } from '../../lib/flags/mesos-flags.js';
import type { IOStreams } from '../../lib/io.js';

export default class DeleteOrphans extends BaseCommand {
  static override summary = 'Stop and remove the orphaned pod containers that get orphans proves, and nothing else.';

  static override description = `Finds the orphans as 'k8smctl get orphans' does and prints the plan first: each container to stop, on which agent, with its proof. Only proven orphans are in it: live containers (their executor runs) and unproven ones (no marker, agent state unreadable, pod task still running) are never touched.

On a terminal it asks for confirmation; without one it refuses unless --yes is given (exit 2, nothing stopped).

Right before acting on an agent it reads that agent's /state and the master's tasks again and inspects each container again: a container whose executor came back, whose marker changed, whose pod task runs again, or that is gone, is skipped and reported. Each container is stopped with its pod's grace period (the io.kubernetes.pod.terminationGracePeriod label, else 30s; --grace-period overrides it), then removed (with its anonymous volumes) unless --keep-stopped. At most 4 containers per agent and 16 overall are handled at once. Progress goes to stderr (a bar on a terminal, a line per container otherwise), a table of what was done to stdout, and every action is appended as one JSON line to the audit log.

Running it again finds nothing to do and exits 0. Exit status: 0 done (or nothing to do); 1 some containers could not be stopped or removed (they are listed), an agent or engine could not be checked, or the confirmation was declined; 2 usage errors, no terminal to confirm on without --yes, or an unreadable master.`;

  static override examples = [
    { description: 'Show the plan only:', command: '<%= config.bin %> delete orphans --docker-endpoint tcp://{ip}:2376 --docker-tls-verify --dry-run' },
    {
      description: 'From a script, one agent, keeping the stopped containers for a post-mortem:',
      command: '<%= config.bin %> delete orphans --agent agent-3 --docker-endpoints engines.yaml --yes --keep-stopped',
    },
  ];

  static override flags = {
    ...agentFilterFlag,
    ...confirmFlags,
    'grace-period': Flags.string({
      description: "Stop timeout for every container, e.g. 10s (default: each container's io.kubernetes.pod.terminationGracePeriod label, else 30s).",
      helpValue: 'DURATION',
    }),
    'keep-stopped': Flags.boolean({ description: 'Stop the containers but do not remove them.' }),
    'audit-log': Flags.string({
      description: 'Append one JSON line per action to this file (default: $XDG_STATE_HOME/k8smctl/audit.log, else ~/.local/state/k8smctl/audit.log).',
      helpValue: 'FILE',
    }),
    ...dockerFlags,
    ...kubeFlags,
    ...mesosFlags,
  };

  static override loadOptions = async (io: IOStreams) => new (await import('../../cmd/delete/orphans.js')).DeleteOrphansOptions(io);
}
