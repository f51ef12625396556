// ECS and EKS rules (and the cross-cloud CLU rules on EKS) as a user meets them: DescribeTaskDefinition, DescribeServices/DescribeClusters
// and DescribeCluster/DescribeNodegroup/DescribeAddon answers written from the AWS API references,
// normalized by the real collectors, validated by parseAsset and judged by the compiled Wasm bundle.
// Each case asserts which rule ids fire and which do not.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAsset, type Asset } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import { fingerprintOf } from '../../core/finding.ts';
import { outcomeOf } from '../../core/outcomes.ts';
import { Engine } from '../../policies/engine.ts';
import { normalizeEksCluster } from '../../providers/aws/normalize/eks-cluster.ts';
import { normalizeEcsCluster } from '../../providers/aws/normalize/ecs-cluster.ts';
import { normalizeService } from '../../providers/aws/normalize/ecs-service.ts';
import { normalizeTaskDefinition } from '../../providers/aws/normalize/ecs-task-definition.ts';

const now = new Date('2026-11-01T00:00:00Z');
const ctx = { collectedAt: now.toISOString(), source: 'test' };
const account = '123456789012';
const ecr = `${account}.dkr.ecr.eu-west-1.amazonaws.com`;
const digest = 'sha256:4f1c0b7e9d2a3c5b6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5';

let engine: Engine;
let trusting: Engine;
beforeAll(async () => {
  engine = await Engine.load({ config: parseConfig({}), now });
  trusting = await Engine.load({ config: parseConfig({ image: { trustedRegistries: ['*.dkr.ecr.*.amazonaws.com'] } }), now });
});

function findings(asset: Asset, on: Engine = engine) {
  return on.evaluate(parseAsset(asset)).filter((f) => /^(ECS|EKS|WKL|CLU)-/.test(f.ruleId));
}

/** ECS-/EKS-/WKL-/CLU- rule ids that fired, sorted and unique. */
function fired(asset: Asset, on: Engine = engine): string[] {
  return [...new Set(findings(asset, on).map((f) => f.ruleId))].sort();
}

function paths(asset: Asset, ruleId: string, on: Engine = engine): string[] {
  return findings(asset, on)
    .filter((f) => f.ruleId === ruleId)
    .map((f) => f.path)
    .sort();
}

// --- ECS task definitions ----------------------------------------------------------------------

const hardenedContainer = {
  name: 'web',
  image: `${ecr}/shop/web@${digest}`,
  essential: true,
  user: '1000:1000',
  readonlyRootFilesystem: true,
  privileged: false,
  memory: 512,
  environment: [{ name: 'LOG_LEVEL', value: 'info' }],
  secrets: [{ name: 'DB_PASSWORD', valueFrom: `arn:aws:secretsmanager:eu-west-1:${account}:secret:shop/db-AbCdEf` }],
  portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
  mountPoints: [{ sourceVolume: 'shared', containerPath: '/srv/shared', readOnly: true }],
  linuxParameters: { capabilities: { drop: ['ALL'] }, initProcessEnabled: true },
  dockerSecurityOptions: ['no-new-privileges'],
  logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'eu-west-1', mode: 'non-blocking' } },
};

const hardenedTaskDefinition = {
  taskDefinitionArn: `arn:aws:ecs:eu-west-1:${account}:task-definition/web:12`,
  family: 'web',
  revision: 12,
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'ARM64' },
  cpu: '512',
  memory: '1024',
  containerDefinitions: [hardenedContainer],
  volumes: [{ name: 'shared', efsVolumeConfiguration: { fileSystemId: 'fs-0123456789abcdef0', transitEncryption: 'ENABLED' } }],
  status: 'ACTIVE',
};

