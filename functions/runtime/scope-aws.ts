// One AWS scope (account × region): configuration assets through `collectAws` restricted to that account
// and region, with image pulling turned off; then the newest images of every ECR repository it found,
// listed through DescribeImages (not pulled) and returned as one `scan-image` job each.
import { paginateDescribeImages, type ECRClient, type ImageDetail } from '@aws-sdk/client-ecr';
import pLimit from 'p-limit';
import type { RegistryAsset } from '../../core/asset.ts';
import { AwsSettings } from '../../core/config.ts';
import type { ScanImageJob, ScanScopeJob } from '../../core/jobs.ts';
import type { ScanError } from '../../core/scan.ts';
import { resolveAccounts } from '../../providers/aws/accounts.ts';
import { ClientFactory, type AwsCredentials } from '../../providers/aws/clients.ts';
import { collectAws, ecrRegistryHost } from '../../providers/aws/index.ts';
import { ErrorLog, scopeOf } from '../../providers/aws/scope.ts';
import type { Swept } from './collectors.ts';
import { imageJob } from './scope-jobs.ts';

export interface AwsScopeAccess {
  /** The `aws` section of posture.yaml; accounts and regions are replaced by the job's. */
  settings: AwsSettings;
  /** Role ARN per account from the deployment's scopes; overrides settings.roleName/rolePath for that account. */
  roles?: Readonly<Record<string, string>>;
  /** Default: the SDK chain (the worker's IAM role). */
  credentials?: AwsCredentials;
}

/** `arn:aws:iam::123456789012:role/security/PostureAudit` → rolePath `/security/`, roleName `PostureAudit`. */
export function roleSettings(roleArn: string | undefined): Partial<AwsSettings> {
  if (!roleArn) return {};
  const m = /^arn:aws[a-z-]*:iam::\d{12}:role(\/(?:[^/]+\/)*)([^/]+)$/.exec(roleArn);
  if (!m) throw new Error(`scope role "${roleArn}" is not an IAM role ARN`);
  return { rolePath: m[1] as string, roleName: m[2] as string };
}

const toScanErrors = (errors: readonly { scope: string; message: string }[]): ScanError[] => errors.map((e) => ({ source: e.scope, message: e.message }));

async function newestImages(ecr: ECRClient, repositoryName: string, registryId: string, count: number): Promise<ImageDetail[]> {
  const details: ImageDetail[] = [];
  for await (const page of paginateDescribeImages({ client: ecr }, { repositoryName, registryId, filter: { tagStatus: 'ANY' } })) {
    details.push(...(page.imageDetails ?? []));
  }
  const pushed = (d: ImageDetail) => d.imagePushedAt?.getTime() ?? 0;
  return details.sort((a, b) => pushed(b) - pushed(a) || (a.imageDigest ?? '').localeCompare(b.imageDigest ?? '')).slice(0, count);
}

export async function sweepAwsScope(job: ScanScopeJob, access: AwsScopeAccess, now: Date): Promise<Swept> {
  if (!job.region) throw new Error(`AWS scope job for account ${job.account} names no region`);
  const settings = AwsSettings.parse({
    ...access.settings,
    ...roleSettings(access.roles?.[job.account]),
    accounts: [job.account],
    regions: [job.region],
    organizations: false,
    imagesPerRepository: 0,
  });
  // Throws only when the worker's own identity is unreadable: the whole scope then fails and SQS retries it.
  const collection = await collectAws({ settings, ...(access.credentials ? { credentials: access.credentials } : {}), now });
  const errors = toScanErrors(collection.errors);
  const repositories = collection.assets.filter((a): a is RegistryAsset => a.kind === 'registry' && a.registry.service === 'ecr');
  const wanted = access.settings.imagesPerRepository;
  if (wanted === 0 || repositories.length === 0) return { assets: collection.assets, errors, jobs: [] };

  const factory = new ClientFactory(settings, pLimit(settings.concurrency.requests));
  const listErrors = new ErrorLog();
  const homeRegion = settings.homeRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const { accounts } = await resolveAccounts(factory, settings, access.credentials, homeRegion, [job.account], listErrors);
  const account = accounts.find((a) => a.account === job.account);
  const jobs: ScanImageJob[] = [];
  if (account) {
    const ecr = factory.ecr(account, job.region);
    const limit = pLimit(settings.concurrency.scopes);
    await Promise.all(
      repositories.map((repo) =>
        limit(async () => {
          const name = repo.registry.name;
          const images = await listErrors.guard(scopeOf(repo.account, job.region, 'ecr', 'repository', name, 'images'), () => newestImages(ecr, name, repo.account, wanted));
          for (const image of images ?? []) {
            if (!image.imageDigest) continue;
            const registry = ecrRegistryHost(repo.account, job.region, account.partition);
            jobs.push(imageJob(job, { registry, repository: name, digest: image.imageDigest, tag: image.imageTags?.[0] ?? null }, repo.account, job.region));
          }
        }),
      ),
    );
  }
  return { assets: collection.assets, errors: [...errors, ...toScanErrors(listErrors.list())], jobs: jobs.sort((a, b) => a.image.repository.localeCompare(b.image.repository)) };
}
