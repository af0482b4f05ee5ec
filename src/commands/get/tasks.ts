import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import { kubeFlags, mesosFlags, namespaceFlags, objectOutputFlags } from '../../lib/flags/mesos-flags.js';
import type { IOStreams } from '../../lib/io.js';

export default class GetTasks extends BaseCommand {
  static override summary = 'List k8sm tasks joined with their pods: task id, pod, namespace, agent, state, host ports.';

  static override description = `Every task of a k8sm framework (ids pod.<uuid>), joined with its pod in the Kubernetes apiserver by the k8s.mesosphere.io/taskId annotation the k8sm executor writes, else by the task name <pod>.<namespace>.pod. A task whose pod is gone shows "no pod" as its phase. Host ports are the ports the task holds on its agent.

Reads the leading master (one request) and lists pods of the namespace (-n, default the context's) or of all namespaces (-A).`;

  static override examples = [
    { description: 'k8sm tasks of the current namespace:', command: '<%= config.bin %> get tasks' },
    { description: 'All namespaces, with framework, executor and resources:', command: '<%= config.bin %> get tasks -A -o wide' },
  ];

  static override flags = {
    all: Flags.boolean({ description: 'Include completed and unreachable tasks.' }),
    ...namespaceFlags,
    ...objectOutputFlags,
    ...kubeFlags,
    ...mesosFlags,
  };

  static override loadOptions = async (io: IOStreams) => new (await import('../../cmd/get/tasks.js')).GetTasksOptions(io);
}
