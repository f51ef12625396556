// Azure Container Registry push notifications (wire-formats §3.2, §3.3): Event Grid in its own schema
// (always an array) and in CloudEvents 1.0, and the classic registry webhook (one object).
import { z } from 'zod';
import { ImageTag, RegistryHost, RepositoryName, type ScanImageJob } from '../../core/jobs.ts';

const Digest = z.string().regex(/^sha256:[a-f0-9]{64}$/, 'expected sha256:<64 hex>');

/**
 * The registry's part of a push (same shape in Event Grid `data` and the classic webhook body). The body
 * names what the worker will connect to and pull, so every part is held to the reference grammar.
 */
const RegistryEventData = z.object({
  id: z.string().min(1).max(256),
  timestamp: z.string(),
  action: z.string(),
  target: z.object({
    mediaType: z.string().optional(),
    digest: Digest.optional(),
    repository: RepositoryName,
    tag: ImageTag.optional(),
  }),
  request: z.object({ id: z.string().optional(), host: RegistryHost, method: z.string().optional() }),
});
type RegistryEventData = z.infer<typeof RegistryEventData>;

const pushType = 'Microsoft.ContainerRegistry.ImagePushed';
const validationType = 'Microsoft.EventGrid.SubscriptionValidationEvent';

export const EventGridEvent = z.object({
  id: z.string().min(1).max(256),
  topic: z.string().optional(),
  subject: z.string(),
  eventType: z.string(),
  eventTime: z.string(),
  data: z.unknown(),
  dataVersion: z.string().optional(),
  metadataVersion: z.string().optional(),
});

export const CloudEvent = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1).max(256),
  source: z.string().min(1),
  type: z.string(),
  time: z.string().optional(),
  subject: z.string().optional(),
  data: z.unknown(),
});

const ValidationData = z.object({ validationCode: z.string().min(1).max(256), validationUrl: z.string().optional() });

/** `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ContainerRegistry/registries/<name>` */
export function subscriptionOf(topic: string | undefined): string {
  const m = /^\/subscriptions\/([0-9a-fA-F-]{36})\//.exec(topic ?? '');
  return m?.[1]?.toLowerCase() ?? '';
}

export type AzureRouting =
  /** A subscription validation; a batch may carry pushes besides it, which are queued too. */
  | { kind: 'validation'; validationCode: string; jobs: ScanImageJob[]; ignored: string[] }
  | { kind: 'jobs'; jobs: ScanImageJob[]; ignored: string[] }
  | { kind: 'rejected'; reason: string };

function issuesOf(error: z.ZodError, where: string): string {
  return `${where}: ${error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
}

function imageJob(data: RegistryEventData, account: string, eventId: string, at: string, source: 'event-grid' | 'acr-webhook'): ScanImageJob | string {
  if (!data.target.digest && !data.target.tag) return `push of ${data.target.repository} names neither digest nor tag`;
  return {
    v: 1,
    type: 'scan-image',
    cloud: 'azure',
    account,
    // Pushes carry no region; the collector resolves it from the registry resource (§3.2).
    region: '',
    image: { registry: data.request.host.toLowerCase(), repository: data.target.repository, digest: data.target.digest ?? null, tag: data.target.tag ?? null },
    trigger: { source, eventId, at },
  };
}

/** Event Grid schema: an array of events, possibly a subscription validation. */
export function routeEventGrid(body: unknown): AzureRouting {
  const events = z.array(EventGridEvent).min(1).max(5000).safeParse(body);
  if (!events.success) return { kind: 'rejected', reason: issuesOf(events.error, 'Event Grid body') };
  const validation = events.data.find((e) => e.eventType === validationType);
  const routed = toJobs(events.data.filter((e) => e.eventType !== validationType).map((e) => ({ id: e.id, type: e.eventType, source: e.topic, time: e.eventTime, data: e.data })));
  if (!validation || routed.kind !== 'jobs') return routed;
  const data = ValidationData.safeParse(validation.data);
  if (!data.success) return { kind: 'rejected', reason: issuesOf(data.error, 'subscription validation data') };
  // The pushes delivered with the handshake are as real as any other: queue them, then answer it.
  return { kind: 'validation', validationCode: data.data.validationCode, jobs: routed.jobs, ignored: routed.ignored };
}

/** CloudEvents 1.0: structured mode (one object) or batch mode (an array). */
export function routeCloudEvents(body: unknown): AzureRouting {
  const events = z.union([CloudEvent.transform((e) => [e]), z.array(CloudEvent).min(1).max(5000)]).safeParse(body);
  if (!events.success) return { kind: 'rejected', reason: issuesOf(events.error, 'CloudEvents body') };
  return toJobs(events.data.map((e) => ({ id: e.id, type: e.type, source: e.source, time: e.time ?? '', data: e.data })));
}

function toJobs(events: { id: string; type: string; source: string | undefined; time: string; data: unknown }[]): AzureRouting {
  const jobs: ScanImageJob[] = [];
  const ignored: string[] = [];
  for (const e of events) {
    if (e.type !== pushType) {
      ignored.push(`${e.id}: ${e.type} is not an image push`);
      continue;
    }
    const data = RegistryEventData.safeParse(e.data);
    // One malformed push in a batch makes the whole delivery suspect: reject it rather than half-accept.
    if (!data.success) return { kind: 'rejected', reason: issuesOf(data.error, `event ${e.id} data`) };
    const job = imageJob(data.data, subscriptionOf(e.source), e.id, e.time || data.data.timestamp, 'event-grid');
    if (typeof job === 'string') return { kind: 'rejected', reason: `event ${e.id}: ${job}` };
    jobs.push(job);
  }
  return { kind: 'jobs', jobs, ignored };
}

/** Classic registry webhook: one object per request; `ping` and non-push actions are acknowledged. */
export function routeAcrWebhook(body: unknown): AzureRouting {
  const head = z.object({ id: z.string().min(1).max(256), action: z.string().min(1).max(64) }).safeParse(body);
  if (!head.success) return { kind: 'rejected', reason: issuesOf(head.error, 'ACR webhook body') };
  if (head.data.action !== 'push') return { kind: 'jobs', jobs: [], ignored: [`${head.data.id}: action ${head.data.action} is not a push`] };
  const data = RegistryEventData.safeParse(body);
  if (!data.success) return { kind: 'rejected', reason: issuesOf(data.error, 'ACR webhook push') };
  const job = imageJob(data.data, '', data.data.id, data.data.timestamp, 'acr-webhook');
  if (typeof job === 'string') return { kind: 'rejected', reason: job };
  return { kind: 'jobs', jobs: [job], ignored: [] };
}
