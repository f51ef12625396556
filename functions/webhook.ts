// Webhook endpoint (Lambda function URL) for registry pushes outside AWS:
//   POST    /azure/event-grid   Event Grid (Event Grid schema or CloudEvents 1.0), incl. subscription validation
//   OPTIONS /azure/event-grid   CloudEvents abuse-protection handshake
//   POST    /azure/acr          ACR classic webhook (shared secret in a custom header)
//   POST    /gcp/pubsub         Pub/Sub push from Artifact Registry's `gcr` topic (Google-signed OIDC token)
// Unauthenticated → 401, malformed → 400, oversize → 413; each logged with its reason and never a job.
// A push naming a registry host the configuration does not name (posture.yaml `registries`) is refused
// with 400 and nothing from that request is queued: the worker would otherwise connect wherever the
// body points.
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import type { Logger } from 'pino';
import type { ScanImageJob } from '../core/jobs.ts';
import { bearerOrRaw, matchesSecret } from './auth/shared-secret.ts';
import { AuthError, type PubSubVerifier } from './auth/google-oidc.ts';
import { routeAcrWebhook, routeCloudEvents, routeEventGrid, type AzureRouting } from './events/azure.ts';
import { routePubSubPush } from './events/pubsub.ts';
import { HttpError, json, parseJsonBody, readRequest, type HttpRequest, type HttpResponse } from './runtime/http.ts';
import type { JobQueue } from './runtime/queue.ts';
import type { SecretSource, WebhookSecrets } from './runtime/secrets.ts';
import { lazyHandler } from './runtime/lazy.ts';

export interface WebhookDeps {
  queue: JobQueue;
  secrets: SecretSource<WebhookSecrets>;
  /** Absent when no Pub/Sub audience is configured: the GCP route then refuses everything. */
  verifyPubSub: PubSubVerifier | undefined;
  /** Header that carries the ACR classic webhook secret (lower case). */
  acrHeader: string;
  /** True for registry hosts the configuration names; jobs for any other host are refused. */
  registryAllowed: (host: string) => boolean;
  maxBodyBytes: number;
  log: Logger;
}

export const defaultMaxBodyBytes = 1024 * 1024;

type Handler = (event: LambdaFunctionURLEvent) => Promise<HttpResponse>;

export function createWebhookHandler(deps: WebhookDeps): Handler {
  return async (event) => {
    let req: HttpRequest | undefined;
    try {
      req = readRequest(event, deps.maxBodyBytes);
      return await route(req, deps);
    } catch (err) {
      const log = deps.log.child({ path: req?.path, method: req?.method, requestId: req?.requestId, sourceIp: req?.sourceIp });
      if (err instanceof HttpError) {
        log.warn({ status: err.status, reason: err.message }, 'webhook request refused');
        return json(err.status, { error: err.publicMessage });
      }
      log.error({ err }, 'webhook request failed');
      // 5xx: Event Grid and Pub/Sub retry, so a queue outage delays the push rather than losing it.
      return json(500, { error: 'internal error' });
    }
  };
}

