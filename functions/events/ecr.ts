// EventBridge events from ECR and Inspector (wire-formats §1.1–1.3) and the jobs they become.
// Every detail field is optional in the EventBridge schema, so each handler says what it needs.
import { z } from 'zod';
import type { Job, NativeScanJob, ScanImageJob } from '../../core/jobs.ts';
import { ecrRegistryHost } from '../../providers/aws/ecr-host.ts';

const Digest = z.string().regex(/^sha256:[a-f0-9]{64}$/, 'expected sha256:<64 hex>');
const AccountId = z.string().regex(/^\d{12}$/, 'expected a 12-digit account id');
const Region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region name');
const RepositoryName = z.string().min(2).max(256).regex(/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/, 'not an ECR repository name');

const envelope = {
  version: z.string(),
  id: z.string().min(1).max(256),
  account: AccountId,
  region: Region,
  time: z.string(),
  resources: z.array(z.string()),
};

export const EcrImageAction = z.object({
  ...envelope,
  source: z.literal('aws.ecr'),
  'detail-type': z.literal('ECR Image Action'),
  detail: z.object({
    'action-type': z.string(),
    result: z.string(),
    'repository-name': RepositoryName,
    'image-digest': Digest,
    'image-tag': z.string().max(128).optional(),
  }),
});

export const EcrImageScan = z.object({
  ...envelope,
  source: z.literal('aws.ecr'),
  'detail-type': z.literal('ECR Image Scan'),
  detail: z.object({
    'scan-status': z.string(),
    'repository-name': RepositoryName,
    'image-digest': Digest,
    'finding-severity-counts': z.record(z.string(), z.number().int().nonnegative()).default({}),
  }),
});

const RepositoryArn = z.string().regex(/^arn:aws[a-z-]*:ecr:[a-z0-9-]+:\d{12}:repository\/.+$/, 'expected an ECR repository ARN');

export const Inspector2Scan = z.object({
  ...envelope,
  source: z.literal('aws.inspector2'),
  'detail-type': z.literal('Inspector2 Scan'),
  detail: z.object({
    'scan-status': z.string(),
    // Gotcha (§1.3): this field holds the repository ARN, not its name.
    'repository-name': RepositoryArn,
    'image-digest': Digest,
    'finding-severity-counts': z.record(z.string(), z.number().int().nonnegative()).default({}),
  }),
});

/** Only what the router needs to pick a schema; the full parse happens against that schema. */
const Envelope = z.object({ source: z.string(), 'detail-type': z.string() });

export type EcrRouting =
  | { kind: 'jobs'; jobs: Job[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'rejected'; reason: string };


function issuesOf(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function routeEcrEvent(event: unknown): EcrRouting {
  const head = Envelope.safeParse(event);
  if (!head.success) return { kind: 'rejected', reason: `not an EventBridge event: ${issuesOf(head.error)}` };
  const type = `${head.data.source}/${head.data['detail-type']}`;
  switch (type) {
    case 'aws.ecr/ECR Image Action': {
      const parsed = EcrImageAction.safeParse(event);
      if (!parsed.success) return { kind: 'rejected', reason: `ECR Image Action: ${issuesOf(parsed.error)}` };
      const e = parsed.data;
      if (e.detail['action-type'] !== 'PUSH' || e.detail.result !== 'SUCCESS') {
        return { kind: 'ignored', reason: `ECR Image Action ${e.detail['action-type']}/${e.detail.result} is not a successful push` };
      }
      const job: ScanImageJob = {
        v: 1,
        type: 'scan-image',
        cloud: 'aws',
        account: e.account,
        region: e.region,
        image: { registry: ecrRegistryHost(e.account, e.region), repository: e.detail['repository-name'], digest: e.detail['image-digest'], tag: e.detail['image-tag'] ?? null },
        trigger: { source: 'ecr-push', eventId: e.id, at: e.time },
      };
      return { kind: 'jobs', jobs: [job] };
    }
    case 'aws.ecr/ECR Image Scan': {
      const parsed = EcrImageScan.safeParse(event);
      if (!parsed.success) return { kind: 'rejected', reason: `ECR Image Scan: ${issuesOf(parsed.error)}` };
      const e = parsed.data;
      return { kind: 'jobs', jobs: [nativeJob(e, 'ecr-basic', e.detail['repository-name'], 'ecr-scan')] };
    }
    case 'aws.inspector2/Inspector2 Scan': {
      // The EC2 and Lambda variants share the detail-type and have no image digest: not ours.
      const detail = (event as { detail?: { 'image-digest'?: unknown } }).detail;
      if (detail && typeof detail === 'object' && detail['image-digest'] === undefined) {
        return { kind: 'ignored', reason: 'Inspector2 Scan without image-digest (EC2 or Lambda scan)' };
      }
      const parsed = Inspector2Scan.safeParse(event);
      if (!parsed.success) return { kind: 'rejected', reason: `Inspector2 Scan: ${issuesOf(parsed.error)}` };
      const e = parsed.data;
      const repository = e.detail['repository-name'].replace(/^.*?:repository\//, '');
      const named = RepositoryName.safeParse(repository);
      if (!named.success) return { kind: 'rejected', reason: `Inspector2 Scan: repository ARN names "${repository}", not an ECR repository` };
      return { kind: 'jobs', jobs: [nativeJob(e, 'inspector2', repository, 'inspector2-scan')] };
    }
    default:
      return { kind: 'ignored', reason: `event ${type} is not one this function handles` };
  }
}

function nativeJob(
  e: { id: string; account: string; region: string; time: string; detail: { 'scan-status': string; 'image-digest': string; 'finding-severity-counts': Record<string, number> } },
  scanner: NativeScanJob['scanner'],
  repository: string,
  source: 'ecr-scan' | 'inspector2-scan',
): NativeScanJob {
  return {
    v: 1,
    type: 'refresh-native-scan',
    cloud: 'aws',
    account: e.account,
    region: e.region,
    scanner,
    repository,
    digest: e.detail['image-digest'],
    status: e.detail['scan-status'],
    severityCounts: e.detail['finding-severity-counts'],
    trigger: { source, eventId: e.id, at: e.time },
  };
}
