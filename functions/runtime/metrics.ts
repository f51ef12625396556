// CloudWatch metrics in the Embedded Metric Format, through Powertools Metrics: each handler adds what it
// did and flushes once per invocation (one EMF line on stdout, which Lambda ships to CloudWatch Logs).
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RecordOutcome } from '../../core/record-result.ts';
import type { DrainSummary } from '../../publishers/drain.ts';

export const metricsNamespace = 'posture';

export function createMetrics(serviceName: 'worker' | 'publisher'): Metrics {
  return new Metrics({ namespace: metricsNamespace, serviceName });
}

/** One scan job recorded: the scan, the assets in it, and the findings it opened, reopened and resolved. */
export function addScanMetrics(metrics: Metrics, recorded: RecordOutcome): void {
  metrics.addMetric('Scans', MetricUnit.Count, 1);
  metrics.addMetric('AssetsRecorded', MetricUnit.Count, recorded.recorded);
  metrics.addMetric('FindingsOpened', MetricUnit.Count, recorded.opened);
  metrics.addMetric('FindingsReopened', MetricUnit.Count, recorded.reopened);
  metrics.addMetric('FindingsResolved', MetricUnit.Count, recorded.resolved);
  metrics.addMetric('AssetsNoLongerPresent', MetricUnit.Count, recorded.removedAssets);
}

/** One outbox drain: deliveries by result, and what the outbox holds afterwards. */
export function addDrainMetrics(metrics: Metrics, summary: Omit<DrainSummary, 'planned'>): void {
  metrics.addMetric('Deliveries', MetricUnit.Count, summary.created + summary.updated + summary.resolved + summary.reopened + summary.unchanged);
  metrics.addMetric('DeliveriesRetried', MetricUnit.Count, summary.retried);
  metrics.addMetric('DeliveriesParked', MetricUnit.Count, summary.parked);
  metrics.addMetric('IntentsRequeued', MetricUnit.Count, summary.requeued);
  metrics.addMetric('OutboxPending', MetricUnit.Count, summary.outbox.pending);
  metrics.addMetric('OutboxParked', MetricUnit.Count, summary.outbox.parked);
}
