import { homedir, hostname } from 'node:os';
import { isAbsolute, join } from 'node:path';
import pLimit from 'p-limit';
import { AuditLog } from '../../clients/audit-log.js';
import type { DockerEngineApi } from '../../clients/docker/docker-client.js';
import { ClientError } from '../../clients/errors.js';
import type { MesosConnectOptions } from '../../clients/mesos/options.js';
import { killPlan, reverify, type AgentReading, type ClusterFacts, type PlanItem } from '../../core/orphans/index.js';
import type { CommandOptions } from '../../lib/command.js';
import { MAX_TIMER_MS } from '../../lib/duration.js';
import { durationFlagMs } from '../shared/duration-flag.js';
import { UsageError } from '../../lib/errors.js';
import type { Factory, MesosApi } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';
import type { Outcome } from '../../lib/outcomes.js';
import { actionProgress } from '../../output/orphans/progress.js';
import { printPlan, printResults, type ActionResult } from '../../output/orphans/render.js';
import { countOf } from '../../output/text.js';
import { NO_ENGINE_READ, noEngineRead, uncheckedWarning, unreadableOf, warnScan } from '../get/orphans.js';
import { confirmAction } from '../shared/confirm.js';
import { debugWriter, mesosConnectOptions, type MesosFlags } from '../shared/mesos.js';
import {
  clusterFacts,
  dockerSettings,
  kubeOptions,
  readAgents,
  scanOrphans,
  type DockerFlags,
  type DockerSettings,
  type OrphanScan,
} from '../shared/orphans.js';

export interface DeleteOrphansFlags extends MesosFlags, DockerFlags {
  debug: boolean;
  kubeconfig?: string;
  context?: string;
  'dry-run': boolean;
  yes: boolean;
  'grace-period'?: string;
  'keep-stopped': boolean;
  'audit-log'?: string;
}

/** Containers handled at once on one agent, and overall. */
export const ACTIONS_PER_AGENT = 4;
export const ACTIONS_OVERALL = 16;

/** `$XDG_STATE_HOME/k8smctl/audit.log`, else `~/.local/state/k8smctl/audit.log`. */
export function defaultAuditLog(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env['XDG_STATE_HOME'];
  if (xdg && isAbsolute(xdg)) return join(xdg, 'k8smctl', 'audit.log');
  return join(env['HOME'] || homedir(), '.local', 'state', 'k8smctl', 'audit.log');
}

