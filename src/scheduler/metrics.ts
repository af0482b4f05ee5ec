import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The scheduler's Prometheus metrics (issue 10), on a registry of its own. */
export interface SchedulerMetrics {
  readonly registry: Registry;
  podsScheduled: Counter;
  podsFailed: Counter;
  schedulingLatency: Histogram;
  offersReceived: Counter;
  offersUsed: Counter;
  offersDeclined: Counter;
  offersRescinded: Counter;
  pendingPods: Gauge;
  streamReconnects: Counter;
  tasksByState: Gauge<'state'>;
  reconciliations: Counter<'kind'>;
  partialAnnotationPods: Gauge;
}

/** Also the process's own metrics (CPU, resident memory, heap, event-loop lag, open handles), as kube-scheduler exports process_* metrics; `processMetrics: false` leaves them out. */
export function createMetrics(o: { processMetrics?: boolean } = {}): SchedulerMetrics {
  const registry = new Registry();
  if (o.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const reg = { registers: [registry] };
  return {
    registry,
    podsScheduled: new Counter({ name: 'k8sm_scheduler_pods_scheduled_total', help: 'Pods launched on an offer', ...reg }),
    podsFailed: new Counter({ name: 'k8sm_scheduler_pods_failed_total', help: 'Scheduling attempts that found no offer for a pod', ...reg }),
    schedulingLatency: new Histogram({
      name: 'k8sm_scheduler_scheduling_latency_seconds',
      help: 'From the pod seen pending to its launch',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      ...reg,
    }),
    offersReceived: new Counter({ name: 'k8sm_scheduler_offers_received_total', help: 'Offers received', ...reg }),
    offersUsed: new Counter({ name: 'k8sm_scheduler_offers_used_total', help: 'Offers accepted with at least one launch', ...reg }),
    offersDeclined: new Counter({ name: 'k8sm_scheduler_offers_declined_total', help: 'Offers declined', ...reg }),
    offersRescinded: new Counter({ name: 'k8sm_scheduler_offers_rescinded_total', help: 'Offers rescinded by the master', ...reg }),
    pendingPods: new Gauge({ name: 'k8sm_scheduler_pending_pods', help: 'Pods waiting for an offer', ...reg }),
    streamReconnects: new Counter({ name: 'k8sm_scheduler_stream_reconnects_total', help: 'Subscriptions made again after a break', ...reg }),
    tasksByState: new Gauge({ name: 'k8sm_scheduler_tasks', help: 'Tasks of this scheduler by state', labelNames: ['state'], ...reg }),
    reconciliations: new Counter({
      name: 'k8sm_scheduler_reconciliations_total',
      help: 'RECONCILE calls: explicit (known tasks, on subscribing and again for those that have not answered) and implicit',
      labelNames: ['kind'],
      ...reg,
    }),
    partialAnnotationPods: new Gauge({
      name: 'k8sm_scheduler_partial_annotation_pods',
      help: "Pods with some of k8sm's recovery annotations but not all, left alone",
      ...reg,
    }),
  };
}
