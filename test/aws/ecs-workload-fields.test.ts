// The ECS task-definition normalizer fills the container security fields Kubernetes fills too, read from
// the ECS API reference's fields: `user`, `dockerSecurityOptions` (no-new-privileges, apparmor:PROFILE,
// label:value), `linuxParameters.devices`, `systemControls`, `pidMode`, `cpu`/`memoryReservation`.
import { describe, expect, it } from 'vitest';
import { parseAsset, type WorkloadAsset } from '../../core/asset.ts';
import { normalizeTaskDefinition } from '../../providers/aws/normalize/ecs-task-definition.ts';

const ctx = { collectedAt: '2026-11-01T00:00:00.000Z', source: 'test' };
function workload(td: Record<string, unknown>) {
  return (parseAsset(normalizeTaskDefinition({ taskDefinition: { taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/app:1', family: 'app', ...td } }, ctx)) as WorkloadAsset).workload;
}

describe('ECS workload fields shared with Kubernetes', () => {
  it('read user ids, security options, devices, sysctls and resources', () => {
    const w = workload({
      networkMode: 'bridge',
      pidMode: 'task',
      cpu: '2048',
      systemControls: [{ namespace: 'net.core.somaxconn', value: '1024' }],
      volumes: [{ name: 'sock', host: { sourcePath: '/var/run/docker.sock' } }, { name: 'scratch' }, { name: 'shared', efsVolumeConfiguration: { fileSystemId: 'fs-1' } }],
      containerDefinitions: [
        {
          name: 'app',
          image: 'app:1',
          user: '1000:2000',
          cpu: 512,
          memoryReservation: 256,
          dockerSecurityOptions: ['no-new-privileges', 'apparmor:unconfined', 'label:type:container_t', 'label:level:s0:c100,c200'],
          linuxParameters: { devices: [{ hostPath: '/dev/fuse' }] },
          portMappings: [{ containerPort: 8080, hostPort: 8080 }],
        },
        { name: 'legacy', image: 'legacy:1', user: 'root', dockerSecurityOptions: ['label:disable', 'seccomp=unconfined'] },
        { name: 'named', image: 'named:1', user: 'nginx' },
      ],
    });
    expect(w).toMatchObject({ shareProcessNamespace: true, hostUsers: true, cpuLimitMillicores: 2000, sysctls: [{ name: 'net.core.somaxconn', value: '1024' }], kubernetes: null });
    expect(w.volumes).toEqual([
      { name: 'sock', source: 'host', hostPath: '/var/run/docker.sock' },
      { name: 'scratch', source: 'task', hostPath: null },
      { name: 'shared', source: 'efs', hostPath: null },
    ]);
    const [app, legacy, named] = w.containers;
    expect(app).toMatchObject({
      role: 'app',
      runAsUser: 1000,
      runAsGroup: 2000,
      runAsNonRoot: null,
      allowPrivilegeEscalation: false,
      appArmorProfile: { type: 'Unconfined', localhostProfile: null },
      seccompProfile: null,
      seLinuxOptions: { user: null, role: null, type: 'container_t', level: 's0:c100,c200' },
      devices: ['/dev/fuse'],
      hostPorts: [8080],
      cpuRequestMillicores: 500,
      memoryRequestMiB: 256,
      cpuLimitMillicores: null,
    });
    expect(legacy).toMatchObject({ runAsUser: 0, runAsGroup: null, allowPrivilegeEscalation: null, seLinuxOptions: { type: 'spc_t' }, seccompProfile: { type: 'Unconfined' } });
    expect(named).toMatchObject({ user: 'nginx', runAsUser: null });
  });

  it('report no host ports in awsvpc mode, where ports belong to the task ENI', () => {
    const w = workload({ networkMode: 'awsvpc', containerDefinitions: [{ name: 'app', image: 'app:1', portMappings: [{ containerPort: 443, hostPort: 443 }] }] });
    expect(w.containers[0]?.hostPorts).toEqual([]);
  });
});
