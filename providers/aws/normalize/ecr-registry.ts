// The private ECR registry of one account and region → `registry` asset with service `ecr-registry`:
// GetRegistryScanningConfiguration, DescribeRegistry (replication), DescribePullThroughCacheRules and
// GetRegistryPolicy. Each part that could not be read stays absent from `raw` and null when normalized.
import { z } from 'zod';
import type { EcrRegistry, EcrRegistryAsset } from '../../../core/asset.ts';
import { awsPlacement, collectionErrorsOf, type CollectContext, type Failures } from './context.ts';
import { policyIsPublic } from './ecr-repository.ts';

const Filters = z.array(z.object({ filter: z.string(), filterType: z.string() }).loose()).default([]);

const ScanningConfiguration = z
  .object({
    scanType: z.string().optional(),
    rules: z.array(z.object({ scanFrequency: z.string(), repositoryFilters: Filters }).loose()).default([]),
  })
  .loose();

const ReplicationConfiguration = z
  .object({
    rules: z
      .array(
        z
          .object({
            destinations: z.array(z.object({ region: z.string(), registryId: z.string() }).loose()).default([]),
            repositoryFilters: Filters,
          })
          .loose(),
      )
      .default([]),
  })
  .loose();

const PullThroughCacheRule = z
  .object({
    ecrRepositoryPrefix: z.string(),
    upstreamRegistryUrl: z.string(),
    upstreamRepositoryPrefix: z.string().optional(),
    credentialArn: z.string().optional(),
  })
  .loose();

const PolicyDocument = z.object({
  Statement: z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]),
});

export interface EcrRegistryInput {
  registryId: string;
  region: string;
  partition?: string;
  /** GetRegistryScanningConfiguration `scanningConfiguration`. */
  scanningConfiguration?: unknown;
  /** DescribeRegistry `replicationConfiguration` (null: none configured). */
  replicationConfiguration?: unknown;
  /** DescribePullThroughCacheRules `pullThroughCacheRules`. */
  pullThroughCacheRules?: unknown[];
  /** GetRegistryPolicy `policyText`; null when the registry has no policy. */
  policyText?: string | null;
  /** Parts whose collection failed, with why. */
  failed?: Failures<'scanningConfiguration' | 'replicationConfiguration' | 'pullThroughCacheRules' | 'policyText'>;
}

const scanningFrequencies = new Set(['SCAN_ON_PUSH', 'CONTINUOUS_SCAN']);

function scanning(configuration: unknown): EcrRegistry['scanning'] {
  const c = ScanningConfiguration.parse(configuration ?? {});
  const rules = c.rules.map((r) => ({ frequency: r.scanFrequency.toUpperCase(), filters: r.repositoryFilters.map((f) => ({ filter: f.filter, type: f.filterType.toUpperCase() })) }));
  return {
    type: (c.scanType ?? 'BASIC').toUpperCase(),
    rules,
    coversAllRepositories: rules.some((r) => scanningFrequencies.has(r.frequency) && r.filters.some((f) => f.type === 'WILDCARD' && f.filter === '*')),
  };
}

function replication(configuration: unknown): EcrRegistry['replication'] {
  const c = ReplicationConfiguration.parse(configuration ?? {});
  return {
    rules: c.rules.map((r) => ({
      destinations: r.destinations.map((d) => ({ region: d.region, registryId: d.registryId })),
      filters: r.repositoryFilters.map((f) => ({ filter: f.filter, type: f.filterType.toUpperCase() })),
    })),
  };
}

/** Docker Hub's API host is not the name image references use for it. */
const referenceHosts: Record<string, string> = { 'registry-1.docker.io': 'docker.io', 'index.docker.io': 'docker.io' };

/** `https://registry-1.docker.io/` → `docker.io`: the registry host an image reference would name. */
export function upstreamHost(url: string): string {
  const host = url
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .split('/')[0]!
    .toLowerCase();
  return referenceHosts[host] ?? host;
}

/** Principal accounts a policy statement names: 12-digit ids and IAM ARNs. */
function principalAccounts(statement: Record<string, unknown>): string[] {
  const principal = statement.Principal;
  if (typeof principal !== 'object' || principal === null) return [];
  return [(principal as Record<string, unknown>).AWS]
    .flat()
    .filter((p): p is string => typeof p === 'string')
    .map((p) => (/^\d{12}$/.test(p) ? p : p.startsWith('arn:') ? (p.split(':')[4] ?? '') : ''))
    .filter((a) => /^\d{12}$/.test(a));
}

function policy(text: string | null, ownAccount: string): EcrRegistry['policy'] {
  if (text === null) return { present: false, public: false, accounts: [] };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw new Error(`ECR registry policy is not JSON: ${(err as Error).message}`);
  }
  const parsed = PolicyDocument.safeParse(document);
  if (!parsed.success) throw new Error(`ECR registry policy is not an IAM policy document: ${z.prettifyError(parsed.error)}`);
  const statements = [parsed.data.Statement].flat().filter((s) => s.Effect === 'Allow');
  const accounts = [...new Set(statements.flatMap(principalAccounts))].filter((a) => a !== ownAccount).sort();
  return { present: true, public: policyIsPublic(text), accounts };
}

export function normalizeEcrRegistry(input: EcrRegistryInput, ctx: CollectContext): EcrRegistryAsset {
  const { registryId: account, region } = input;
  const domain = (input.partition ?? 'aws') === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  const { registryId: _id, region: _region, partition: _partition, failed: _failed, ...raw } = input;
  const errors = collectionErrorsOf(input.failed, [
    ['scanningConfiguration', 'registry.scanning', true],
    ['replicationConfiguration', 'registry.replication', true],
    ['pullThroughCacheRules', 'registry.pullThroughCache', true],
    ['policyText', 'registry.policy', true],
  ]);
  return {
    id: `aws://${account}/${region}/ecr/registry`,
    kind: 'registry',
    ...awsPlacement(account, region),
    // A registry cannot be tagged; its repositories carry the data classification.
    tags: {},
    collectedAt: ctx.collectedAt,
    source: ctx.source,
    rawForm: 'aws-api',
    raw: { registryId: account, ...raw },
    ...(errors.length ? { collectionErrors: errors } : {}),
    registry: {
      service: 'ecr-registry',
      name: account,
      uri: `${account}.dkr.ecr.${region}.${domain}`,
      scanning: input.scanningConfiguration === undefined ? null : scanning(input.scanningConfiguration),
      replication: input.replicationConfiguration === undefined ? null : replication(input.replicationConfiguration),
      pullThroughCache:
        input.pullThroughCacheRules === undefined
          ? null
          : input.pullThroughCacheRules
              .map((r) => PullThroughCacheRule.parse(r))
              .map((r) => ({
                prefix: r.ecrRepositoryPrefix,
                upstream: upstreamHost(r.upstreamRegistryUrl),
                // ROOT is ECR's name for "the whole upstream".
                upstreamPrefix: r.upstreamRepositoryPrefix && r.upstreamRepositoryPrefix.trim() !== 'ROOT' ? r.upstreamRepositoryPrefix.trim() : null,
                credentialArn: r.credentialArn ?? null,
              })),
      policy: input.policyText === undefined ? null : policy(input.policyText, account),
    },
  };
}
