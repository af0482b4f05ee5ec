import { ClientError } from '../../clients/errors.js';
import type { MesosConnectOptions } from '../../clients/mesos/options.js';
import { findFramework, tasksPerAgent } from '../../core/views/framework-teardown.js';
import type { CommandOptions } from '../../lib/command.js';
import { formatDuration } from '../../lib/duration.js';
import { UsageError, UserError } from '../../lib/errors.js';
import type { Factory } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';
import type { Outcome } from '../../lib/outcomes.js';
import { formatTable } from '../../output/table.js';
import { countOf } from '../../output/text.js';
import { confirmAction } from '../shared/confirm.js';
import { debugWriter, mesosConnectOptions, type MesosFlags } from '../shared/mesos.js';
import { essentialRead } from '../shared/unreadable.js';

export interface DeleteFrameworkFlags extends MesosFlags {
  debug: boolean;
  'dry-run': boolean;
  yes: boolean;
}

const MAX_NAMES = 5;

/** `k8smctl delete framework ID|NAME`. */
export class DeleteFrameworkOptions implements CommandOptions<DeleteFrameworkFlags> {
  private factory!: Factory;
  private mesos!: MesosConnectOptions;
  private flags!: DeleteFrameworkFlags;
  private target = '';

  constructor(private readonly io: IOStreams) {}

  async complete(f: Factory, args: string[], flags: DeleteFrameworkFlags): Promise<void> {
    this.factory = f;
    this.flags = flags;
    this.target = (args[0] ?? '').trim();
    this.mesos = await mesosConnectOptions(flags, f.env, debugWriter(this.io, flags.debug));
  }

  validate(): void {
    if (!this.target) throw new UsageError('no framework given', 'pass its id or name');
  }

  async run(): Promise<Outcome> {
    const { io } = this;
    const mesos = await this.factory.mesos(this.mesos);
    try {
      const snap = await essentialRead(mesos.snapshot()); // a refused read: unreadable master (2); a refused teardown: 1
      for (const w of snap.warnings) io.err.write(`warning: ${w}\n`);
      const found = findFramework(snap, this.target);
      if ('ambiguous' in found) {
        throw new UsageError(
          `framework name "${this.target}" is ambiguous: ${found.ambiguous.map((f) => f.id).join(', ')}`,
          'pass the id of the one to tear down',
        );
      }
      if ('completed' in found) {
        io.out.write(`framework ${found.completed.name} (${found.completed.id}) is already torn down (completed): nothing to do\n`);
        return 'ok';
      }
      if ('missing' in found) {
        const known = found.known.map((f) => `${f.name} (${f.id})`).join(', ') || 'none';
        throw new UserError(`no framework "${this.target}" is registered with the master (registered: ${known})`, { outcome: 'failed' });
      }
      const fw = found.found;
      const groups = tasksPerAgent(snap, fw.id);
      const total = groups.reduce((n, g) => n + g.tasks.length, 0);
      const state = `${fw.active ? 'active' : 'inactive'}${fw.connected === false ? ', disconnected' : fw.connected ? ', connected' : ''}`;
      io.out.write(
        `Framework ${fw.name} (${fw.id}): ${state}${fw.failoverTimeout !== undefined ? `, failover timeout ${formatDuration(fw.failoverTimeout * 1000)}` : ''}\n`,
      );
      if (groups.length) {
        io.out.write(`Tearing it down kills ${countOf(total, 'task')} on ${countOf(groups.length, 'agent')}:\n`);
        io.out.write(
          formatTable(
            groups.map((g) => {
              const names = g.tasks.map((t) => t.name);
              return [
                g.hostname,
                g.tasks.length,
                names.slice(0, MAX_NAMES).join(', ') + (names.length > MAX_NAMES ? `, ... (${names.length - MAX_NAMES} more)` : ''),
              ];
            }),
            { headers: ['AGENT', 'TASKS', 'NAMES'], indent: '  ' },
          ),
        );
      } else io.out.write('It has no running tasks.\n');
      if (fw.active && fw.connected !== false) {
        io.err.write(
          `warning: framework ${fw.name} is active${fw.connected ? ' and connected' : ''}: its scheduler is running, tearing it down stops it for good\n`,
        );
      }
      if (this.flags['dry-run']) {
        io.err.write('dry run: nothing was torn down\n');
        return 'ok';
      }
      const answer = await confirmAction(io, this.factory, {
        yes: this.flags.yes,
        question: `Tear down framework ${fw.name} (${fw.id})${total ? ` and kill its ${countOf(total, 'task')}` : ''}?`,
        what: `tear down framework ${fw.id}`,
      });
      if (answer === 'interrupted') return 'interrupted';
      if (answer === 'declined') {
        io.err.write('declined: nothing was torn down\n');
        return 'failed';
      }
      let r: Awaited<ReturnType<typeof mesos.teardownFramework>>;
      try {
        r = await mesos.teardownFramework(fw.id);
      } catch (e) {
        // The master was read a moment ago: a teardown that timed out, was cut off or failed on the
        // server may still have happened. Refusals (401/403/400) and interruptions keep their own line.
        if (!(e instanceof ClientError) || !['timeout', 'unreachable', 'server', 'protocol'].includes(e.kind)) throw e;
        throw new UserError(`tearing down framework ${fw.name} (${fw.id}) may or may not have happened: ${e.message}`, {
          outcome: 'failed',
          hint: "check with 'k8smctl get frameworks', and run this again if it is still registered",
          cause: e,
        });
      }
      io.out.write(
        `framework ${fw.name} (${fw.id}) torn down through ${r.endpoint} of ${r.masterUrl}${total ? `: the master kills its ${countOf(total, 'task')}` : ''}\n`,
      );
      return 'ok';
    } finally {
      mesos.close();
    }
  }
}
