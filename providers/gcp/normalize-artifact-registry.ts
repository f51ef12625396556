// Artifact Registry Docker repository (REST JSON, `projects.locations.repositories.get`) plus its IAM
// policy → `registry` asset. Multi-region locations (`europe`, `us`, `asia`) stay as the region; the
// residency rules map them to their multi-region jurisdictions.
import { z } from 'zod';
import type { ImageStoreAsset } from '../../core/asset.ts';
import { jurisdictionOf } from '../../core/jurisdiction.ts';
import type { Decoded } from './proto-json.ts';

const RepositoryName = /^projects\/([^/]+)\/locations\/([^/]+)\/repositories\/([^/]+)$/;

export const ArRepository = z
  .object({
    name: z.string().regex(RepositoryName, 'an Artifact Registry repository name is projects/P/locations/L/repositories/R'),
    format: z.string().nullish(),
    mode: z.string().nullish(),
    labels: z.record(z.string(), z.string()).nullish(),
    kmsKeyName: z.string().nullish(),
    registryUri: z.string().nullish(),
    cleanupPolicies: z.record(z.string(), z.object({ action: z.string().nullish() }).loose()).nullish(),
    cleanupPolicyDryRun: z.boolean().nullish(),
    dockerConfig: z.object({ immutableTags: z.boolean().nullish() }).loose().nullish(),
    vulnerabilityScanningConfig: z.object({ enablementConfig: z.string().nullish(), enablementState: z.string().nullish() }).loose().nullish(),
  })
  .loose();

const IamPolicy = z.object({ bindings: z.array(z.object({ role: z.string(), members: z.array(z.string()).nullish() }).loose()).nullish() }).loose();

/** Members that make a repository readable by anyone, or by anyone with a Google account. */
export const publicMembers = new Set(['allUsers', 'allAuthenticatedUsers']);

export function parseRepositoryName(name: string): { project: string; location: string; repository: string } {
  const m = RepositoryName.exec(name);
  if (!m) throw new Error(`not an Artifact Registry repository name: ${name.slice(0, 200)}`);
  return { project: m[1] as string, location: m[2] as string, repository: m[3] as string };
}

/** True / false from the scanning config's values; null when the API said nothing either way. */
function scanning(config: z.infer<typeof ArRepository>['vulnerabilityScanningConfig']): boolean | null {
  const state = config?.enablementState;
  if (state === 'SCANNING_ACTIVE') return true;
  if (state === 'SCANNING_DISABLED' || state === 'SCANNING_UNSUPPORTED') return false;
  if (config?.enablementConfig === 'DISABLED') return false;
  return null;
}

export function normalizeArtifactRegistryRepository(
  input: { repository: unknown; iamPolicy?: unknown; decoded?: Decoded; failed?: { iamPolicy?: string } },
  ctx: { collectedAt: string; source?: string },
): ImageStoreAsset {
  const repo = ArRepository.parse(input.repository);
  const { project, location, repository } = parseRepositoryName(repo.name);
  const policy = input.iamPolicy === undefined || input.iamPolicy === null ? undefined : IamPolicy.parse(input.iamPolicy);
  const isPublic = policy ? (policy.bindings ?? []).some((b) => (b.members ?? []).some((m) => publicMembers.has(m))) : null;
  const cleanup = Object.values(repo.cleanupPolicies ?? {});
  return {
    id: `gcp://${project}/${location}/artifact-registry/${repository}`,
    kind: 'registry',
    provider: 'gcp',
    account: project,
    region: location,
    jurisdiction: jurisdictionOf('gcp', location),
    tags: repo.labels ?? {},
    collectedAt: ctx.collectedAt,
    source: ctx.source,
    rawForm: 'gcp-api',
    raw: {
      repository: input.repository,
      ...(input.iamPolicy !== undefined ? { iamPolicy: input.iamPolicy } : {}),
      ...(input.decoded ? { decoded: input.decoded } : {}),
    },
    // An IAM policy that could not be read leaves public access unknown because of an error, not by absence.
    ...(input.failed?.iamPolicy
      ? {
          collectionErrors: [
            { input: 'raw.iamPolicy', message: input.failed.iamPolicy },
            { input: 'registry.publicAccess', message: input.failed.iamPolicy },
          ],
        }
      : {}),
    registry: {
      service: 'artifact-registry',
      name: repository,
      uri: repo.registryUri ?? `${location}-docker.pkg.dev/${project}/${repository}`,
      scanOnPush: scanning(repo.vulnerabilityScanningConfig),
      tagImmutable: repo.dockerConfig?.immutableTags === true,
      encryption: repo.kmsKeyName ? { type: 'CMEK', keyId: repo.kmsKeyName } : { type: 'GOOGLE_MANAGED', keyId: null },
      publicAccess: isPublic,
      adminUser: null,
      // Dry-run cleanup policies only log what they would delete.
      lifecyclePolicy: cleanup.length > 0 && repo.cleanupPolicyDryRun !== true,
      replicaLocations: [],
    },
  };
}
