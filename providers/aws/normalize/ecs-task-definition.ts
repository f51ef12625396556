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
    memoryReservation: z.number().optional(),
    cpu: z.number().optional(),
    dockerSecurityOptions: z.array(z.string()).optional(),
    environment: z.array(KeyValue).optional(),
    secrets: z.array(z.object({ name: z.string(), valueFrom: z.string() }).loose()).optional(),
    portMappings: z.array(z.object({ hostPort: z.number().optional(), containerPort: z.number().optional() }).loose()).optional(),
    mountPoints: z.array(z.object({ sourceVolume: z.string().optional(), containerPath: z.string().optional(), readOnly: z.boolean().optional() }).loose()).optional(),
    linuxParameters: z
      .object({
        capabilities: z.object({ add: z.array(z.string()).optional(), drop: z.array(z.string()).optional() }).loose().optional(),
        devices: z.array(z.object({ hostPath: z.string().optional() }).loose()).optional(),
      })
      .loose()
      .optional(),
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
    cpu: z.string().optional(),
    systemControls: z.array(z.object({ namespace: z.string().optional(), value: z.string().optional() }).loose()).optional(),
    requiresCompatibilities: z.array(z.string()).optional(),
    runtimePlatform: z.object({ operatingSystemFamily: z.string().optional() }).loose().optional(),
    containerDefinitions: z.array(ContainerDefinition),
    volumes: z
      .array(
        z
          .object({
            name: z.string().default(''),
            host: z.object({ sourcePath: z.string().optional() }).loose().optional(),
            dockerVolumeConfiguration: z.unknown().optional(),
            efsVolumeConfiguration: z.unknown().optional(),
            fsxWindowsFileServerVolumeConfiguration: z.unknown().optional(),
          })
          .loose(),
      )
      .optional(),
  })
  .loose();
export type TaskDefinition = z.infer<typeof TaskDefinition>;

/** ECS CPU units (1024 per vCPU) as millicores. */
const millicores = (units: number | undefined) => (units === undefined || !Number.isFinite(units) ? null : Math.round((units * 1000) / 1024));

/** Numeric UID / GID of an ECS `user` ("1000", "1000:1000", "root:0"); a name other than root is not resolvable here. */
function numericId(part: string | undefined): number | null {
  const value = part?.trim() ?? '';
  if (/^\d+$/.test(value)) return Number(value);
  return value.toLowerCase() === 'root' ? 0 : null;
}

/**
 * `dockerSecurityOptions` in the terms the Kubernetes security context uses, so one rule judges both: Docker's
 * `no-new-privileges`, `seccomp`/`apparmor` profiles (`:` or `=` separated) and SELinux `label` options; running with
 * `label:disable` is SELinux's unconfined `spc_t` type.
 */
function securityOptions(options: readonly string[]) {
  const parsed = options.map((o) => {
    const [key = '', ...rest] = o.trim().split(/[:=]/);
    return { key: key.toLowerCase(), value: rest.join(':') };
  });
  const profile = (key: string) => {
    const found = parsed.find((p) => p.key === key);
    if (!found) return null;
    return found.value.toLowerCase() === 'unconfined' ? { type: 'Unconfined', localhostProfile: null } : { type: 'Localhost', localhostProfile: found.value };
  };
  const noNewPrivileges = parsed.find((p) => p.key === 'no-new-privileges');
  const labels = parsed.filter((p) => p.key === 'label');
  const label = (name: string) => labels.find((l) => l.value.startsWith(`${name}:`))?.value.slice(name.length + 1) ?? null;
  const disabled = labels.some((l) => l.value === 'disable');
  return {
    allowPrivilegeEscalation: noNewPrivileges ? noNewPrivileges.value === 'false' : null,
    seccompProfile: profile('seccomp'),
    appArmorProfile: profile('apparmor'),
    seLinuxOptions:
      labels.length === 0 ? null : { user: label('user'), role: label('role'), type: disabled ? 'spc_t' : label('type'), level: label('level') },
  };
}

