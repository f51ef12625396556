// Outbox publisher: drains the intents the worker recorded to Jira, ServiceNow, the GRC webhook and
// Security Hub. A downstream outage leaves intents pending or parked, never dropped.
//   {"kind":"drain"}   the schedule: deliver what is due; parked intents are re-driven on their own an hour
//                      after parking, at most `autoRedrive.max` times each (then they wait for a person)
//   {"kind":"redrive"} an operator (`aws lambda invoke`) after an outage: parked and pending intents at once
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { StateStore } from '../core/state/store.ts';
import { drainOutbox, type DrainOptions, type DrainSummary } from '../publishers/drain.ts';
import type { Publisher } from '../publishers/publisher.ts';
import { lazyHandler } from './runtime/lazy.ts';
import { addDrainMetrics } from './runtime/metrics.ts';

export const PublisherEvent = z.discriminatedUnion('kind', [z.object({ kind: z.literal('drain') }), z.object({ kind: z.literal('redrive') })]);
export type PublisherEvent = z.infer<typeof PublisherEvent>;

export interface PublisherDeps {
  store: StateStore;
  publishers: readonly Publisher[];
  log: Logger;
  metrics?: Metrics;
  /** The scheduled drain's own re-drive of parked intents (default: an hour after parking, 3 times). */
  autoRedrive?: DrainOptions['autoRedrive'];
  /** Extra drain options (tests: a manual clock). */
  drain?: DrainOptions;
}

export const defaultAutoRedrive = { afterMs: 60 * 60_000, max: 3 };

export function createPublisherHandler(deps: PublisherDeps): (event: unknown) => Promise<Omit<DrainSummary, 'planned'>> {
  return async (event) => {
    const parsed = PublisherEvent.safeParse(event);
    if (!parsed.success) {
      throw new Error(`publisher event must be {"kind":"drain"} (the schedule) or {"kind":"redrive"} (after an outage): ${z.prettifyError(parsed.error)}`);
    }
    if (deps.publishers.length === 0) deps.log.warn('no publishers configured (posture.yaml publish:); outbox left as is');
    try {
      const { planned: _planned, ...summary } = await drainOutbox(deps.store, deps.publishers, {
        logger: deps.log,
        // Return well inside the function timeout (5 minutes); what is left waits for the next run.
        maxWaitMs: 60_000,
        maxRunMs: 4 * 60_000,
        ...(parsed.data.kind === 'redrive' ? { now: true } : { autoRedrive: deps.autoRedrive ?? defaultAutoRedrive }),
        ...deps.drain,
      });
      if (deps.metrics) addDrainMetrics(deps.metrics, summary);
      deps.log.info({ kind: parsed.data.kind, ...summary }, 'outbox drained');
      return summary;
    } finally {
      deps.metrics?.publishStoredMetrics();
    }
  };
}

export const handler = lazyHandler(async () => {
  const { publisherDepsFromEnv } = await import('./runtime/wiring/publisher.ts');
  return createPublisherHandler(await publisherDepsFromEnv(process.env));
});
