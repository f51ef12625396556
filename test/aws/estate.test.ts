// The ECS cluster, ECR registry and EKS additions against moto, through the real SDK clients and the real
// Wasm engine. The estate is planted with one misconfigured and one hardened example of each new input:
//  - ECS: an idle cluster without Container Insights; a cluster whose services allow ECS Exec with session
//    logging off and no KMS key; a governed cluster.
//  - ECR: a registry (eu-west-1) scanning only some repositories, with a public registry policy and a
//    Docker Hub pull-through cache rule; a registry (us-east-1) scanning everything continuously.
//  - EKS: a cluster (eu-west-1) with nodes in a subnet that maps public IPs, a VPC CNI without network
//    policy, no IRSA provider or pod identity, deletion protection off; a hardened cluster (us-east-1).
// moto 5.2.5 lacks some of the APIs read here (EKS add-ons and pod identity associations, the EKS
// deletionProtection field, ECS enableExecuteCommand, ECR pull-through cache rules). Collected straight
// from moto, each is a recorded gap whose normalized field stays null: not evaluated, never passed.
// Collected through the gap fill (support/moto-gaps.ts, answers written from the API references),
// every planted misconfiguration fires.
import { CreateCapacityProviderCommand, CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateAddonCommand, CreateClusterCommand as CreateEksClusterCommand, CreateNodegroupCommand, CreatePodIdentityAssociationCommand, DescribeClusterCommand } from '@aws-sdk/client-eks';
import { CreatePullThroughCacheRuleCommand, PutRegistryPolicyCommand, PutRegistryScanningConfigurationCommand } from '@aws-sdk/client-ecr';
import { CreateSubnetCommand, CreateVpcCommand, ModifySubnetAttributeCommand } from '@aws-sdk/client-ec2';
import { CreateOpenIDConnectProviderCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset, EcrRegistryAsset, EcsClusterAsset, KubernetesClusterAsset } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import { outcomeOf } from '../../core/outcomes.ts';
import { Engine } from '../../policies/engine.ts';
import { collectAws, type AwsCollection } from '../../providers/aws/index.ts';
import { awsReadActions } from '../../providers/aws/permissions.ts';
import { motoCredentials, startMoto, type MotoServer } from '../standins/moto.ts';
import { startAwsProxy, type AwsProxy } from './support/aws-proxy.ts';
import { MotoGaps } from './support/moto-gaps.ts';
import { callerAccount as account, clientsFor, webContainer } from './support/seed.ts';

const now = new Date('2026-06-01T00:00:00Z');
const kmsKey = `arn:aws:kms:eu-west-1:${account}:key/0b7f3c52-1111-4c1e-9d57-3b2a1f0e9a11`;
const endpointsVia = (endpoint: string) => ({ sts: endpoint, ec2: endpoint, iam: endpoint, organizations: endpoint, ecr: endpoint, ecs: endpoint, eks: endpoint });

let moto: MotoServer;
let filled: AwsProxy;
let bare: AwsProxy;
let withGaps: AwsCollection;
let straight: AwsCollection;
let engine: Engine;

async function seedEcs(endpoint: string): Promise<void> {
  const { ecs } = clientsFor(endpoint, 'eu-west-1', motoCredentials);
  await ecs.send(new CreateClusterCommand({ clusterName: 'idle' }));
  await ecs.send(
    new CreateCapacityProviderCommand({
      name: 'asg-unprotected',
      autoScalingGroupProvider: { autoScalingGroupArn: `arn:aws:autoscaling:eu-west-1:${account}:autoScalingGroup:6d0e7c1a-1111-4a2b-9c3d-0e1f2a3b4c5d:autoScalingGroupName/ecs-asg`, managedTerminationProtection: 'DISABLED' },
    }),
  );
  await ecs.send(
    new CreateClusterCommand({
      clusterName: 'shell',
      settings: [{ name: 'containerInsights', value: 'enhanced' }],
      configuration: { executeCommandConfiguration: { logging: 'NONE' } },
      capacityProviders: ['FARGATE', 'asg-unprotected'],
    }),
  );
  await ecs.send(
    new CreateClusterCommand({
      clusterName: 'governed',
      settings: [{ name: 'containerInsights', value: 'enabled' }],
      configuration: { executeCommandConfiguration: { kmsKeyId: kmsKey, logging: 'OVERRIDE', logConfiguration: { cloudWatchLogGroupName: '/ecs/exec', cloudWatchEncryptionEnabled: true } } },
    }),
  );
  await ecs.send(new RegisterTaskDefinitionCommand({ family: 'ops', containerDefinitions: [webContainer({ name: 'ops', user: '1000', readonlyRootFilesystem: true })] }));
  for (const cluster of ['shell', 'governed']) {
    await ecs.send(new CreateServiceCommand({ cluster, serviceName: 'ops', taskDefinition: 'ops:1', desiredCount: 1, launchType: 'EC2', enableExecuteCommand: true }));
  }
}