/** Everything the catalog warns about, on an EC2 host. The access key is AWS's documented example. */
const riskyTaskDefinition = {
  taskDefinitionArn: `arn:aws:ecs:eu-west-1:${account}:task-definition/legacy-worker:3`,
  family: 'legacy-worker',
  revision: 3,
  networkMode: 'host',
  pidMode: 'host',
  requiresCompatibilities: ['EC2'],
  containerDefinitions: [
    {
      name: 'worker',
      image: 'nginx:1.27',
      essential: true,
      privileged: true,
      environment: [
        { name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
        { name: 'DATABASE_URL', value: 'postgres://worker:s3cr3t-hunter2@db.internal:5432/jobs' },
      ],
      portMappings: [{ containerPort: 80 }],
      mountPoints: [{ sourceVolume: 'docker', containerPath: '/var/run/docker.sock' }],
      linuxParameters: { capabilities: { add: ['SYS_ADMIN', 'NET_BIND_SERVICE'] }, devices: [{ hostPath: '/dev/kmsg' }] },
      dockerSecurityOptions: ['seccomp:unconfined'],
    },
  ],
  volumes: [
    { name: 'docker', host: { sourcePath: '/var/run/docker.sock' } },
    { name: 'jobs', efsVolumeConfiguration: { fileSystemId: 'fs-0fedcba9876543210' } },
  ],
  status: 'ACTIVE',
};

function taskDefinition(td: Record<string, unknown>) {
  return normalizeTaskDefinition({ taskDefinition: td }, ctx);
}

function withContainer(patch: Record<string, unknown>, tdPatch: Record<string, unknown> = {}) {
  return taskDefinition({ ...hardenedTaskDefinition, ...tdPatch, containerDefinitions: [{ ...hardenedContainer, ...patch }] });
}

describe('ECS task-definition rules', () => {
  it('pass a hardened Fargate task definition, with and without a registry allow-list', () => {
    const asset = taskDefinition(hardenedTaskDefinition);
    expect(fired(asset)).toEqual([]);
    expect(fired(asset, trusting)).toEqual([]);
  });

  it('flag every weakness of a legacy EC2 task definition', () => {
    const asset = taskDefinition(riskyTaskDefinition);
    expect(fired(asset, trusting)).toEqual([
      'ECS-007', 'ECS-011',
      'WKL-001', 'WKL-002', 'WKL-003', 'WKL-004', 'WKL-005', 'WKL-006', 'WKL-008', 'WKL-009', 'WKL-010', 'WKL-011', 'WKL-012', 'WKL-016',
      'WKL-021', 'WKL-025', 'WKL-031', 'WKL-035',
    ]);
    expect(paths(asset, 'WKL-004')).toEqual(['containers/worker/hostPorts', 'networkMode']);
    expect(paths(asset, 'WKL-008')).toEqual(['containers/worker/capabilities/add']);
    expect(paths(asset, 'WKL-012')).toEqual(['containers/worker/devices']);
    expect(paths(asset, 'WKL-025')).toEqual(['containers/worker/seccompProfile']);
    expect(paths(asset, 'WKL-016', trusting)).toEqual(['containers/worker/image/digest', 'containers/worker/image/registry']);
    const privileged = findings(asset).find((f) => f.ruleId === 'WKL-001');
    expect(privileged).toMatchObject({
      severity: 'high',
      // An ECS task definition is not a pod: the Kubernetes frameworks' controls are not claimed for it.
      frameworks: { 'aws-fsbp': ['ECS.4'], 'cis-docker-1.6': ['5.5'] },
      unverified: expect.arrayContaining(['cis-docker-1.6']),
    });
    for (const fw of ['k8s-pss', 'cis-k8s-1.12', 'cis-eks-1.8', 'nsa-cisa-k8s-1.2']) expect(privileged?.frameworks).not.toHaveProperty(fw);
  });

  it('name plaintext secrets without ever echoing their values', () => {
    const secrets = findings(taskDefinition(riskyTaskDefinition)).filter((f) => f.ruleId === 'WKL-006');
    expect(secrets.map((f) => f.path).sort()).toEqual(['containers/worker/env/AWS_SECRET_ACCESS_KEY', 'containers/worker/env/DATABASE_URL']);
    expect(secrets.find((f) => f.path.endsWith('DATABASE_URL'))?.evidence).toEqual({ variable: 'DATABASE_URL', matched: 'url-with-password' });
    const text = JSON.stringify(secrets);
    expect(text).not.toContain('EXAMPLEKEY');
    expect(text).not.toContain('hunter2');
  });

  it('treat absent fields as the API defaults', () => {
    const bare = withContainer({ readonlyRootFilesystem: undefined, user: undefined });
    expect(fired(bare)).toEqual(['WKL-002', 'WKL-003']);
    const efsDefault = taskDefinition({ ...hardenedTaskDefinition, volumes: [{ name: 'shared', efsVolumeConfiguration: { fileSystemId: 'fs-1' } }] });
    expect(fired(efsDefault)).toEqual(['ECS-011']);
  });

  it('judge Windows tasks by containeradministrator and not by read-only root', () => {
    const windows = { runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } };
    const admin = withContainer({ user: 'ContainerAdministrator', readonlyRootFilesystem: false }, windows);
    expect(fired(admin)).toEqual(['WKL-003']);
    expect(fired(withContainer({ user: 'ContainerUser', readonlyRootFilesystem: false }, windows))).toEqual([]);
  });

  it('flag static host ports in bridge mode (privileged ones named) but not dynamic ones or task-ENI ports in awsvpc mode', () => {
    const bridge = withContainer(
      { portMappings: [{ containerPort: 80, hostPort: 443 }, { containerPort: 8080, hostPort: 0 }, { containerPort: 9090, hostPort: 9090 }] },
      { networkMode: 'bridge' },
    );
    expect(findings(bridge).filter((f) => f.ruleId === 'WKL-004').map((f) => f.evidence)).toEqual([{ ports: [443, 9090], privileged: [443] }]);
    expect(fired(withContainer({ portMappings: [{ containerPort: 443, hostPort: 443 }] }))).toEqual([]);
  });

  it('check the registry only against a configured allow-list, the digest always', () => {
    const hub = withContainer({ image: `docker.io/library/nginx@${digest}` });
    expect(fired(hub)).toEqual([]);
    expect(paths(hub, 'WKL-016', trusting)).toEqual(['containers/web/image/registry']);
    expect(paths(withContainer({ image: `${ecr}/shop/web:1.4.2` }), 'WKL-016', trusting)).toEqual(['containers/web/image/digest']);
  });
});

