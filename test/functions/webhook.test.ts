// The webhook function against real SQS and Secrets Manager (moto) and a loopback Google key endpoint:
// genuine deliveries become jobs; forged, unauthenticated, malformed and oversize ones get 401/400/413,
// are logged with their reason, and never reach the queue.
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseJob, type ScanImageJob } from '../../core/jobs.ts';
import { pubSubVerifier } from '../../functions/auth/google-oidc.ts';
import type { HttpResponse } from '../../functions/runtime/http.ts';
import { SqsJobQueue } from '../../functions/runtime/queue.ts';
import { CachedSecret, WebhookSecrets } from '../../functions/runtime/secrets.ts';
import { createWebhookHandler, defaultMaxBodyBytes } from '../../functions/webhook.ts';
import { startMoto, type MotoServer } from '../standins/moto.ts';
import { startGoogleKeys, type GoogleKeys } from './support/jwks.ts';
import { captureLog } from './support/logs.ts';
import {
  arDigestRef,
  arTagRef,
  cloudEventPush,
  digestA,
  digestB,
  eventGridPush,
  eventGridValidation,
  pubsubPush,
  registryData,
  subscriptionId,
  urlEvent,
} from './support/payloads.ts';
import { createQueues, drain, type Queues } from './support/sqs.ts';
import { registryAllowList } from '../../core/registry-hosts.ts';

const eventGridCode = 'eg-3b0c9f1e7a6d4c2b8e5f0a1d9c7b6e4f';
const acrSecret = 'acr-9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a';
const audience = 'https://abc123.lambda-url.us-east-1.on.aws/gcp/pubsub';
const pusher = 'gcr-push@my-project-123.iam.gserviceaccount.com';

let moto: MotoServer;
let queues: Queues;
let keys: GoogleKeys;
const logs = captureLog();
let handle: (event: ReturnType<typeof urlEvent>) => Promise<HttpResponse>;

beforeAll(async () => {
  [moto, keys] = await Promise.all([startMoto(), startGoogleKeys({ aud: audience, email: pusher })]);
  queues = await createQueues(moto, 'webhook-scan');
  const sm = new SecretsManagerClient(moto.clientConfig);
  const secret = await sm.send(new CreateSecretCommand({ Name: 'posture/webhooks', SecretString: JSON.stringify({ acr: [acrSecret], eventGrid: [eventGridCode] }) }));
  handle = createWebhookHandler({
    queue: new SqsJobQueue(queues.sqs, queues.queueUrl, queues.dlqUrl),
    secrets: new CachedSecret(sm, secret.ARN as string, WebhookSecrets),
    verifyPubSub: pubSubVerifier({ audience, serviceAccounts: [pusher], jwksUrl: keys.url }),
    acrHeader: 'authorization',
    registryAllowed: registryAllowList([{ host: 'demo.azurecr.io' }, { host: 'us-west1-docker.pkg.dev' }]),
    maxBodyBytes: defaultMaxBodyBytes,
    log: logs.log,
  });
});

afterAll(async () => {
  await Promise.all([moto?.stop(), keys?.close()]);
});

beforeEach(() => logs.clear());

async function queuedJobs(): Promise<ScanImageJob[]> {
  const messages = await drain(queues.sqs, queues.queueUrl);
  return messages.map((m) => parseJob(m.Body as string) as ScanImageJob);
}

function body(res: HttpResponse): Record<string, unknown> {
  return JSON.parse(res.body) as Record<string, unknown>;
}

/** Every refusal: the status, a logged reason, and nothing on the queue. */
async function expectRefused(res: HttpResponse, status: number, reason: RegExp): Promise<void> {
  expect(res.statusCode).toBe(status);
  const refusal = logs.lines().find((l) => l.msg === 'webhook request refused');
  expect(refusal?.reason).toMatch(reason);
  expect(await queuedJobs()).toEqual([]);
}

