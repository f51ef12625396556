// Scan jobs: the messages on the scan queue. Triggers (push events, webhooks, the schedule) produce
// them; the worker consumes them. Delivery is at least once, so every job carries a dedupe key, and the
// worker's idempotency key ties a result to (asset, content, policy bundle) rather than to a message.
import { z } from 'zod';
import { canonicalJson, sha256 } from './canonical.ts';
import type { Asset } from './asset.ts';
import { ProviderIdSchema } from '../providers/registry.ts';

/** The provider a job belongs to (providers/registry.ts). */
export const Cloud = ProviderIdSchema;
export type Cloud = z.infer<typeof Cloud>;

const Digest = z.string().regex(/^sha256:[a-f0-9]{64}$|^sha512:[a-f0-9]{128}$/, 'expected sha256:<64 hex> or sha512:<128 hex>');

/** `host` or `host:port`: a DNS name or IPv4 address, nothing a URL could smuggle (no `@`, `/`, spaces). */
export const RegistryHost = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\d{1,5})?$/, 'expected a registry host such as myacr.azurecr.io');
/** The OCI distribution spec's repository name grammar. */
export const RepositoryName = z
  .string()
  .max(256)
  .regex(/^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/, 'expected a repository name (lower-case path components, OCI distribution spec)');
/** The OCI distribution spec's tag grammar. */
export const ImageTag = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/, 'expected a tag (letters, digits, _ . -, at most 128)');

/** Where a job came from: enough to trace it back to the event that caused it. */
export const Trigger = z.object({
  source: z.enum(['ecr-push', 'ecr-scan', 'inspector2-scan', 'event-grid', 'acr-webhook', 'pubsub', 'schedule', 'scope']),
  /** The upstream event / message id (EventBridge id, Event Grid id, Pub/Sub messageId, sweep id). */
  eventId: z.string().min(1).max(256),
  at: z.string().min(1),
});
export type Trigger = z.infer<typeof Trigger>;

const common = {
  v: z.literal(1),
  cloud: Cloud,
  /** AWS account id, Azure subscription id or GCP project id; '' when the event does not say. */
  account: z.string().max(128),
  /** The cloud's region name; '' when the event does not carry one (Event Grid, classic ACR webhook). */
  region: z.string().max(64),
  trigger: Trigger,
};

/** Pull and analyze one image. A pushed tag without a digest is resolved by the collector. */
export const ScanImageJob = z.object({
  ...common,
  type: z.literal('scan-image'),
  image: z
    .object({
      registry: RegistryHost,
      repository: RepositoryName,
      digest: Digest.nullable(),
      tag: ImageTag.nullable(),
    })
    .refine((i) => i.digest !== null || i.tag !== null, 'an image job needs a digest or a tag'),
});
export type ScanImageJob = z.infer<typeof ScanImageJob>;

/** The registry's own scanner finished (ECR basic scan, Inspector enhanced scan): refresh its counts. */
export const NativeScanJob = z.object({
  ...common,
  cloud: z.literal('aws'),
  type: z.literal('refresh-native-scan'),
  scanner: z.enum(['ecr-basic', 'inspector2']),
  repository: RepositoryName,
  digest: Digest,
  status: z.string().min(1).max(64),
  severityCounts: z.record(z.string(), z.number().int().nonnegative()),
});
export type NativeScanJob = z.infer<typeof NativeScanJob>;

/** One collection scope (account × region, subscription, project, cluster): collect it, fan out its images and inner scopes. */
export const ScanScopeJob = z.object({
  ...common,
  type: z.literal('scan-scope'),
  /** A scope inside the account and region, named by its provider (a cluster: `eks/prod`); absent for the account itself. */
  target: z.string().min(1).max(512).optional(),
});
export type ScanScopeJob = z.infer<typeof ScanScopeJob>;

/** One configuration asset found by a scope job (cluster, registry, workload, service). */
export const ScanAssetJob = z.object({
  ...common,
  type: z.literal('scan-asset'),
  asset: z.object({
    kind: z.enum(['registry', 'cluster', 'workload', 'service']),
    /** The asset id the collector will produce (stable URI). */
    id: z.string().min(1).max(2048),
    /** Provider-specific locator (cluster name, task definition ARN, resource id …). */
    locator: z.record(z.string(), z.string()),
  }),
});
export type ScanAssetJob = z.infer<typeof ScanAssetJob>;

export const Job = z.discriminatedUnion('type', [ScanImageJob, NativeScanJob, ScanScopeJob, ScanAssetJob]);
export type Job = z.infer<typeof Job>;
export type JobType = Job['type'];

export class JobError extends Error {
  override name = 'JobError';
}

/** Parses a queue message body; the error names the field that is wrong. */
export function parseJob(body: string): Job {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    throw new JobError(`job message is not JSON: ${(err as Error).message}`);
  }
  const parsed = Job.safeParse(doc);
  if (!parsed.success) throw new JobError(`job message does not match the job schema: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * What makes two jobs the same piece of work, whichever event delivered them. For a push this is
 * account/region/repository/digest, so an at-least-once EventBridge delivery and an ECR scan-complete
 * event for the same image collapse to one image scan.
 */
export function dedupeKey(job: Job): string {
  const scope = `${job.cloud}/${job.account}/${job.region}`;
  switch (job.type) {
    case 'scan-image':
      return `image:${scope}/${job.image.registry}/${job.image.repository}@${job.image.digest ?? `tag:${job.image.tag}`}`;
    case 'refresh-native-scan':
      return `native:${scope}/${job.repository}@${job.digest}/${job.scanner}/${job.status}`;
    case 'scan-scope':
      return `scope:${scope}${job.target ? `/${job.target}` : ''}/${job.trigger.eventId}`;
    case 'scan-asset':
      return `asset:${scope}/${job.asset.id}/${job.trigger.eventId}`;
  }
}

/**
 * The part of an asset that decides its findings: everything except when and from where it was read.
 * Images are identified by their manifest digest; everything else by a hash of its document.
 */
export function contentHashOf(asset: Asset): string {
  if (asset.kind === 'image') return asset.image.digest;
  const { collectedAt: _collectedAt, source: _source, ...content } = asset;
  return `sha256:${sha256(canonicalJson(content))}`;
}

/**
 * The worker records a result once per (asset, content, policy). A redelivered message, a second push
 * event for the same digest, or an unchanged resource seen twice map to the same key; a new policy
 * bundle, a new config or a changed resource does not. `policyDigest` is the bundle digest joined with
 * the hash of the config it was evaluated with (see `policyDigestOf`).
 */
export function idempotencyKey(asset: Asset, policyDigest: string): string {
  return sha256(canonicalJson({ v: 1, asset: asset.id, content: contentHashOf(asset), policy: policyDigest }));
}

/** The key that lets the worker skip a redelivered job before collecting anything. */
export function jobIdempotencyKey(job: Job, policyDigest: string): string {
  return sha256(canonicalJson({ v: 1, job: dedupeKey(job), policy: policyDigest }));
}

/** Findings depend on the bundle and on the config handed to it as `data.config`. */
export function policyDigestOf(bundleDigest: string, config: unknown): string {
  return `${bundleDigest}+${sha256(canonicalJson(config)).slice(0, 16)}`;
}