async function seedEcr(endpoint: string): Promise<void> {
  const eu = clientsFor(endpoint, 'eu-west-1', motoCredentials).ecr;
  await eu.send(new PutRegistryScanningConfigurationCommand({ scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'prod-*', filterType: 'WILDCARD' }] }] }));
  await eu.send(
    new PutRegistryPolicyCommand({
      policyText: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'ReplicateFromAnyone', Effect: 'Allow', Principal: '*', Action: ['ecr:ReplicateImage', 'ecr:CreateRepository'], Resource: '*' }] }),
    }),
  );
  await eu.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io', upstreamRegistry: 'docker-hub', credentialArn: `arn:aws:secretsmanager:eu-west-1:${account}:secret:ecr-pullthroughcache/docker-hub-AbCdEf` }));
  await eu.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io', upstreamRegistry: 'quay' }));
  const us = clientsFor(endpoint, 'us-east-1', motoCredentials).ecr;
  await us.send(new PutRegistryScanningConfigurationCommand({ scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] }));
  await us.send(
    new PutRegistryPolicyCommand({
      policyText: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'OwnAccount', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ['ecr:ReplicateImage'], Resource: '*' }] }),
    }),
  );
}

async function seedEks(endpoint: string): Promise<void> {
  const roleArn = `arn:aws:iam::${account}:role/eks-cluster`;
  const nodeRole = `arn:aws:iam::${account}:role/eks-node`;
  for (const [region, name, hardened] of [
    ['eu-west-1', 'exposed', false],
    ['us-east-1', 'guarded', true],
  ] as const) {
    const { ec2, eks } = clientsFor(endpoint, region, motoCredentials);
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16' }));
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.30.1.0/24', AvailabilityZone: `${region}a` }));
    const other = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.30.2.0/24', AvailabilityZone: `${region}b` }));
    if (!hardened) await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnet.Subnet!.SubnetId!, MapPublicIpOnLaunch: { Value: true } }));
    const subnetIds = [subnet.Subnet!.SubnetId!, other.Subnet!.SubnetId!];
    await eks.send(new CreateEksClusterCommand({ name, roleArn, resourcesVpcConfig: { subnetIds }, version: '1.32', ...(hardened ? { deletionProtection: true } : {}) }));
    await eks.send(new CreateNodegroupCommand({ clusterName: name, nodegroupName: 'general', nodeRole, subnets: subnetIds }));
    await eks.send(new CreateAddonCommand({ clusterName: name, addonName: 'vpc-cni', ...(hardened ? { configurationValues: '{"enableNetworkPolicy":"true"}' } : {}) }));
    if (hardened) {
      await eks.send(new CreateAddonCommand({ clusterName: name, addonName: 'eks-pod-identity-agent' }));
      await eks.send(new CreatePodIdentityAssociationCommand({ clusterName: name, namespace: 'shop', serviceAccount: 'api', roleArn: `arn:aws:iam::${account}:role/shop-api` }));
      const issuer = (await eks.send(new DescribeClusterCommand({ name }))).cluster!.identity!.oidc!.issuer!;
      const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials: motoCredentials });
      await iam.send(new CreateOpenIDConnectProviderCommand({ Url: issuer, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'] }));
    }
  }
}

const collect = (proxy: AwsProxy) =>
  collectAws({
    settings: { accounts: [account], regions: ['eu-west-1', 'us-east-1'], homeRegion: 'us-east-1', endpoints: endpointsVia(proxy.endpoint), imagesPerRepository: 0 },
    credentials: motoCredentials,
    now,
  });