describe('Azure Event Grid', () => {
  const post = (payload: unknown, opts: { query?: Record<string, string>; headers?: Record<string, string> } = {}) =>
    handle(urlEvent({ path: '/azure/event-grid', body: payload, query: opts.query ?? { code: eventGridCode }, headers: { 'aeg-event-type': 'Notification', ...opts.headers } }));

  it('turns an ImagePushed event into one scan job for that digest in the subscription', async () => {
    const res = await post(eventGridPush());
    expect(res.statusCode).toBe(200);
    expect(body(res)).toEqual({ queued: 1, ignored: 0 });
    const [job, ...rest] = await queuedJobs();
    expect(rest).toEqual([]);
    expect(job).toMatchObject({
      type: 'scan-image',
      cloud: 'azure',
      account: subscriptionId,
      region: '',
      image: { registry: 'demo.azurecr.io', repository: 'aci-helloworld', digest: digestB, tag: 'v1' },
      trigger: { source: 'event-grid', eventId: '831e1650-001e-001b-66ab-eeb76e069631' },
    });
  });

  it('answers the subscription validation handshake with the code and queues nothing', async () => {
    const res = await post(eventGridValidation('512d38b6-c7b8-40c8-89fe-f46f9e9622b6'), { headers: { 'aeg-event-type': 'SubscriptionValidation' } });
    expect(res.statusCode).toBe(200);
    expect(body(res)).toEqual({ validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' });
    expect(await queuedJobs()).toEqual([]);
  });

  it('does not answer a validation handshake without the secret', async () => {
    const res = await post(eventGridValidation(), { query: {}, headers: { 'aeg-event-type': 'SubscriptionValidation' } });
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('512d38b6');
  });

  it('accepts the CloudEvents schema (structured mode) and its OPTIONS handshake', async () => {
    const res = await handle(urlEvent({ path: '/azure/event-grid', body: cloudEventPush(), query: { code: eventGridCode }, headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' } }));
    expect(res.statusCode).toBe(200);
    const [job] = await queuedJobs();
    expect(job?.image).toEqual({ registry: 'demo.azurecr.io', repository: 'aci-helloworld', digest: digestB, tag: 'v1' });
    expect(job?.account).toBe(subscriptionId);

    const options = await handle(urlEvent({ method: 'OPTIONS', path: '/azure/event-grid', query: { code: eventGridCode }, headers: { 'webhook-request-origin': 'eventgrid.azure.net' } }));
    expect(options.statusCode).toBe(200);
    expect(options.headers?.['webhook-allowed-origin']).toBe('eventgrid.azure.net');
  });

  it('acknowledges other event types without a job', async () => {
    const [event] = eventGridPush();
    const res = await post([{ ...event, eventType: 'Microsoft.ContainerRegistry.ChartPushed' }]);
    expect(res.statusCode).toBe(200);
    expect(body(res)).toEqual({ queued: 0, ignored: 1 });
    expect(await queuedJobs()).toEqual([]);
  });

  it('refuses a delivery without the secret, or with a wrong one', async () => {
    await expectRefused(await post(eventGridPush(), { query: {} }), 401, /without a code parameter/);
    logs.clear();
    await expectRefused(await post(eventGridPush(), { query: { code: 'eg-0000000000000000000000000000000000' } }), 401, /wrong secret/);
    expect(logs.text()).not.toContain(eventGridCode);
  });

  it('refuses malformed deliveries with the field that is wrong', async () => {
    const [event] = eventGridPush();
    await expectRefused(await post({ not: 'an array' }), 400, /Event Grid body/);
    logs.clear();
    await expectRefused(await post(eventGridPush({ ...registryData(), target: { repository: 'aci-helloworld', digest: 'sha256:xyz' } })), 400, /target\.digest/);
    logs.clear();
    await expectRefused(await post([{ ...event, eventTime: 12345 }]), 400, /eventTime/);
    logs.clear();
    await expectRefused(await post(eventGridPush({ ...registryData(), request: undefined })), 400, /request/);
    logs.clear();
    await expectRefused(await handle(urlEvent({ path: '/azure/event-grid', rawBody: '[{"id":', query: { code: eventGridCode } })), 400, /not JSON/);
  });
});

describe('ACR classic webhook', () => {
  const post = (payload: unknown, headers: Record<string, string> = { authorization: `Bearer ${acrSecret}` }) => handle(urlEvent({ path: '/azure/acr', body: payload, headers }));

  it('turns a push into a scan job when the secret header matches', async () => {
    const res = await post(registryData({ digest: digestB, tag: 'v2' }));
    expect(res.statusCode).toBe(200);
    const [job] = await queuedJobs();
    expect(job).toMatchObject({ cloud: 'azure', image: { registry: 'demo.azurecr.io', repository: 'aci-helloworld', digest: digestB, tag: 'v2' }, trigger: { source: 'acr-webhook' } });
  });

  it('acknowledges a ping without a job', async () => {
    const res = await post({ id: 'ping-1', timestamp: '2026-01-01T00:00:00Z', action: 'ping' });
    expect(res.statusCode).toBe(200);
    expect(await queuedJobs()).toEqual([]);
  });

  it('refuses a missing or wrong secret header, and never logs the presented value', async () => {
    await expectRefused(await post(registryData(), {}), 401, /without the authorization header/);
    logs.clear();
    await expectRefused(await post(registryData(), { authorization: 'Bearer acr-guess-000000000000000000000000' }), 401, /wrong authorization secret/);
    expect(logs.text()).not.toContain('acr-guess');
    expect(logs.text()).not.toContain(acrSecret);
  });

  it('refuses a push whose target has the wrong types', async () => {
    await expectRefused(await post({ ...registryData(), target: { repository: 42, digest: digestB } }), 400, /target\.repository/);
  });
});

describe('Pub/Sub push from Artifact Registry', () => {
  const post = async (payload: unknown, token?: string) =>
    handle(urlEvent({ path: '/gcp/pubsub', body: payload, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } }));

  it('verifies the Google-signed token and queues the pushed digest in its project and region', async () => {
    const res = await post(pubsubPush(), await keys.sign());
    expect(res.statusCode).toBe(200);
    const [job] = await queuedJobs();
    expect(job).toMatchObject({
      cloud: 'gcp',
      account: 'my-project-123',
      region: 'us-west1',
      image: { registry: 'us-west1-docker.pkg.dev', repository: 'my-project-123/my-repo/hello-world', digest: digestA, tag: '1.1' },
      trigger: { source: 'pubsub', eventId: '2070443601311540' },
    });
  });

  it('queues a tag-only upload for the collector to resolve, and acknowledges deletions without a job', async () => {
    expect((await post(pubsubPush({ action: 'INSERT', tag: arTagRef }), await keys.sign())).statusCode).toBe(200);
    expect((await post(pubsubPush({ action: 'DELETE', tag: arTagRef }), await keys.sign())).statusCode).toBe(200);
    const jobs = await queuedJobs();
    expect(jobs.map((j) => j.image)).toEqual([{ registry: 'us-west1-docker.pkg.dev', repository: 'my-project-123/my-repo/hello-world', digest: null, tag: '1.1' }]);
  });

  it.each([
    ['no token', async () => undefined, /no bearer token/],
    ['a signature from an unpublished key', async () => keys.signForged(), /bad signature/],
    ['the wrong audience', async () => keys.sign({ aud: 'https://elsewhere.example/push' }), /claim aud/],
    ['an expired token', async () => keys.sign({ expiresIn: -600, issuedAgo: 4000 }), /expired/],
    ['another issuer', async () => keys.sign({ iss: 'https://evil.example' }), /claim iss/],
    ['another service account', async () => keys.sign({ email: 'someone@other-project.iam.gserviceaccount.com' }), /not an allowed pusher/],
    ['an unverified email', async () => keys.sign({ email_verified: false }), /email_verified/],
  ])('refuses %s with 401', async (_name, token, reason) => {
    await expectRefused(await post(pubsubPush(), await token()), 401, reason);
  });

  it('refuses malformed envelopes and notifications with 400', async () => {
    const token = await keys.sign();
    await expectRefused(await post({ message: { data: 'e30=' } }, token), 400, /messageId|subscription/);
    logs.clear();
    await expectRefused(await post(pubsubPush(undefined, '%%%not-base64%%%'), token), 400, /not base64/);
    logs.clear();
    await expectRefused(await post(pubsubPush(undefined, Buffer.from('not json').toString('base64')), token), 400, /base64-encoded JSON/);
    logs.clear();
    await expectRefused(await post(pubsubPush({ action: 'INSERT' }), token), 400, /neither digest nor tag/);
    logs.clear();
    await expectRefused(await post(pubsubPush({ action: 'INSERT', digest: `evil.example.com/p/r/i@${digestA}` }), token), 400, /not on an Artifact Registry/);
    expect(arDigestRef).toContain(digestA);
  });
});

describe('any route', () => {
  it('refuses a body over 1 MB with 413 before parsing it, plain or base64-encoded', async () => {
    const big = `[${'"x",'.repeat(262_200)}"x"]`;
    expect(big.length).toBeGreaterThan(defaultMaxBodyBytes);
    await expectRefused(await handle(urlEvent({ path: '/azure/event-grid', rawBody: big, query: { code: eventGridCode } })), 413, /exceeds the 1048576-byte limit/);
    logs.clear();
    await expectRefused(await handle(urlEvent({ path: '/azure/acr', rawBody: big, base64: true, headers: { authorization: `Bearer ${acrSecret}` } })), 413, /exceeds/);
  });

  it('answers 404 for an unknown path and a wrong method', async () => {
    await expectRefused(await handle(urlEvent({ path: '/aws/anything', body: {} })), 404, /no route for POST \/aws\/anything/);
    logs.clear();
    await expectRefused(await handle(urlEvent({ method: 'GET', path: '/gcp/pubsub' })), 404, /no route for GET/);
  });

  it('refuses an event that is not a function URL request', async () => {
    const res = await handle({ hello: 'world' } as unknown as ReturnType<typeof urlEvent>);
    expect(res.statusCode).toBe(400);
  });
});
