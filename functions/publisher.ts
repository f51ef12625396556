// Scheduled publisher: drains the outbox (the state helper's intents) to Jira, ServiceNow, the GRC
// webhook and Security Hub. A downstream outage leaves intents pending or parked, never dropped.
import type { Logger } from 'pino';
import type { StateStore } from '../core/state/store.ts';
import { drainOutbox, type DrainSummary } from '../publishers/drain.ts';
import type { Publisher } from '../publishers/publisher.ts';
import { lazyHandler } from './runtime/lazy.ts';

export interface PublisherDeps {
  store: StateStore;
  publishers: readonly Publisher[];
  log: Logger;
}

export function createPublisherHandler(deps: PublisherDeps): (event: unknown) => Promise<Omit<DrainSummary, 'planned'>> {
  return async () => {
    if (deps.publishers.length === 0) {
      deps.log.warn('no publishers configured (posture.yaml publish:); outbox left as is');
    }
    const { planned: _planned, ...summary } = await drainOutbox(deps.store, deps.publishers, {
      logger: deps.log,
      // Return well inside the function timeout; what is left waits for the next run.
      maxWaitMs: 60_000,
    });
    deps.log.info(summary, 'outbox drained');
    return summary;
  };
}

export const handler = lazyHandler(async () => {
  const { publisherDepsFromEnv } = await import('./runtime/wiring/publisher.ts');
  return createPublisherHandler(await publisherDepsFromEnv(process.env));
});