const message = (e: unknown) => ((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '').replace(/^Docker engine \S+: /, '');

/** `k8smctl delete orphans`. */
export class DeleteOrphansOptions implements CommandOptions<DeleteOrphansFlags> {
  private factory!: Factory;
  private mesos!: MesosConnectOptions;
  private docker!: DockerSettings;
  private flags!: DeleteOrphansFlags;
  private graceSeconds: number | undefined;
  private auditPath!: string;
  private debug: ((line: string) => void) | undefined;

  constructor(private readonly io: IOStreams) {}

  async complete(f: Factory, _args: string[], flags: DeleteOrphansFlags): Promise<void> {
    this.factory = f;
    this.flags = flags;
    this.debug = debugWriter(this.io, flags.debug);
    if (flags['grace-period'] !== undefined) {
      this.graceSeconds = Math.ceil(durationFlagMs('grace-period', flags['grace-period'], true) / 1000);
    }
    this.auditPath = flags['audit-log'] ?? defaultAuditLog(f.env);
    this.mesos = await mesosConnectOptions(flags, f.env, this.debug);
    this.docker = await dockerSettings(flags, f.env);
  }

  /** --dry-run wins over --yes. */
  validate(): void {}

  async run(): Promise<Outcome> {
    const mesos = await this.factory.mesos(this.mesos);
    try {
      return await this.runWith(mesos);
    } finally {
      mesos.close();
    }
  }

  private async runWith(mesos: MesosApi): Promise<Outcome> {
    const { io, flags } = this;
    const scan = await scanOrphans(this.factory, mesos, io, {
      agentNames: flags.agent ?? [],
      docker: this.docker,
      kube: kubeOptions(flags, this.debug),
      kubeExplicit: Boolean(flags.kubeconfig || flags.context),
      ...(this.debug ? { debug: this.debug } : {}),
    });
    warnScan(io, scan);
    const unchecked = uncheckedWarning(unreadableOf(scan));
    const plan = killPlan(scan.classified, this.graceSeconds !== undefined ? { gracePeriodSeconds: this.graceSeconds } : {});
    if (!plan.length) {
      io.out.write(noEngineRead(scan) ? `${NO_ENGINE_READ}; nothing was stopped.\n` : 'No orphaned containers: nothing to do.\n');
      if (unchecked) io.err.write(`warning: ${unchecked}\n`);
      return unchecked ? 'partial' : 'ok';
    }
    const keep = flags['keep-stopped'];
    printPlan(plan, io, keep);
    if (flags['dry-run']) {
      io.err.write('dry run: nothing was stopped\n');
      if (unchecked) io.err.write(`warning: ${unchecked}\n`);
      return unchecked ? 'partial' : 'ok';
    }
    const agentCount = new Set(plan.map((p) => p.agentId)).size;
    const verb = keep ? 'stop' : 'stop and remove';
    const answer = await confirmAction(io, this.factory, {
      yes: flags.yes,
      question: `${verb[0]!.toUpperCase()}${verb.slice(1)} ${plan.length === 1 ? `this container on agent ${plan[0]!.hostname}` : `these ${plan.length} containers on ${countOf(agentCount, 'agent')}`}?`,
      what: `${verb} ${countOf(plan.length, 'orphaned container')}`,
    });
    if (answer === 'interrupted') return 'interrupted';
    if (answer === 'declined') {
      io.err.write('declined: nothing was stopped\n');
      return 'failed';
    }
    let audit: AuditLog;
    try {
      audit = await AuditLog.open(this.auditPath);
    } catch (e) {
      if (e instanceof ClientError && e.kind === 'config') {
        throw new UsageError(`audit log: ${e.message}; nothing was stopped`, 'pass --audit-log FILE with a writable path');
      }
      throw e;
    }
    let results: ActionResult[];
    try {
      results = await this.act(mesos, scan, plan, audit);
    } finally {
      await audit.close();
    }
    printResults(results, io);
    const failed = results.filter((r) => r.result === 'failed');
    const skipped = results.filter((r) => r.result === 'skipped').length;
    const done = results.length - failed.length - skipped;
    io.err.write(
      `${countOf(done, 'container')} ${keep ? 'stopped' : 'stopped and removed'}, ${skipped} skipped, ${failed.length} failed; audit log: ${this.auditPath}\n`,
    );
    if (this.factory.signal.aborted) return this.factory.signal.reason === 'SIGTERM' ? 'terminated' : 'interrupted';
    if (failed.length) {
      const left = failed.map((r) => `${r.item.hostname}/${r.item.containerId.slice(0, 12)}`).join(', ');
      io.err.write(`error: ${countOf(failed.length, 'orphaned container')} left: ${left}; run 'k8smctl delete orphans' again once the cause is fixed\n`);
      return 'partial';
    }
    if (unchecked) {
      io.err.write(`warning: ${unchecked}\n`);
      return 'partial';
    }
    return 'ok';
  }

  /** Acts agent by agent (bounded), each after a fresh read of its state and a fresh inspect of each container. */
  private async act(mesos: MesosApi, scan: OrphanScan, plan: PlanItem[], audit: AuditLog): Promise<ActionResult[]> {
    const f = this.factory;
    // The master's tasks again (a pod relaunched meanwhile runs again); the pods stay as read (evidence only).
    const fresh = await mesos.snapshot();
    const cluster = clusterFacts(fresh, scan.cluster.pods);
    const byAgent = new Map<string, PlanItem[]>();
    for (const p of plan) byAgent.set(p.agentId, [...(byAgent.get(p.agentId) ?? []), p]);
    const overall = pLimit(ACTIONS_OVERALL);
    const progress = actionProgress(this.io, plan.length);
    const results: ActionResult[] = [];
    const record = (r: ActionResult) => {
      results.push(r);
      progress.done(r);
    };
    const common = { user: f.env['USER'] ?? f.env['USERNAME'] ?? null, host: hostname(), command: 'delete orphans' };
    const entry = (item: PlanItem, action: string, result: string, detail?: string) => ({
      time: new Date(f.clock.now()).toISOString(),
      ...common,
      agent: item.hostname,
      agentId: item.agentId,
      containerId: item.containerId,
      containerName: item.containerName,
      pod: item.pod ? `${item.pod.namespace}/${item.pod.name}` : null,
      executorContainer: item.marker,
      gracePeriodSeconds: item.gracePeriodSeconds,
      action,
      result,
      ...(detail ? { detail } : {}),
      ...(action === 'plan' ? { proof: item.proof } : {}),
    });
    const log = (item: PlanItem, action: string, result: string, detail?: string) => audit.append(entry(item, action, result, detail));
    // A stop or remove under way when a signal arrives: the process exits within seconds, maybe before it
    // ends, so the log says so at once (the engine may still finish it; a later line says if it did).
    const inflight = new Map<string, { item: PlanItem; step: string }>();
    const onAbort = () => {
      const why = f.signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
      for (const { item, step } of inflight.values()) {
        audit.appendNow(entry(item, step, 'interrupted', `${step} was under way at ${why}; the engine may still finish it: check with 'k8smctl get orphans'`));
      }
    };
    f.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.all(
        [...byAgent].map(async ([agentId, items]) => {
          const agent = scan.agents.find((a) => a.id === agentId)!;
          const scanned = scan.engines.find((e) => e.agentId === agentId)!;
          const maxGrace = Math.max(...items.map((i) => i.gracePeriodSeconds));
          let engine: DockerEngineApi;
          let reading: AgentReading;
          try {
            // Its own engine handle: a stop may take the grace period plus the usual deadline.
            engine = await f.docker({
              endpoint: scanned.endpoint!,
              ...(this.docker.tls ? { tls: this.docker.tls } : {}),
              timeoutMs: Math.min(MAX_TIMER_MS, this.docker.timeoutMs + maxGrace * 1000), // a longer timer fires at once
            });
            reading = (await readAgents(mesos, [agent])).readings.get(agentId)!;
          } catch (e) {
            if (e instanceof ClientError && e.kind === 'aborted') throw e;
            for (const item of items) {
              await log(item, 'skip', 'failed', message(e));
              record({ item, result: 'failed', detail: `not acted on: ${message(e)}` });
            }
            return;
          }
          const perAgent = pLimit(ACTIONS_PER_AGENT);
          await Promise.all(items.map((item) => perAgent(() => overall(async () => record(await this.one(engine, item, reading, cluster, log, inflight))))));
        }),
      );
    } finally {
      f.signal.removeEventListener('abort', onAbort);
      progress.end();
    }
    const order = new Map(plan.map((p, i) => [p.containerId, i]));
    return results.sort((a, b) => order.get(a.item.containerId)! - order.get(b.item.containerId)!);
  }

  private async one(
    engine: DockerEngineApi,
    item: PlanItem,
    reading: AgentReading,
    cluster: ClusterFacts,
    log: (item: PlanItem, action: string, result: string, detail?: string) => Promise<void>,
    inflight: Map<string, { item: PlanItem; step: string }>,
  ): Promise<ActionResult> {
    const result = async (r: ActionResult['result'], detail: string, action: string): Promise<ActionResult> => {
      await log(item, action, r, detail);
      return { item, result: r, detail };
    };
    if (this.factory.signal.aborted) return result('skipped', 'interrupted before acting', 'skip');
    await log(item, 'plan', 'confirmed');
    let now;
    try {
      now = await engine.inspect(item.containerId);
    } catch (e) {
      return result('failed', `inspect failed: ${message(e)}`, 'inspect');
    }
    const check = reverify(item, { agent: reading, container: now }, cluster);
    if (!check.act) return check.reason === 'container gone' ? result('gone', 'gone before it was stopped', 'skip') : result('skipped', check.reason, 'skip');
    try {
      inflight.set(item.containerId, { item, step: 'stop' });
      const s = await engine.stop(item.containerId, item.gracePeriodSeconds);
      await log(item, 'stop', s === 'stopped' ? 'ok' : 'already-stopped');
    } catch (e) {
      if (e instanceof ClientError && e.kind === 'not-found') return result('gone', 'gone while it was being stopped', 'stop');
      return result('failed', `stop failed: ${message(e)}`, 'stop');
    } finally {
      inflight.delete(item.containerId);
    }
    if (this.flags['keep-stopped']) return { item, result: 'stopped', detail: `stopped (grace ${item.gracePeriodSeconds}s), kept` };
    try {
      inflight.set(item.containerId, { item, step: 'remove' });
      await engine.remove(item.containerId);
    } catch (e) {
      if (e instanceof ClientError && e.kind === 'not-found') return result('gone', 'stopped; removed by someone else meanwhile', 'remove');
      const why = e instanceof ClientError && e.kind === 'conflict' ? `remove refused (409): ${message(e)}` : `remove failed: ${message(e)}`;
      return result('failed', `stopped; ${why}`, 'remove');
    } finally {
      inflight.delete(item.containerId);
    }
    await log(item, 'remove', 'ok');
    return { item, result: 'removed', detail: `stopped (grace ${item.gracePeriodSeconds}s) and removed` };
  }
}
