// Pub/Sub push deliveries from Artifact Registry's `gcr` topic (wire-formats §4.3): a wrapped envelope
// whose `message.data` is base64 JSON naming full image references.
import { z } from 'zod';
import type { ScanImageJob } from '../../core/jobs.ts';

export const PushEnvelope = z.object({
  message: z.object({
    data: z.string().max(1_000_000),
    messageId: z.string().min(1).max(256),
    publishTime: z.string().optional(),
    attributes: z.record(z.string(), z.string()).optional(),
  }),
  subscription: z.string().regex(/^projects\/[^/]+\/subscriptions\/[^/]+$/, 'expected projects/<p>/subscriptions/<s>'),
});

export const RegistryNotification = z
  .object({
    action: z.enum(['INSERT', 'DELETE']),
    digest: z.string().min(1).max(1024).optional(),
    tag: z.string().min(1).max(1024).optional(),
  })
  .refine((n) => n.digest !== undefined || n.tag !== undefined, 'names neither digest nor tag');

export interface GcpImageRef {
  registry: string;
  repository: string;
  project: string;
  /** `us-west1` for `us-west1-docker.pkg.dev`; `us`/`eu`/`asia` for the gcr.io hosts; '' when unknown. */
  region: string;
  digest: string | null;
  tag: string | null;
}

const hostPattern = /^(?:([a-z0-9-]+)-docker\.pkg\.dev|((?:us|eu|asia)\.)?gcr\.io)$/;
const pathPattern = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/** `<host>/<project>/<repo>/<image>@sha256:…` or `…:tag`, Artifact Registry or legacy gcr.io. */
export function parseGcpReference(ref: string): GcpImageRef {
  const bad = (why: string): never => {
    throw new Error(`image reference "${ref.slice(0, 200)}" ${why}`);
  };
  let rest = ref;
  let digest: string | null = null;
  let tag: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^sha256:[a-f0-9]{64}$/.test(digest)) bad('has a malformed digest');
  }
  const slash = rest.indexOf('/');
  if (slash <= 0) bad('has no registry host');
  const registry = rest.slice(0, slash);
  let repository = rest.slice(slash + 1);
  const colon = repository.lastIndexOf(':');
  if (colon >= 0) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
    if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(tag)) bad('has a malformed tag');
  }
  const host = hostPattern.exec(registry);
  if (!host) bad(`is not on an Artifact Registry or Container Registry host (${registry})`);
  if (!pathPattern.test(repository)) bad('has a malformed repository path');
  const project = repository.split('/')[0] ?? '';
  const region = host?.[1] ?? (host?.[2] ? host[2].slice(0, -1) : 'us');
  return { registry, repository, project, region, digest, tag };
}

export type PubSubRouting =
  | { kind: 'jobs'; jobs: ScanImageJob[]; ignored: string[] }
  | { kind: 'rejected'; reason: string };

function issuesOf(error: z.ZodError, where: string): string {
  return `${where}: ${error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
}

export function routePubSubPush(body: unknown): PubSubRouting {
  const envelope = PushEnvelope.safeParse(body);
  if (!envelope.success) return { kind: 'rejected', reason: issuesOf(envelope.error, 'Pub/Sub push envelope') };
  const { message } = envelope.data;
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(message.data)) return { kind: 'rejected', reason: `message ${message.messageId}: data is not base64` };
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(message.data, 'base64').toString('utf8'));
  } catch {
    return { kind: 'rejected', reason: `message ${message.messageId}: data is not base64-encoded JSON` };
  }
  const note = RegistryNotification.safeParse(doc);
  if (!note.success) return { kind: 'rejected', reason: issuesOf(note.error, `message ${message.messageId} data`) };
  if (note.data.action !== 'INSERT') return { kind: 'jobs', jobs: [], ignored: [`${message.messageId}: ${note.data.action} is not an upload`] };
  let ref: GcpImageRef;
  try {
    // The digest reference pins the content; a tag-only notice is resolved by the collector.
    ref = parseGcpReference((note.data.digest ?? note.data.tag) as string);
    if (note.data.digest && note.data.tag) {
      const tagged = parseGcpReference(note.data.tag);
      if (tagged.registry === ref.registry && tagged.repository === ref.repository) ref.tag = tagged.tag;
    }
  } catch (err) {
    return { kind: 'rejected', reason: `message ${message.messageId}: ${(err as Error).message}` };
  }
  const job: ScanImageJob = {
    v: 1,
    type: 'scan-image',
    cloud: 'gcp',
    account: ref.project,
    region: ref.region,
    image: { registry: ref.registry, repository: ref.repository, digest: ref.digest, tag: ref.tag },
    trigger: { source: 'pubsub', eventId: message.messageId, at: message.publishTime ?? new Date().toISOString() },
  };
  return { kind: 'jobs', jobs: [job], ignored: [] };
}