beforeAll(async () => {
  moto = await startMoto();
  filled = await startAwsProxy({ target: moto.endpoint, gaps: new MotoGaps() });
  bare = await startAwsProxy({ target: moto.endpoint });
  // Seeded through the fill, so it keeps what moto drops; moto keeps the rest.
  await seedEcs(filled.endpoint);
  await seedEcr(filled.endpoint);
  await seedEks(filled.endpoint);
  [withGaps, straight] = await Promise.all([collect(filled), collect(bare)]);
  engine = await Engine.load({ config: parseConfig({ image: { trustedRegistries: ['quay.io', '*.dkr.ecr.*.amazonaws.com'] } }), now });
}, 240_000);

afterAll(async () => {
  await filled?.stop();
  await bare?.stop();
  await moto?.stop();
});

const find = <T extends Asset>(c: AwsCollection, id: string) => {
  const asset = c.assets.find((a) => a.id === id);
  if (!asset) throw new Error(`no asset ${id} in ${c.assets.map((a) => a.id).join(', ')}`);
  return asset as T;
};
const fired = (asset: Asset, rule: string) =>
  engine
    .evaluate(asset)
    .filter((f) => f.ruleId === rule)
    .map((f) => f.path)
    .sort();

/** The outcome of one rule on one asset, and why when it was not evaluated. */
const outcome = (asset: Asset, rule: string) => {
  const outcomes = engine.assess(asset).outcomes;
  const why = outcomes.notEvaluated.find((n) => n.ruleId === rule);
  return why ? `${outcomeOf(outcomes, rule)} (${why.reason}: ${why.detail})` : outcomeOf(outcomes, rule);
};

const ecsCluster = (c: AwsCollection, name: string) => find<EcsClusterAsset>(c, `aws://${account}/eu-west-1/ecs/cluster/${name}`);
const ecrRegistry = (c: AwsCollection, region: string) => find<EcrRegistryAsset>(c, `aws://${account}/${region}/ecr/registry`);
const exposed = (c: AwsCollection) => find<KubernetesClusterAsset>(c, `aws://${account}/eu-west-1/eks/cluster/exposed`);
const guarded = (c: AwsCollection) => find<KubernetesClusterAsset>(c, `aws://${account}/us-east-1/eks/cluster/guarded`);

describe('ECS clusters as assets', () => {
  it('collects every cluster, with or without services, with its settings, configuration and capacity providers', () => {
    const idle = ecsCluster(withGaps, 'idle');
    expect(idle.cluster).toMatchObject({ distribution: 'ecs', name: 'idle', containerInsights: 'disabled', activeServices: 0, execEnabledServices: [], capacityProviders: [] });
    expect(idle.cluster.executeCommand).toEqual({ logging: 'DEFAULT', kmsKeyId: null, cloudWatchLogGroup: null, cloudWatchEncryption: false, s3Bucket: null, s3Encryption: false });
    const shell = ecsCluster(withGaps, 'shell');
    expect(shell.cluster.capacityProviders).toEqual([
      { name: 'FARGATE', fargate: true, managedTerminationProtection: null, managedScaling: null },
      { name: 'asg-unprotected', fargate: false, managedTerminationProtection: false, managedScaling: false },
    ]);
    expect(shell.cluster.execEnabledServices).toEqual(['ops']);
  });

  it('judges Container Insights on the cluster, empty clusters included (ECS-014)', () => {
    expect(fired(ecsCluster(withGaps, 'idle'), 'ECS-014')).toEqual(['settings/containerInsights']);
    expect(fired(ecsCluster(withGaps, 'shell'), 'ECS-014')).toEqual([]);
    expect(fired(ecsCluster(withGaps, 'governed'), 'ECS-014')).toEqual([]);
    // The service rules no longer carry the cluster judgement.
    const service = find(withGaps, `aws://${account}/eu-west-1/ecs/service/shell/ops`);
    expect(engine.evaluate(service).map((f) => f.ruleId)).not.toContain('ECS-014');
  });

  it('flags a cluster whose services allow ECS Exec without session logging or a KMS key (ECS-015), once per cluster', () => {
    expect(fired(ecsCluster(withGaps, 'shell'), 'ECS-015')).toEqual(['configuration/executeCommandConfiguration/kmsKeyId', 'configuration/executeCommandConfiguration/logging']);
    expect(fired(ecsCluster(withGaps, 'governed'), 'ECS-015')).toEqual([]);
    expect(fired(ecsCluster(withGaps, 'idle'), 'ECS-015')).toEqual([]);
  });

  it('straight from moto, which drops enableExecuteCommand, leaves the ECS Exec question open rather than passed', () => {
    expect(ecsCluster(straight, 'shell').cluster.execEnabledServices).toBeNull();
    expect(fired(ecsCluster(straight, 'shell'), 'ECS-015')).toEqual([]);
    expect(outcome(ecsCluster(straight, 'shell'), 'ECS-015')).toBe('not-evaluated (input-missing: cluster.execEnabledServices was not collected)');
    expect(outcome(ecsCluster(withGaps, 'shell'), 'ECS-015')).toBe('fail');
    expect(outcome(ecsCluster(withGaps, 'governed'), 'ECS-015')).toBe('pass');
    expect(ecsCluster(straight, 'idle').cluster.execEnabledServices).toEqual([]);
    expect(fired(ecsCluster(straight, 'idle'), 'ECS-014')).toEqual(['settings/containerInsights']);
  });
});

