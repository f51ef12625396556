// DescribeTaskDefinition → `workload` asset.
import { z } from 'zod';
import type { Container, WorkloadAsset } from '../../../core/asset.ts';
import { parseArn, tagsFrom } from '../arn.ts';
import { awsPlacement, type CollectContext } from './context.ts';

const KeyValue = z.object({ name: z.string().optional(), value: z.string().optional() }).loose();

const ContainerDefinition = z
  .object({
    name: z.string().default(''),
    image: z.string().default(''),
    privileged: z.boolean().optional(),
    user: z.string().optional(),
    readonlyRootFilesystem: z.boolean().optional(),
    memory: z.number().optional(),
    environment: z.array(KeyValue).optional(),
    secrets: z.array(z.object({ name: z.string(), valueFrom: z.string() }).loose()).optional(),
    portMappings: z.array(z.object({ hostPort: z.number().optional(), containerPort: z.number().optional() }).loose()).optional(),
    mountPoints: z.array(z.object({ sourceVolume: z.string().optional(), containerPath: z.string().optional(), readOnly: z.boolean().optional() }).loose()).optional(),
    linuxParameters: z.object({ capabilities: z.object({ add: z.array(z.string()).optional(), drop: z.array(z.string()).optional() }).loose().optional() }).loose().optional(),
    logConfiguration: z.object({ logDriver: z.string(), options: z.record(z.string(), z.string()).optional() }).loose().optional(),
  })
  .loose();

export const TaskDefinition = z
  .object({
    taskDefinitionArn: z.string(),
    family: z.string(),
    revision: z.number().int().optional(),
    networkMode: z.string().optional(),
    pidMode: z.string().optional(),
    ipcMode: z.string().optional(),
    memory: z.string().optional(),
    requiresCompatibilities: z.array(z.string()).optional(),
    runtimePlatform: z.object({ operatingSystemFamily: z.string().optional() }).loose().optional(),
    containerDefinitions: z.array(ContainerDefinition),
    volumes: z.array(z.object({ name: z.string().default(''), host: z.object({ sourcePath: z.string().optional() }).loose().optional() }).loose()).optional(),
  })
  .loose();
export type TaskDefinition = z.infer<typeof TaskDefinition>;

function container(cd: z.infer<typeof ContainerDefinition>, networkMode: string | undefined): Container {
  return {
    name: cd.name,
    image: cd.image,
    privileged: cd.privileged ?? false,
    user: cd.user ?? null,
    readOnlyRootFilesystem: cd.readonlyRootFilesystem ?? false,
    capabilities: { add: cd.linuxParameters?.capabilities?.add ?? [], drop: cd.linuxParameters?.capabilities?.drop ?? [] },
    env: (cd.environment ?? []).map((e) => ({ name: e.name ?? '', value: e.value ?? '' })),
    secrets: (cd.secrets ?? []).map((s) => ({ name: s.name, source: s.valueFrom })),
    // In host mode the container port is the host port even when hostPort is omitted.
    hostPorts: (cd.portMappings ?? [])
      .map((p) => p.hostPort ?? (networkMode === 'host' ? p.containerPort : undefined))
      .filter((p): p is number => typeof p === 'number' && p > 0),
    mounts: (cd.mountPoints ?? []).map((m) => ({ volume: m.sourceVolume ?? '', path: m.containerPath ?? '', readOnly: m.readOnly ?? false })),
    logging: cd.logConfiguration ? { driver: cd.logConfiguration.logDriver, options: cd.logConfiguration.options ?? {} } : null,
    memoryLimitMiB: cd.memory ?? null,
  };
}

export function normalizeTaskDefinition(input: { taskDefinition: unknown; tags?: unknown }, ctx: CollectContext): WorkloadAsset {
  const td = TaskDefinition.parse(input.taskDefinition);
  const arn = parseArn(td.taskDefinitionArn);
  const revision = td.revision ?? Number(arn.resource.split(':').pop());
  const networkMode = td.networkMode ?? 'bridge';
  return {
    id: `aws://${arn.account}/${arn.region}/ecs/task-definition/${td.family}:${revision}`,
    kind: 'workload',
    ...awsPlacement(arn.account, arn.region),
    tags: tagsFrom(input.tags),
    collectedAt: ctx.collectedAt,
    source: ctx.source,
    rawForm: 'aws-api',
    raw: { taskDefinition: input.taskDefinition, ...(input.tags !== undefined ? { tags: input.tags } : {}) },
    workload: {
      platform: 'ecs',
      name: td.family,
      revision: Number.isFinite(revision) ? revision : null,
      networkMode,
      hostNetwork: networkMode === 'host',
      hostPid: td.pidMode === 'host',
      hostIpc: td.ipcMode === 'host',
      compatibilities: td.requiresCompatibilities ?? [],
      osFamily: td.runtimePlatform?.operatingSystemFamily ?? null,
      memoryLimitMiB: td.memory !== undefined && !Number.isNaN(Number(td.memory)) ? Number(td.memory) : null,
      containers: td.containerDefinitions.map((cd) => container(cd, networkMode)),
      volumes: (td.volumes ?? []).map((v) => ({ name: v.name, hostPath: v.host?.sourcePath ?? null })),
    },
  };
}
