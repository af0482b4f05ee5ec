import Validate from './validate.js';
import GetAgents from './get/agents.js';
import GetFrameworks from './get/frameworks.js';
import GetTasks from './get/tasks.js';
import GetOrphans from './get/orphans.js';
import DeleteOrphans from './delete/orphans.js';
import DeleteFramework from './delete/framework.js';
import DescribeAgent from './describe/agent.js';
import DiagnosePod from './diagnose/pod.js';
import DiagnoseCluster from './diagnose/cluster.js';
import SchedulerRun from './scheduler/run.js';
import Version from './version.js';
import Completion from './completion.js';

/** Every command, by id (oclif's explicit command strategy; see package.json `oclif.commands`). */
export const COMMANDS = {
  validate: Validate,
  'get:agents': GetAgents,
  'get:frameworks': GetFrameworks,
  'get:tasks': GetTasks,
  'get:orphans': GetOrphans,
  'delete:orphans': DeleteOrphans,
  'delete:framework': DeleteFramework,
  'describe:agent': DescribeAgent,
  'diagnose:pod': DiagnosePod,
  'diagnose:cluster': DiagnoseCluster,
  'scheduler:run': SchedulerRun,
  version: Version,
  completion: Completion,
};
