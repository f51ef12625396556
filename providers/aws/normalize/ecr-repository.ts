// DescribeRepositories element (plus policy, lifecycle and registry settings when collected) → `registry` asset.
import { z } from 'zod';
import type { ImageStoreAsset } from '../../../core/asset.ts';
import { parseArn, tagsFrom } from '../arn.ts';
import { awsPlacement, type CollectContext } from './context.ts';

export const EcrRepository = z
  .object({
    repositoryArn: z.string(),
    repositoryName: z.string(),
    repositoryUri: z.string().optional(),
    imageTagMutability: z.string().optional(),
    imageScanningConfiguration: z.object({ scanOnPush: z.boolean().optional() }).loose().optional(),
    encryptionConfiguration: z.object({ encryptionType: z.string().optional(), kmsKey: z.string().optional() }).loose().optional(),
  })
  .loose();

const ReplicationConfiguration = z
  .object({
    rules: z
      .array(
        z
          .object({
            destinations: z.array(z.object({ region: z.string(), registryId: z.string() }).loose()).default([]),
            repositoryFilters: z.array(z.object({ filter: z.string(), filterType: z.string() }).loose()).optional(),
          })
          .loose(),
      )
      .default([]),
  })
  .loose();

const ScanningConfiguration = z
  .object({
    scanType: z.string().optional(),
    rules: z
      .array(
        z
          .object({
            scanFrequency: z.string(),
            repositoryFilters: z.array(z.object({ filter: z.string(), filterType: z.string() }).loose()).default([]),
          })
          .loose(),
      )
      .default([]),
  })
  .loose();

/** Registry-level scanning rules (GetRegistryScanningConfiguration) match repositories by wildcard filter. */
function registryScansOnPush(configuration: unknown, name: string): boolean {
  const parsed = ScanningConfiguration.safeParse(configuration);
  if (!parsed.success) return false;
  return parsed.data.rules.some(
    (rule) =>
      (rule.scanFrequency === 'SCAN_ON_PUSH' || rule.scanFrequency === 'CONTINUOUS_SCAN') &&
      rule.repositoryFilters.some((f) => f.filterType === 'WILDCARD' && wildcardMatches(f.filter, name)),
  );
}

function wildcardMatches(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

const PolicyDocument = z.object({
  Statement: z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]),
});

/** A repository policy is public when an Allow statement names every principal and no account/org condition narrows it. */
export function policyIsPublic(policyText: string): boolean {
  const parsed = PolicyDocument.safeParse(JSON.parse(policyText));
  if (!parsed.success) return false;
  const statements = Array.isArray(parsed.data.Statement) ? parsed.data.Statement : [parsed.data.Statement];
  return statements.some((s) => {
    if (s.Effect !== 'Allow') return false;
    const p = s.Principal;
    const everyone = p === '*' || (typeof p === 'object' && p !== null && [(p as Record<string, unknown>).AWS].flat().includes('*'));
    const narrowed = JSON.stringify(s.Condition ?? {}).match(/aws:(PrincipalAccount|PrincipalOrgID|SourceAccount|SourceOrgID)/i);
    return everyone && !narrowed;
  });
}

function repositoryMatches(rule: { repositoryFilters?: { filter: string; filterType: string }[] | undefined }, name: string): boolean {
  const filters = rule.repositoryFilters ?? [];
  return filters.length === 0 || filters.some((f) => f.filterType === 'PREFIX_MATCH' && name.startsWith(f.filter));
}

export interface EcrRepositoryInput {
  repository: unknown;
  tags?: unknown;
  policyText?: string | null;
  lifecyclePolicyText?: string | null;
  scanningConfiguration?: unknown;
  replicationConfiguration?: unknown;
}

export function normalizeEcrRepository(input: EcrRepositoryInput, ctx: CollectContext): ImageStoreAsset {
  const repo = EcrRepository.parse(input.repository);
  const arn = parseArn(repo.repositoryArn);
  const replication = input.replicationConfiguration ? ReplicationConfiguration.parse(input.replicationConfiguration) : null;
  const replicaLocations = replication
    ? [...new Set(replication.rules.filter((r) => repositoryMatches(r, repo.repositoryName)).flatMap((r) => r.destinations.map((d) => d.region)))]
    : [];
  const { repository: _repository, tags: _tags, ...extra } = input;
  return {
    id: `aws://${arn.account}/${arn.region}/ecr/repository/${repo.repositoryName}`,
    kind: 'registry',
    ...awsPlacement(arn.account, arn.region),
    tags: tagsFrom(input.tags),
    collectedAt: ctx.collectedAt,
    source: ctx.source,
    rawForm: 'aws-api',
    raw: { repository: input.repository, ...extra },
    registry: {
      service: 'ecr',
      name: repo.repositoryName,
      uri: repo.repositoryUri ?? null,
      scanOnPush: (repo.imageScanningConfiguration?.scanOnPush ?? false) || registryScansOnPush(input.scanningConfiguration, repo.repositoryName),
      tagImmutable: repo.imageTagMutability ? repo.imageTagMutability.startsWith('IMMUTABLE') : false,
      encryption: { type: repo.encryptionConfiguration?.encryptionType ?? 'AES256', keyId: repo.encryptionConfiguration?.kmsKey ?? null },
      publicAccess: input.policyText === undefined ? null : input.policyText === null ? false : policyIsPublic(input.policyText),
      adminUser: false,
      lifecyclePolicy: input.lifecyclePolicyText === undefined ? null : input.lifecyclePolicyText !== null,
      replicaLocations,
    },
  };
}