function container(cd: z.infer<typeof ContainerDefinition>, networkMode: string): Container {
  const [uid, gid] = (cd.user ?? '').split(':');
  // In awsvpc mode ports live on the task's own network interface; in none mode there are none: no host port either way.
  const hostPortsApply = networkMode !== 'awsvpc' && networkMode !== 'none';
  return {
    name: cd.name,
    image: cd.image,
    role: 'app',
    imageDigest: null,
    privileged: cd.privileged ?? false,
    user: cd.user ?? null,
    runAsUser: cd.user === undefined ? null : numericId(uid),
    runAsGroup: cd.user === undefined ? null : numericId(gid),
    runAsNonRoot: null,
    readOnlyRootFilesystem: cd.readonlyRootFilesystem ?? false,
    capabilities: { add: cd.linuxParameters?.capabilities?.add ?? [], drop: cd.linuxParameters?.capabilities?.drop ?? [] },
    ...securityOptions(cd.dockerSecurityOptions ?? []),
    procMount: null,
    windowsHostProcess: false,
    env: (cd.environment ?? []).map((e) => ({ name: e.name ?? '', value: e.value ?? '' })),
    secrets: (cd.secrets ?? []).map((s) => ({ name: s.name, source: s.valueFrom })),
    // In host mode the container port is the host port even when hostPort is omitted.
    hostPorts: hostPortsApply
      ? (cd.portMappings ?? [])
          .map((p) => p.hostPort ?? (networkMode === 'host' ? p.containerPort : undefined))
          .filter((p): p is number => typeof p === 'number' && p > 0)
      : [],
    mounts: (cd.mountPoints ?? []).map((m) => ({ volume: m.sourceVolume ?? '', path: m.containerPath ?? '', readOnly: m.readOnly ?? false })),
    devices: (cd.linuxParameters?.devices ?? []).map((d) => d.hostPath ?? '(unnamed)'),
    probeHosts: [],
    logging: cd.logConfiguration ? { driver: cd.logConfiguration.logDriver, options: cd.logConfiguration.options ?? {} } : null,
    memoryLimitMiB: cd.memory ?? null,
    memoryRequestMiB: cd.memoryReservation ?? null,
    // Container `cpu` is a relative share (a request), not a limit, on Linux.
    cpuLimitMillicores: null,
    cpuRequestMillicores: millicores(cd.cpu),
  };
}

function volumeSource(v: NonNullable<TaskDefinition['volumes']>[number]): string {
  if (v.host?.sourcePath !== undefined) return 'host';
  if (v.dockerVolumeConfiguration !== undefined) return 'docker';
  if (v.efsVolumeConfiguration !== undefined) return 'efs';
  if (v.fsxWindowsFileServerVolumeConfiguration !== undefined) return 'fsxWindowsFileServer';
  return 'task'; // an empty volume: a bind mount that lives as long as the task
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
      hostUsers: true,
      shareProcessNamespace: td.pidMode === 'task',
      sysctls: (td.systemControls ?? []).map((c) => ({ name: c.namespace ?? '', value: c.value ?? '' })),
      supplementalGroups: [],
      fsGroup: null,
      compatibilities: td.requiresCompatibilities ?? [],
      osFamily: td.runtimePlatform?.operatingSystemFamily ?? null,
      memoryLimitMiB: td.memory !== undefined && !Number.isNaN(Number(td.memory)) ? Number(td.memory) : null,
      cpuLimitMillicores: td.cpu !== undefined && !Number.isNaN(Number(td.cpu)) ? millicores(Number(td.cpu)) : null,
      containers: td.containerDefinitions.map((cd) => container(cd, networkMode)),
      volumes: (td.volumes ?? []).map((v) => ({ name: v.name, source: volumeSource(v), hostPath: v.host?.sourcePath ?? null })),
      kubernetes: null,
    },
  };
}