// --- ECS services ------------------------------------------------------------------------------

const clusterArn = `arn:aws:ecs:eu-west-1:${account}:cluster/shop`;

const hardenedService = {
  serviceArn: `arn:aws:ecs:eu-west-1:${account}:service/shop/web`,
  serviceName: 'web',
  clusterArn,
  launchType: 'FARGATE',
  platformVersion: 'LATEST',
  platformFamily: 'Linux',
  taskDefinition: `arn:aws:ecs:eu-west-1:${account}:task-definition/web:12`,
  desiredCount: 2,
  enableExecuteCommand: true,
  networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'], assignPublicIp: 'DISABLED' } },
  status: 'ACTIVE',
};

const hardenedCluster = {
  clusterArn,
  clusterName: 'shop',
  status: 'ACTIVE',
  settings: [{ name: 'containerInsights', value: 'enhanced' }],
  configuration: {
    executeCommandConfiguration: {
      kmsKeyId: `arn:aws:kms:eu-west-1:${account}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`,
      logging: 'OVERRIDE',
      logConfiguration: { cloudWatchLogGroupName: '/ecs/exec', cloudWatchEncryptionEnabled: true },
    },
  },
};

const exposedService = {
  ...hardenedService,
  serviceArn: `arn:aws:ecs:eu-west-1:${account}:service/shop/admin`,
  serviceName: 'admin',
  platformVersion: '1.3.0',
  networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], assignPublicIp: 'ENABLED' } },
};

const laxCluster = {
  clusterArn,
  clusterName: 'shop',
  status: 'ACTIVE',
  settings: [{ name: 'containerInsights', value: 'disabled' }],
  configuration: { executeCommandConfiguration: { logging: 'NONE' } },
};

