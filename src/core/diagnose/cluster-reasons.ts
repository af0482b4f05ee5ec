import { emptyResources, addResources } from '../mesos/resources.js';
import type { Context } from './context.js';
import { count, cpuAmount, formatDuration, isoOfSeconds, listNames, memAmount, ranges } from './format.js';
import type { Reason } from './model.js';

/**
 * The cluster-level causes shown on every pod they hold back (and by `diagnose cluster`): the k8sm
 * framework not registered, and offers it holds past k8sm's offer TTL.
 */

export function frameworkReason(ctx: Context): (Reason & { short: string }) | undefined {
  const f = ctx.framework;
  const name = ctx.settings.frameworkName;
  if (f.kind === 'ok') return undefined;
  if (f.kind === 'missing') {
    const removed = f.removed
      ? `; a framework of that name (${f.removed.id}) was removed${f.removed.unregisteredTime ? ` at ${isoOfSeconds(f.removed.unregisteredTime)}` : ''}, and its tasks with it`
      : '';
    return {
      reason: 'framework-not-registered',
      message: `no framework named ${name} is registered with the Mesos master (registered: ${f.others.length ? listNames(f.others, 6) : 'none'})${removed}: nothing places k8sm pods`,
      fix: `start the k8sm scheduler (km scheduler), or pass --framework-name if it registers under another name`,
      short: `the k8sm framework ${name} is not registered`,
    };
  }
  const fw = f.framework;
  const state = fw.connected === false ? 'disconnected' : 'inactive';
  const since = f.sinceMs !== undefined ? ` since ${new Date(f.sinceMs).toISOString()} (${formatDuration(ctx.now - f.sinceMs)})` : '';
  const left =
    f.failoverLeftMs === undefined
      ? ''
      : f.failoverLeftMs > 0
        ? `; its failover timeout (${formatDuration((fw.failoverTimeout ?? 0) * 1000)}) leaves ${formatDuration(f.failoverLeftMs)} before Mesos tears it down and kills its ${count(fw.taskCount, 'task')}`
        : `; its failover timeout (${formatDuration((fw.failoverTimeout ?? 0) * 1000)}) ran out ${formatDuration(-f.failoverLeftMs)} ago: Mesos is tearing it down`;
  return {
    reason: 'framework-not-registered',
    message: `the k8sm framework ${name} (${fw.id}) is ${state}${since}${left}: no offers reach it and nothing places pods`,
    fix: `restart the k8sm scheduler (it re-registers with its framework id from etcd)${f.failoverLeftMs !== undefined && f.failoverLeftMs > 0 ? ` within ${formatDuration(f.failoverLeftMs)}` : ''}`,
    short: `the k8sm framework ${name} is ${state}`,
  };
}

/** Offers the k8sm framework still holds at a second look, `offersLater.afterMs` after the first. */
export function heldOffersReason(ctx: Context): Reason | undefined {
  const held = ctx.heldOffers;
  if (held.length === 0) return undefined;
  const after = ctx.snapshot.offersLater?.afterMs ?? 0;
  const byAgent = new Map<string, ReturnType<typeof emptyResources>>();
  for (const o of held) byAgent.set(o.agentId, addResources(byAgent.get(o.agentId) ?? emptyResources(), o.resources));
  const agents = [...byAgent].map(([id, r]) => {
    const host = ctx.agentById.get(id)?.agent.hostname ?? id;
    return `${host} (${cpuAmount(r.cpus)}, ${memAmount(r.mem)}${r.ports.length ? `, ports ${ranges(r.ports)}` : ''})`;
  });
  return {
    reason: 'offers-held',
    message: `the k8sm framework ${ctx.settings.frameworkName} holds ${count(held.length, 'offer')} still outstanding ${formatDuration(after)} later, far past k8sm's ${formatDuration(ctx.settings.offerTtlMs)} offer TTL (k8sm's offer leak): ${listNames(agents, 5)}; those resources reach no one`,
    fix: `restart the k8sm scheduler (a failover): Mesos rescinds the offers it holds and offers the resources again`,
  };
}
