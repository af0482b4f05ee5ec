import * as Args from '@oclif/core/args';
import { BaseCommand } from '../../lib/base-command.js';
import { mesosFlags } from '../../lib/flags/mesos-flags.js';
import type { IOStreams } from '../../lib/io.js';

export default class DescribeAgent extends BaseCommand {
  static override summary = 'Show everything about an agent that matters to k8sm: resources, port map, executors, tasks, flags.';

  static override description = `NAME is a hostname, an agent id, or a unique hostname prefix; where two agents run on one host, hostname:port (the name 'get agents -o name' prints), as the bare hostname is then ambiguous. Shows the agent's resources (total, used, offered, free), reservations per role, its port map (which task holds which host port, what is free), the k8sm executors running there with their Mesos container ids and sandboxes, its tasks, and the agent flags that matter to k8sm (executor_shutdown_grace_period, docker_kill_orphans, ...), with findings such as a shutdown grace period too short for the k8sm executor to stop its pod containers.

Reads the leading master and the agent itself (its /slave(1)/state, which includes its flags). When the agent does not answer, what the master knows is still shown and the exit status is 1.`;

  static override examples = [{ description: 'Describe one agent:', command: '<%= config.bin %> describe agent agent-1.example.com' }];

  static override args = {
    // Names come from the arguments only: oclif would otherwise read a piped stdin as the name.
    name: Args.string({ description: 'Agent hostname, hostname:port, id, or unique hostname prefix.', required: true, ignoreStdin: true }),
  };

  static override strict = false;

  static override flags = { ...mesosFlags };

  static override loadOptions = async (io: IOStreams) => new (await import('../../cmd/describe/agent.js')).DescribeAgentOptions(io);
}
