// DescribeClusters element (and the cluster's DescribeCapacityProviders answers) → `cluster` asset with
// distribution `ecs`. Every cluster is one asset, whether or not it runs services.
import { z } from 'zod';
import type { EcsCluster, EcsClusterAsset } from '../../../core/asset.ts';
import { parseArn, tagsFrom } from '../arn.ts';
import { awsPlacement, collectionErrorsOf, type CollectContext, type Failures } from './context.ts';

const LogConfiguration = z
  .object({
    cloudWatchLogGroupName: z.string().optional(),
    cloudWatchEncryptionEnabled: z.boolean().optional(),
    s3BucketName: z.string().optional(),
    s3EncryptionEnabled: z.boolean().optional(),
  })
  .loose();

export const EcsClusterDescription = z
  .object({
    clusterArn: z.string(),
    clusterName: z.string().optional(),
    status: z.string().optional(),
    runningTasksCount: z.number().int().optional(),
    activeServicesCount: z.number().int().optional(),
    settings: z.array(z.object({ name: z.string().optional(), value: z.string().optional() }).loose()).optional(),
    capacityProviders: z.array(z.string()).optional(),
    configuration: z
      .object({
        executeCommandConfiguration: z
          .object({ kmsKeyId: z.string().optional(), logging: z.string().optional(), logConfiguration: LogConfiguration.optional() })
          .loose()
          .optional(),
        managedStorageConfiguration: z.object({ kmsKeyId: z.string().optional(), fargateEphemeralStorageKmsKeyId: z.string().optional() }).loose().optional(),
      })
      .loose()
      .optional(),
    tags: z.unknown().optional(),
  })
  .loose();

const CapacityProvider = z
  .object({
    name: z.string(),
    autoScalingGroupProvider: z
      .object({
        managedTerminationProtection: z.string().optional(),
        managedScaling: z.object({ status: z.string().optional() }).loose().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

/** What DescribeClusters was asked to include; a member that was not asked for is "not read", not "absent". */
export type ClusterInclude = 'SETTINGS' | 'CONFIGURATIONS' | 'TAGS';

export interface EcsClusterInput {
  cluster: unknown;
  /** DescribeClusters `include`; unknown (e.g. a file export) means: trust what is present, read nothing into what is not. */
  include?: readonly ClusterInclude[];
  /** DescribeCapacityProviders answers for the cluster's providers; absent when they could not be described. */
  capacityProviders?: unknown[];
  /** Each service's name and ECS Exec flag (from DescribeServices); absent when the services could not be listed. */
  services?: unknown[];
  /** Parts whose collection failed, with why. */
  failed?: Failures<'capacityProviders' | 'services'>;
}

const ServiceExec = z.object({ serviceName: z.string(), enableExecuteCommand: z.boolean().optional() }).loose();

const fargateProviders = new Set(['FARGATE', 'FARGATE_SPOT']);

function enabled(value: string | undefined): boolean | null {
  return value === undefined ? null : value.toUpperCase() === 'ENABLED';
}

/** AWS always returns the ECS Exec flag; a service answer without it leaves the question open. */
function execEnabledServices(services: unknown[] | undefined): string[] | null {
  if (services === undefined) return null;
  const parsed = services.map((svc) => ServiceExec.parse(svc));
  if (parsed.some((svc) => svc.enableExecuteCommand === undefined)) return null;
  return parsed
    .filter((svc) => svc.enableExecuteCommand === true)
    .map((svc) => svc.serviceName)
    .sort();
}

function capacityProviders(names: readonly string[], described: unknown[] | undefined): EcsCluster['capacityProviders'] {
  if (names.length === 0) return [];
  const byName = new Map((described ?? []).map((d) => CapacityProvider.parse(d)).map((d) => [d.name, d]));
  if (described === undefined && names.some((n) => !fargateProviders.has(n))) return null;
  return names.map((name) => {
    const fargate = fargateProviders.has(name);
    const asg = byName.get(name)?.autoScalingGroupProvider;
    return {
      name,
      fargate,
      // ECS Managed Instances providers have no Auto Scaling group: these settings do not exist for them.
      managedTerminationProtection: fargate || !asg ? null : enabled(asg.managedTerminationProtection ?? 'DISABLED'),
      managedScaling: fargate || !asg ? null : enabled(asg.managedScaling?.status ?? 'DISABLED'),
    };
  });
}

export function normalizeEcsCluster(input: EcsClusterInput, ctx: CollectContext): EcsClusterAsset {
  const c = EcsClusterDescription.parse(input.cluster);
  const arn = parseArn(c.clusterArn);
  const name = c.clusterName ?? arn.resource.split('/').pop() ?? arn.resource;
  const asked = (member: ClusterInclude, present: boolean) => (input.include ? input.include.includes(member) : present);

  // With SETTINGS asked for, a cluster without a containerInsights entry has it off (the account default applied at creation).
  const settingsRead = asked('SETTINGS', c.settings !== undefined);
  const insights = settingsRead ? ((c.settings ?? []).find((s) => s.name === 'containerInsights')?.value ?? 'disabled').toLowerCase() : null;

  // With CONFIGURATIONS asked for, an absent configuration is the default: logging DEFAULT, AWS-owned keys.
  const configurationRead = asked('CONFIGURATIONS', c.configuration !== undefined);
  const exec = c.configuration?.executeCommandConfiguration;
  const storage = c.configuration?.managedStorageConfiguration;
  const executeCommand: EcsCluster['executeCommand'] = configurationRead
    ? {
        logging: (exec?.logging ?? 'DEFAULT').toUpperCase(),
        kmsKeyId: exec?.kmsKeyId?.trim() || null,
        cloudWatchLogGroup: exec?.logConfiguration?.cloudWatchLogGroupName ?? null,
        cloudWatchEncryption: exec?.logConfiguration?.cloudWatchEncryptionEnabled ?? false,
        s3Bucket: exec?.logConfiguration?.s3BucketName ?? null,
        s3Encryption: exec?.logConfiguration?.s3EncryptionEnabled ?? false,
      }
    : null;

  const providers = capacityProviders(c.capacityProviders ?? [], input.capacityProviders);
  const errors = collectionErrorsOf(input.failed, [
    ['capacityProviders', 'cluster.capacityProviders', providers === null],
    ['services', 'cluster.execEnabledServices', true],
  ]);
  return {
    id: `aws://${arn.account}/${arn.region}/ecs/cluster/${name}`,
    kind: 'cluster',
    ...awsPlacement(arn.account, arn.region),
    tags: tagsFrom(c.tags),
    collectedAt: ctx.collectedAt,
    source: ctx.source,
    rawForm: 'aws-api',
    raw: {
      cluster: input.cluster,
      ...(input.include ? { include: [...input.include] } : {}),
      ...(input.capacityProviders !== undefined ? { capacityProviders: input.capacityProviders } : {}),
      ...(input.services !== undefined ? { services: input.services } : {}),
    },
    ...(errors.length ? { collectionErrors: errors } : {}),
    cluster: {
      distribution: 'ecs',
      name,
      status: c.status ?? null,
      locations: [arn.region],
      containerInsights: insights,
      executeCommand,
      execEnabledServices: execEnabledServices(input.services),
      storageKmsKeyIds: configurationRead ? { managedStorage: storage?.kmsKeyId ?? null, fargateEphemeralStorage: storage?.fargateEphemeralStorageKmsKeyId ?? null } : null,
      capacityProviders: providers,
      activeServices: c.activeServicesCount ?? null,
      runningTasks: c.runningTasksCount ?? null,
    },
  };
}