describe('ECS service rules', () => {
  it('pass a private Fargate service with governed exec on a monitored cluster', () => {
    expect(fired(normalizeService({ service: hardenedService, cluster: hardenedCluster }, ctx))).toEqual([]);
  });

  it('flag a public, outdated service; its cluster is judged on its own asset', () => {
    const asset = normalizeService({ service: exposedService, cluster: laxCluster }, ctx);
    expect(fired(asset)).toEqual(['ECS-012', 'ECS-013']);
  });

  it('judge the unmonitored cluster with ungoverned exec on the cluster asset, once for all its services', () => {
    const include = ['SETTINGS', 'CONFIGURATIONS', 'TAGS'] as const;
    const services = [exposedService, hardenedService].map((svc) => ({ serviceName: svc.serviceName, enableExecuteCommand: svc.enableExecuteCommand }));
    const lax = normalizeEcsCluster({ cluster: laxCluster, include, services }, ctx);
    expect(fired(lax)).toEqual(['ECS-014', 'ECS-015']);
    expect(paths(lax, 'ECS-015')).toEqual(['configuration/executeCommandConfiguration/kmsKeyId', 'configuration/executeCommandConfiguration/logging']);
    expect(fired(normalizeEcsCluster({ cluster: hardenedCluster, include, services }, ctx))).toEqual([]);
    // Without the services the ECS Exec question stays open; Container Insights is still judged.
    expect(fired(normalizeEcsCluster({ cluster: laxCluster, include }, ctx))).toEqual(['ECS-014']);
  });

  it('report a public task set on its own path, once', () => {
    const taskSet = { id: 'ecs-svc/1234567890123456789', networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED' } } };
    const asset = normalizeService({ service: { ...hardenedService, taskSets: [taskSet] }, cluster: hardenedCluster }, ctx);
    expect(paths(asset, 'ECS-012')).toEqual(['taskSets/ecs-svc/1234567890123456789/networkConfiguration/assignPublicIp']);
  });

  it('leave the cluster checks silent when the cluster was not collected', () => {
    expect(fired(normalizeService({ service: exposedService }, ctx))).toEqual(['ECS-012', 'ECS-013']);
  });

  it('take the newest Fargate platform version from config', async () => {
    const asset = normalizeService({ service: { ...hardenedService, platformVersion: '1.4.0' }, cluster: hardenedCluster }, ctx);
    expect(fired(asset)).toEqual([]);
    const stricter = await Engine.load({ config: parseConfig({ ecs: { fargatePlatformVersions: { linux: '1.10.0' } } }), now });
    expect(fired(asset, stricter)).toEqual(['ECS-013']);
  });
});

// --- EKS clusters ------------------------------------------------------------------------------

const issuer = 'https://oidc.eks.eu-west-1.amazonaws.com/id/5C2F8A1E0B9D4C7E6F3A2B1C0D9E8F7A';
const kmsKey = `arn:aws:kms:eu-west-1:${account}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;

const hardenedEks = {
  name: 'platform',
  arn: `arn:aws:eks:eu-west-1:${account}:cluster/platform`,
  version: '1.32',
  platformVersion: 'eks.8',
  status: 'ACTIVE',
  resourcesVpcConfig: { subnetIds: ['subnet-0a1b2c3d'], vpcId: 'vpc-0a1b2c3d', endpointPublicAccess: false, endpointPrivateAccess: true, publicAccessCidrs: [] },
  logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }] },
  identity: { oidc: { issuer } },
  encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: kmsKey } }],
  accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
  upgradePolicy: { supportType: 'STANDARD' },
  tags: { 'data-classification': 'internal' },
};

const hardenedNodegroup = {
  nodegroupName: 'general',
  clusterName: 'platform',
  version: '1.32',
  releaseVersion: '1.32.3-20250501',
  amiType: 'AL2023_x86_64_STANDARD',
  subnets: ['subnet-0a1b2c3d'],
  status: 'ACTIVE',
};

const vpcCni = (configurationValues?: string) => ({ addonName: 'vpc-cni', clusterName: 'platform', status: 'ACTIVE', addonVersion: 'v1.19.2-eksbuild.1', configurationValues });
const podIdentityAgent = { addonName: 'eks-pod-identity-agent', clusterName: 'platform', status: 'ACTIVE' };

const privateSubnet = { SubnetId: 'subnet-0a1b2c3d', AvailabilityZone: 'eu-west-1a', MapPublicIpOnLaunch: false };

/** The collector's asset from DescribeCluster plus whatever else a collector gathered for it. */
function eks(cluster: object, nodegroups?: unknown[], addons?: unknown[], more: { subnets?: unknown[]; oidcProviders?: unknown[]; podIdentityAssociations?: unknown[] } = {}): Asset {
  return normalizeEksCluster({ cluster, nodegroups, addons, ...more }, ctx);
}

const legacyEks = {
  name: 'legacy',
  arn: `arn:aws:eks:eu-west-1:${account}:cluster/legacy`,
  version: '1.29',
  resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
  logging: { clusterLogging: [{ types: ['api'], enabled: true }, { types: ['audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false }] },
  identity: { oidc: { issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000000000000000AAAA' } },
  accessConfig: { authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true },
};

describe('EKS rules', () => {
  it('pass a hardened cluster with private nodes, network policy and Pod Identity', () => {
    const asset = eks(hardenedEks, [hardenedNodegroup], [vpcCni('{"enableNetworkPolicy":"true"}'), podIdentityAgent], {
      subnets: [privateSubnet],
      podIdentityAssociations: [{ associationId: 'a-0123456789abcdef0', namespace: 'shop', serviceAccount: 'api' }],
      oidcProviders: [],
    });
    expect(fired(asset)).toEqual([]);
    const judged = engine.assess(parseAsset(asset)).outcomes;
    for (const rule of ['CLU-006', 'CLU-007', 'CLU-008']) expect(outcomeOf(judged, rule)).toBe('pass');
  });

  it('accept IRSA through a registered OIDC provider instead of Pod Identity', () => {
    const provider = { Arn: `arn:aws:iam::${account}:oidc-provider/${issuer.slice('https://'.length)}` };
    const asset = eks(hardenedEks, [hardenedNodegroup], [vpcCni('enableNetworkPolicy: "true"\n')], { subnets: [privateSubnet], podIdentityAssociations: [], oidcProviders: [provider] });
    expect(fired(asset)).toEqual([]);
  });

  it('flag every weakness of a legacy cluster', () => {
    const sshGroup = { ...hardenedNodegroup, nodegroupName: 'ssh', version: '1.28', remoteAccess: { ec2SshKey: 'ops' } };
    const asset = eks(legacyEks, [sshGroup], [vpcCni()], { podIdentityAssociations: [], oidcProviders: [] });
    expect(fired(asset)).toEqual(['CLU-001', 'CLU-002', 'CLU-003', 'CLU-004', 'CLU-005', 'CLU-006', 'CLU-008', 'EKS-006', 'EKS-009']);
    expect(paths(asset, 'CLU-005')).toEqual(['nodePools/ssh/version', 'version']);
    // Each finding names the EKS-only rule and path it had before the merge, and only that one.
    const audit = findings(asset).find((f) => f.ruleId === 'CLU-004')!;
    expect(audit).toMatchObject({ aliases: ['EKS-004'], previousFingerprints: [fingerprintOf(asset.id, 'EKS-004', 'logging/audit')] });
  });

  it('take API defaults for absent endpoint and access settings', () => {
    const bare = { name: 'bare', arn: `arn:aws:eks:eu-west-1:${account}:cluster/bare`, version: '1.32' };
    expect(fired(eks(bare))).toEqual(['CLU-001', 'CLU-002', 'CLU-003', 'CLU-004', 'EKS-006']);
  });

  it('leave checks whose inputs were not collected not evaluated, never passed: DescribeCluster alone says nothing of nodes', () => {
    const asset = eks(legacyEks);
    for (const rule of ['CLU-006', 'CLU-007', 'CLU-008', 'EKS-009']) expect(fired(asset)).not.toContain(rule);
    const outcomes = engine.assess(parseAsset(asset)).outcomes;
    for (const rule of ['CLU-006', 'CLU-007', 'CLU-008', 'EKS-009']) expect(outcomeOf(outcomes, rule)).toBe('not-evaluated');
    expect(outcomes.notEvaluated.find((n) => n.ruleId === 'CLU-007')).toMatchObject({ reason: 'input-missing', detail: 'cluster.nodePools.publicIp was not collected' });
  });

  it('flag node pools whose subnets give nodes public IPs', () => {
    const asset = eks(hardenedEks, [hardenedNodegroup], undefined, { subnets: [{ ...privateSubnet, MapPublicIpOnLaunch: true }] });
    expect(paths(asset, 'CLU-007')).toEqual(['nodePools/general/publicIp']);
  });

  it('compare versions numerically against the configured minimum', async () => {
    const asset = eks({ ...hardenedEks, version: '1.9' });
    expect(fired(asset)).toContain('CLU-005');
    const lenient = await Engine.load({ config: parseConfig({ kubernetes: { minVersion: '1.8' } }), now });
    expect(fired(asset, lenient)).not.toContain('CLU-005');
  });
});