async function route(req: HttpRequest, deps: WebhookDeps): Promise<HttpResponse> {
  const at = `${req.method} ${req.path}`;
  switch (at) {
    case 'POST /azure/event-grid':
      await requireEventGridSecret(req, deps);
      return enqueueAzure(req, deps, isCloudEvents(req) ? routeCloudEvents(parseJsonBody(req)) : routeEventGrid(parseJsonBody(req)));
    case 'OPTIONS /azure/event-grid': {
      await requireEventGridSecret(req, deps);
      const origin = req.headers['webhook-request-origin'];
      if (!origin || !/^[A-Za-z0-9.-]{1,253}$/.test(origin)) throw new HttpError(400, 'missing WebHook-Request-Origin', 'CloudEvents validation without a valid WebHook-Request-Origin header');
      deps.log.info({ origin }, 'CloudEvents webhook validation answered');
      return { statusCode: 200, headers: { 'webhook-allowed-origin': origin, 'webhook-allowed-rate': '*' }, body: '' };
    }
    case 'POST /azure/acr': {
      const { acr } = await deps.secrets.get();
      if (!matchesSecret(bearerOrRaw(req.headers[deps.acrHeader]), acr)) {
        throw new HttpError(401, 'unauthorized', req.headers[deps.acrHeader] === undefined ? `ACR webhook without the ${deps.acrHeader} header` : `ACR webhook with a wrong ${deps.acrHeader} secret`);
      }
      return enqueueAzure(req, deps, routeAcrWebhook(parseJsonBody(req)));
    }
    case 'POST /gcp/pubsub': {
      if (!deps.verifyPubSub) throw new HttpError(401, 'unauthorized', 'Pub/Sub push received but no audience/service account is configured');
      try {
        await deps.verifyPubSub(req.headers.authorization);
      } catch (err) {
        if (err instanceof AuthError) throw new HttpError(401, 'unauthorized', `Pub/Sub push: ${err.message}`);
        throw err;
      }
      const routed = routePubSubPush(parseJsonBody(req));
      if (routed.kind === 'rejected') throw new HttpError(400, routed.reason, routed.reason);
      await enqueue(deps, routed.jobs, routed.ignored);
      return json(200, { queued: routed.jobs.length, ignored: routed.ignored.length });
    }
    default:
      throw new HttpError(404, 'not found', `no route for ${at}`);
  }
}

async function requireEventGridSecret(req: HttpRequest, deps: WebhookDeps): Promise<void> {
  const { eventGrid } = await deps.secrets.get();
  // The query parameter is part of the subscription's endpoint URL, so it also arrives with the
  // validation handshake; a delivery-property Authorization header works for notifications.
  const presented = req.query.code ?? bearerOrRaw(req.headers.authorization);
  if (!matchesSecret(presented, eventGrid)) {
    throw new HttpError(401, 'unauthorized', presented === undefined ? 'Event Grid request without a code parameter or Authorization header' : 'Event Grid request with a wrong secret');
  }
}

function isCloudEvents(req: HttpRequest): boolean {
  return /^application\/cloudevents(-batch)?\+json/i.test(req.headers['content-type'] ?? '');
}

async function enqueueAzure(req: HttpRequest, deps: WebhookDeps, routed: AzureRouting): Promise<HttpResponse> {
  if (routed.kind === 'rejected') throw new HttpError(400, routed.reason, routed.reason);
  if (routed.kind === 'validation') {
    if (req.headers['aeg-event-type'] !== undefined && req.headers['aeg-event-type'] !== 'SubscriptionValidation') {
      throw new HttpError(400, 'validation event outside a validation request', `validation event with aeg-event-type ${req.headers['aeg-event-type']}`);
    }
    await enqueue(deps, routed.jobs, routed.ignored);
    deps.log.info({ queued: routed.jobs.length }, 'Event Grid subscription validation answered');
    return json(200, { validationResponse: routed.validationCode });
  }
  await enqueue(deps, routed.jobs, routed.ignored);
  return json(200, { queued: routed.jobs.length, ignored: routed.ignored.length });
}

async function enqueue(deps: WebhookDeps, jobs: ScanImageJob[], ignored: string[]): Promise<void> {
  const foreign = [...new Set(jobs.map((j) => j.image.registry).filter((host) => !deps.registryAllowed(host)))];
  if (foreign.length > 0) {
    const reason = `registry ${foreign.join(', ')} is not one the configuration names (posture.yaml registries); nothing queued`;
    throw new HttpError(400, reason, reason);
  }
  if (ignored.length > 0) deps.log.info({ ignored }, 'events acknowledged without a job');
  await deps.queue.send(jobs);
  if (jobs.length > 0) deps.log.info({ jobs: jobs.length }, 'scan jobs queued');
}

export const handler: Handler = lazyHandler(async () => {
  const { webhookDepsFromEnv } = await import('./runtime/wiring/webhook.ts');
  return createWebhookHandler(webhookDepsFromEnv(process.env));
});
