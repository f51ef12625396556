// EventBridge target for ECR: a successful push becomes one image scan job; a finished ECR basic scan or
// Inspector enhanced scan becomes a job that refreshes the image's native vulnerability data.
// A malformed event is parked on the dead-letter queue with the reason (EventBridge would only retry it).
import type { EventBridgeEvent } from 'aws-lambda';
import type { Logger } from 'pino';
import { routeEcrEvent } from './events/ecr.ts';
import type { JobQueue } from './runtime/queue.ts';
import { lazyHandler } from './runtime/lazy.ts';

export interface EcrPushDeps {
  queue: JobQueue;
  log: Logger;
}

export interface EcrPushResult {
  outcome: 'queued' | 'ignored' | 'rejected';
  jobs: number;
  reason?: string;
}

type Handler = (event: EventBridgeEvent<string, unknown>) => Promise<EcrPushResult>;

export function createEcrPushHandler(deps: EcrPushDeps): Handler {
  return async (event) => {
    const routed = routeEcrEvent(event);
    const log = deps.log.child({ eventId: (event as { id?: unknown })?.id });
    switch (routed.kind) {
      case 'rejected':
        log.warn({ reason: routed.reason }, 'ECR event rejected');
        await deps.queue.deadLetter(JSON.stringify(event), `ecr-push: ${routed.reason}`);
        return { outcome: 'rejected', jobs: 0, reason: routed.reason };
      case 'ignored':
        log.info({ reason: routed.reason }, 'ECR event ignored');
        return { outcome: 'ignored', jobs: 0, reason: routed.reason };
      case 'jobs':
        await deps.queue.send(routed.jobs);
        log.info({ jobs: routed.jobs.length, type: routed.jobs[0]?.type }, 'scan jobs queued');
        return { outcome: 'queued', jobs: routed.jobs.length };
    }
  };
}

export const handler: Handler = lazyHandler(async () => {
  const { ecrPushDepsFromEnv } = await import('./runtime/wiring/ecr-push.ts');
  return createEcrPushHandler(ecrPushDepsFromEnv(process.env));
});
