// DescribeServices element (and optionally its cluster) → `service` asset.
import { z } from 'zod';
import type { ServiceAsset } from '../../../core/asset.ts';
import { parseArn, tagsFrom } from '../arn.ts';
import { awsPlacement, type CollectContext } from './context.ts';

const AssignPublicIp = z.object({ awsvpcConfiguration: z.object({ assignPublicIp: z.string().optional() }).loose().optional() }).loose();

export const EcsService = z
  .object({
    serviceArn: z.string(),
    serviceName: z.string().optional(),
    clusterArn: z.string().optional(),
    launchType: z.string().optional(),
    platformVersion: z.string().optional(),
    taskDefinition: z.string().optional(),
    enableExecuteCommand: z.boolean().optional(),
    networkConfiguration: AssignPublicIp.optional(),
    taskSets: z.array(z.object({ networkConfiguration: AssignPublicIp.optional() }).loose()).optional(),
    tags: z.unknown().optional(),
  })
  .loose();

export function normalizeService(input: { service: unknown; cluster?: unknown }, ctx: CollectContext): ServiceAsset {
  const svc = EcsService.parse(input.service);
  const arn = parseArn(svc.serviceArn);
  // New-format ARNs are service/<cluster>/<name>; old ones are service/<name>.
  const parts = arn.resource.split('/');
  const name = svc.serviceName ?? parts[parts.length - 1] ?? arn.resource;
  const cluster = svc.clusterArn ? (parseArn(svc.clusterArn).resource.split('/')[1] ?? '') : parts.length === 3 ? (parts[1] ?? '') : '';
  const publicIp = [svc.networkConfiguration, ...(svc.taskSets ?? []).map((t) => t.networkConfiguration)].some(
    (n) => n?.awsvpcConfiguration?.assignPublicIp === 'ENABLED',
  );
  return {
    id: `aws://${arn.account}/${arn.region}/ecs/service/${cluster}/${name}`,
    kind: 'service',
    ...awsPlacement(arn.account, arn.region),
    tags: tagsFrom(svc.tags),
    collectedAt: ctx.collectedAt,
    source: ctx.source,
    rawForm: 'aws-api',
    raw: { service: input.service, ...(input.cluster !== undefined ? { cluster: input.cluster } : {}) },
    service: {
      name,
      cluster,
      launchType: svc.launchType ?? null,
      platformVersion: svc.platformVersion ?? null,
      publicIp,
      execCommand: svc.enableExecuteCommand ?? false,
      taskDefinition: svc.taskDefinition ?? null,
    },
  };
}