describe('the ECR registry as an asset', () => {
  it('normalizes scanning, replication, pull-through cache rules and the registry policy', () => {
    const eu = ecrRegistry(withGaps, 'eu-west-1');
    expect(eu.registry).toMatchObject({
      service: 'ecr-registry',
      name: account,
      uri: `${account}.dkr.ecr.eu-west-1.amazonaws.com`,
      scanning: { type: 'BASIC', coversAllRepositories: false, rules: [{ frequency: 'SCAN_ON_PUSH', filters: [{ filter: 'prod-*', type: 'WILDCARD' }] }] },
      pullThroughCache: [
        { prefix: 'docker-hub', upstream: 'docker.io', upstreamPrefix: null, credentialArn: expect.stringContaining('secret:ecr-pullthroughcache/docker-hub') },
        { prefix: 'quay', upstream: 'quay.io', upstreamPrefix: null, credentialArn: null },
      ],
      policy: { present: true, public: true, accounts: [] },
    });
    expect(ecrRegistry(withGaps, 'us-east-1').registry).toMatchObject({ scanning: { type: 'ENHANCED', coversAllRepositories: true }, policy: { present: true, public: false, accounts: [] }, pullThroughCache: [] });
  });

  it('reports a registry only where it is in use (repositories, pull-through cache, replication or a policy)', async () => {
    // eu-central-1 was never touched: its registry has default settings and nothing in it.
    const unused = await collectAws({
      settings: { accounts: [account], regions: ['eu-central-1'], services: ['ecr'], homeRegion: 'us-east-1', endpoints: endpointsVia(filled.endpoint), imagesPerRepository: 0 },
      credentials: motoCredentials,
      now,
    });
    expect(unused.assets).toEqual([]);
    expect(unused.errors).toEqual([]);
  });

  it('fires REG-011, REG-012 and REG-013 on the planted registry and nothing on the hardened one', () => {
    const eu = ecrRegistry(withGaps, 'eu-west-1');
    expect(fired(eu, 'REG-011')).toEqual(['scanning/rules']);
    expect(fired(eu, 'REG-012')).toEqual(['pullThroughCache/docker-hub']);
    expect(fired(eu, 'REG-013')).toEqual(['policy/public']);
    const us = ecrRegistry(withGaps, 'us-east-1');
    expect(engine.evaluate(us).map((f) => f.ruleId)).toEqual([]);
  });

  it('straight from moto, which lacks pull-through cache rules, records the gap and judges the rest', () => {
    const eu = ecrRegistry(straight, 'eu-west-1');
    expect(eu.registry.pullThroughCache).toBeNull();
    expect(eu.raw).not.toHaveProperty('pullThroughCacheRules');
    expect(straight.errors).toContainEqual({ scope: `aws/${account}/eu-west-1/ecr/registry/pull-through-cache-rules`, message: expect.any(String) });
    expect(fired(eu, 'REG-012')).toEqual([]);
    expect(outcome(eu, 'REG-012')).toMatch(/^not-evaluated \(collection-error: registry\.pullThroughCache: /);
    expect(outcome(ecrRegistry(withGaps, 'eu-west-1'), 'REG-012')).toBe('fail');
    expect(fired(eu, 'REG-011')).toEqual(['scanning/rules']);
    expect(fired(eu, 'REG-013')).toEqual(['policy/public']);
  });
});

describe('EKS additions', () => {
  it('resolves node-group subnets, IRSA providers, pod identity, add-ons and deletion protection into normalized fields', () => {
    const bad = exposed(withGaps).cluster;
    expect(bad.nodePools).toEqual([expect.objectContaining({ name: 'general', publicIp: true, locations: ['eu-west-1a', 'eu-west-1b'] })]);
    expect(bad).toMatchObject({ networkPolicy: false, workloadIdentity: false, deletionProtection: false });
    const good = guarded(withGaps).cluster;
    expect(good.nodePools).toEqual([expect.objectContaining({ publicIp: false, locations: ['us-east-1a', 'us-east-1b'] })]);
    expect(good).toMatchObject({ networkPolicy: true, workloadIdentity: true, deletionProtection: true });
    expect(guarded(withGaps).raw.oidcProviders).toEqual([{ Arn: expect.stringMatching(/^arn:aws:iam::123456789012:oidc-provider\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\//) }]);
    // IAM is global: one listing for the account, whatever the number of regions and clusters.
    expect(exposed(withGaps).raw.oidcProviders).toEqual([]);
  });

  it('fires CLU-006 (network policy), CLU-007 (private nodes), CLU-008 (workload identity) and EKS-011 on the planted cluster and none on the hardened one', () => {
    const bad = exposed(withGaps);
    expect(fired(bad, 'CLU-006')).toEqual(['networkPolicy']);
    expect(fired(bad, 'CLU-007')).toEqual(['nodePools/general/publicIp']);
    expect(fired(bad, 'CLU-008')).toEqual(['workloadIdentity']);
    expect(fired(bad, 'EKS-011')).toEqual(['deletionProtection']);
    const good = guarded(withGaps);
    for (const rule of ['CLU-006', 'CLU-007', 'CLU-008', 'EKS-011']) expect(fired(good, rule)).toEqual([]);
  });

  it('straight from moto, records each missing API as a gap and leaves its inputs unjudged; subnets and IRSA still count', () => {
    const bad = exposed(straight);
    for (const part of ['addons', 'pod-identity-associations']) {
      expect(straight.errors).toContainEqual({ scope: `aws/${account}/eu-west-1/eks/cluster/exposed/${part}`, message: expect.stringMatching(/HTTP 404/) });
    }
    expect(bad.raw).not.toHaveProperty('addons');
    expect(bad.raw).not.toHaveProperty('podIdentityAssociations');
    expect(bad.cluster).toMatchObject({ networkPolicy: null, workloadIdentity: null, deletionProtection: null });
    for (const rule of ['CLU-006', 'CLU-008', 'EKS-011']) expect(fired(bad, rule)).toEqual([]);
    // Not evaluated, never passed: each says why.
    expect(outcome(bad, 'CLU-006')).toMatch(/^not-evaluated \(collection-error: cluster\.networkPolicy: .*HTTP 404/);
    expect(outcome(bad, 'CLU-008')).toMatch(/^not-evaluated \(collection-error: cluster\.workloadIdentity: .*HTTP 404/);
    expect(outcome(bad, 'EKS-011')).toBe('not-evaluated (input-missing: cluster.deletionProtection was not collected)');
    expect(bad.collectionErrors?.map((e) => e.input).sort()).toEqual(['cluster.networkPolicy', 'cluster.workloadIdentity', 'raw.addons', 'raw.podIdentityAssociations']);
    expect(fired(bad, 'CLU-007')).toEqual(['nodePools/general/publicIp']);
    // IRSA alone settles workload identity, whatever pod identity would have said.
    expect(guarded(straight).cluster.workloadIdentity).toBe(true);
  });
});

describe('what the collectors call', () => {
  it('stays within the read actions granted to the worker (and to member-account scan roles)', () => {
    const granted = new Set<string>([...awsReadActions, 'sts:GetCallerIdentity', 'sts:AssumeRole']);
    // Only the collector spoke through `bare` (seeding went through the fill); moto's gaps were still called.
    const reads = [...bare.actions];
    expect(reads.filter((a) => !granted.has(a))).toEqual([]);
    for (const needed of ['ecs:DescribeCapacityProviders', 'ecr:GetRegistryPolicy', 'ecr:DescribePullThroughCacheRules', 'eks:ListPodIdentityAssociations', 'ec2:DescribeSubnets', 'iam:ListOpenIDConnectProviders']) {
      expect(reads).toContain(needed);
    }
  });
});
