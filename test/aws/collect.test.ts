// `collectAws` against moto behind a loopback proxy that pages like AWS and refuses one scope:
// three accounts (the caller's, one reached by AssumeRole, one whose role refuses), two regions,
// more than 100 repositories and task-definition families, then the real Wasm engine on the result.
import { CreateAccountCommand, CreateOrganizationCommand, DescribeCreateAccountStatusCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset, ImageStoreAsset, KubernetesClusterAsset, ServiceAsset, WorkloadAsset } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import type { Finding } from '../../core/finding.ts';
import { Engine } from '../../policies/engine.ts';
import { collectAws, type AwsCollection } from '../../providers/aws/index.ts';
import { motoCredentials, startMoto, type MotoServer } from '../standins/moto.ts';
import { startAwsProxy, type AwsProxy } from './support/aws-proxy.ts';
import { isMotoGap } from './support/moto-gaps.ts';
import {
  callerAccount,
  clientsFor,
  CreateClusterCommand,
  CreateEksClusterCommand,
  CreateNodegroupCommand,
  CreateRepositoryCommand,
  createRepositories,
  CreateServiceCommand,
  expireUntagged,
  ownAccountPolicy,
  principalIn,
  publicPolicy,
  PutLifecyclePolicyCommand,
  PutReplicationConfigurationCommand,
  registerFamilies,
  RegisterTaskDefinitionCommand,
  SetRepositoryPolicyCommand,
  network,
  webContainer,
} from './support/seed.ts';

const member = '222222222222';
const refusing = '333333333333';
const regions = ['eu-west-1', 'us-east-1'];
const now = new Date('2026-06-01T00:00:00Z');
const kmsKey = `arn:aws:kms:eu-west-1:${callerAccount}:key/0b7f3c52-1111-4c1e-9d57-3b2a1f0e9a11`;

let moto: MotoServer;
let proxy: AwsProxy;
let result: AwsCollection;

const endpointsVia = (endpoint: string) => ({ sts: endpoint, ec2: endpoint, iam: endpoint, organizations: endpoint, ecr: endpoint, ecs: endpoint, eks: endpoint });
// APIs moto 5.2.5 does not implement: each is a recorded collection gap (tested in estate.test.ts, which also fills them).
const motoGap = isMotoGap;
const byId = <T extends Asset>(id: string) => result.assets.find((a) => a.id === id) as T | undefined;
const ofKind = (kind: Asset['kind'], account: string, region: string) => result.assets.filter((a) => a.kind === kind && a.account === account && a.region === region);

async function seed(): Promise<void> {
  const a = clientsFor(moto.endpoint, 'eu-west-1', motoCredentials);
  await createRepositories(a.ecr, Array.from({ length: 105 }, (_, i) => `bulk/repo-${String(i).padStart(3, '0')}`));
  await a.ecr.send(new CreateRepositoryCommand({ repositoryName: 'shop/api', tags: [{ Key: 'data-classification', Value: 'restricted' }, { Key: 'team', Value: 'shop' }] }));
  await a.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'shop/api', policyText: publicPolicy }));
  await a.ecr.send(
    new CreateRepositoryCommand({
      repositoryName: 'shop/web',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey },
      tags: [{ Key: 'data-classification', Value: 'internal' }],
    }),
  );
  await a.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'shop/web', policyText: ownAccountPolicy(callerAccount) }));
  await a.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'shop/web', lifecyclePolicyText: expireUntagged }));
  await a.ecr.send(
    new PutReplicationConfigurationCommand({
      replicationConfiguration: { rules: [{ destinations: [{ region: 'us-east-1', registryId: callerAccount }], repositoryFilters: [{ filter: 'shop/api', filterType: 'PREFIX_MATCH' }] }] },
    }),
  );

  const net = await network(a.ec2, 'eu-west-1');
  const [subnetA, subnetB] = net.subnets;
  await a.ecs.send(new CreateClusterCommand({ clusterName: 'prod', settings: [{ name: 'containerInsights', value: 'enabled' }], tags: [{ key: 'env', value: 'prod' }] }));
  await registerFamilies(a.ecs, 'bulk', 105);
  await a.ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', containerDefinitions: [webContainer()], tags: [{ key: 'app', value: 'web' }] }));
  await a.ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', containerDefinitions: [webContainer({ privileged: true })] }));
  await a.ecs.send(
    new CreateServiceCommand({
      cluster: 'prod',
      serviceName: 'web',
      taskDefinition: 'web:1',
      desiredCount: 1,
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      enableExecuteCommand: true,
      networkConfiguration: { awsvpcConfiguration: { subnets: [subnetA!], securityGroups: [net.securityGroup], assignPublicIp: 'ENABLED' } },
      tags: [{ key: 'data-classification', value: 'internal' }],
    }),
  );

  const cluster = { roleArn: `arn:aws:iam::${callerAccount}:role/eks-cluster`, resourcesVpcConfig: { subnetIds: [subnetA!, subnetB!] } };
  await a.eks.send(new CreateEksClusterCommand({ ...cluster, name: 'main', version: '1.29', tags: { team: 'platform' } }));
  await a.eks.send(new CreateNodegroupCommand({ clusterName: 'main', nodegroupName: 'ng-1', nodeRole: `arn:aws:iam::${callerAccount}:role/eks-node`, subnets: [subnetA!], amiType: 'AL2023_x86_64_STANDARD' }));
  const aUs = clientsFor(moto.endpoint, 'us-east-1', motoCredentials);
  await aUs.eks.send(
    new CreateEksClusterCommand({
      ...cluster,
      name: 'private',
      version: '1.31',
      resourcesVpcConfig: { ...cluster.resourcesVpcConfig, endpointPublicAccess: false, endpointPrivateAccess: true },
      logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] },
      encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: `arn:aws:kms:us-east-1:${callerAccount}:key/5d1f0c9e-2222-4b8a-8e0a-6f7e8d9c0b1a` } }],
    }),
  );

  const b = await principalIn(moto.endpoint, member);
  const bEu = clientsFor(moto.endpoint, 'eu-west-1', b);
  await bEu.ecr.send(new CreateRepositoryCommand({ repositoryName: 'payments/api', tags: [{ Key: 'data-classification', Value: 'pii' }] }));
  await bEu.ecs.send(new RegisterTaskDefinitionCommand({ family: 'payments', containerDefinitions: [webContainer({ name: 'payments' })] }));
  const bUs = clientsFor(moto.endpoint, 'us-east-1', b);
  await bUs.ecr.send(new CreateRepositoryCommand({ repositoryName: 'hidden/by-denial' }));
  await bUs.ecs.send(new RegisterTaskDefinitionCommand({ family: 'b-us', containerDefinitions: [webContainer({ name: 'b' })] }));
}

beforeAll(async () => {
  moto = await startMoto();
  await seed();
  proxy = await startAwsProxy({ target: moto.endpoint, deny: [{ account: member, region: 'us-east-1', service: 'ecr' }], denyAssumeRoleInto: [refusing] });
  result = await collectAws({
    settings: { accounts: [callerAccount, member, refusing], regions, homeRegion: 'eu-west-1', endpoints: endpointsVia(proxy.endpoint), imagesPerRepository: 0, externalId: 'posture-ext-id' },
    credentials: motoCredentials,
    now,
  });
});

afterAll(async () => {
  await proxy?.stop();
  await moto?.stop();
});

describe('collectAws across accounts and regions', () => {
  it('reads every repository and task-definition family past the first page', () => {
    const repos = ofKind('registry', callerAccount, 'eu-west-1').filter((r) => r.id.includes('/ecr/repository/'));
    expect(repos).toHaveLength(107);
    expect(repos.map((r) => r.id)).toContain(`aws://${callerAccount}/eu-west-1/ecr/repository/bulk/repo-104`);
    const families = new Set(ofKind('workload', callerAccount, 'eu-west-1').map((w) => (w as WorkloadAsset).workload.name));
    expect(families.size).toBe(106); // 105 bulk families + web
    expect(families.has('bulk-104')).toBe(true);
    // The proxy served more than one page, so these counts can only come from following nextToken.
    expect(proxy.pages.get(`${callerAccount}/eu-west-1/DescribeRepositories`)).toBe(2);
    expect(proxy.pages.get(`${callerAccount}/eu-west-1/ListTaskDefinitionFamilies`)).toBe(2);
  });

  it('normalizes ECR repositories with policy, lifecycle, replication and tags', () => {
    const api = byId<ImageStoreAsset>(`aws://${callerAccount}/eu-west-1/ecr/repository/shop/api`)!;
    expect(api).toMatchObject({ provider: 'aws', account: callerAccount, region: 'eu-west-1', jurisdiction: 'EU', collectedAt: now.toISOString() });
    expect(api.tags).toEqual({ 'data-classification': 'restricted', team: 'shop' });
    expect(api.registry).toMatchObject({ scanOnPush: false, tagImmutable: false, publicAccess: true, lifecyclePolicy: false, replicaLocations: ['us-east-1'], encryption: { type: 'AES256', keyId: null } });
    expect(api.registry.uri).toBe(`${callerAccount}.dkr.ecr.eu-west-1.amazonaws.com/shop/api`);
    expect(api.raw).toMatchObject({ policyText: publicPolicy, lifecyclePolicyText: null, scanningConfiguration: { scanType: 'BASIC' } });

    const web = byId<ImageStoreAsset>(`aws://${callerAccount}/eu-west-1/ecr/repository/shop/web`)!;
    expect(web.registry).toMatchObject({ scanOnPush: true, tagImmutable: true, publicAccess: false, lifecyclePolicy: true, replicaLocations: [], encryption: { type: 'KMS', keyId: kmsKey } });
    expect(web.tags).toEqual({ 'data-classification': 'internal' });
  });

  it('collects ECS services with their cluster, and both the running and the newest task-definition revision', () => {
    const svc = byId<ServiceAsset>(`aws://${callerAccount}/eu-west-1/ecs/service/prod/web`)!;
    // moto 5.2 does not keep enableExecuteCommand, so execCommand is not asserted here.
    expect(svc.service).toMatchObject({ name: 'web', cluster: 'prod', launchType: 'FARGATE', publicIp: true });
    expect(svc.service.taskDefinition).toMatch(/task-definition\/web:1$/);
    expect(svc.tags).toEqual({ 'data-classification': 'internal' });
    expect((svc.raw.cluster as { settings?: unknown }).settings).toEqual([{ name: 'containerInsights', value: 'enabled' }]);

    const running = byId<WorkloadAsset>(`aws://${callerAccount}/eu-west-1/ecs/task-definition/web:1`)!;
    const newest = byId<WorkloadAsset>(`aws://${callerAccount}/eu-west-1/ecs/task-definition/web:2`)!;
    expect(running.workload.containers[0]!.privileged).toBe(false);
    expect(running.tags).toEqual({ app: 'web' });
    expect(newest.workload.containers[0]!.privileged).toBe(true);
    expect(newest.workload).toMatchObject({ networkMode: 'awsvpc', compatibilities: ['FARGATE'], revision: 2 });
  });

  it('collects EKS clusters with node groups; add-ons moto cannot answer are a recorded gap, not a lost cluster', () => {
    const main = byId<KubernetesClusterAsset>(`aws://${callerAccount}/eu-west-1/eks/cluster/main`)!;
    expect(main.cluster).toMatchObject({ distribution: 'eks', version: '1.29', endpoint: { public: true, allowedCidrs: ['0.0.0.0/0'] }, auditLogging: false });
    expect(main.cluster.nodePools!.map((n) => n.name)).toEqual(['ng-1']);
    expect(main.tags).toEqual({ team: 'platform' });
    expect(main.raw).not.toHaveProperty('addons');
    expect(result.errors).toContainEqual({ scope: `aws/${callerAccount}/eu-west-1/eks/cluster/main/addons`, message: expect.stringMatching(/HTTP 404/) });

    const priv = byId<KubernetesClusterAsset>(`aws://${callerAccount}/us-east-1/eks/cluster/private`)!;
    expect(priv.cluster).toMatchObject({ endpoint: { public: false, private: true, allowedCidrs: [] }, auditLogging: true, secretsEncryption: { enabled: true } });
    expect(priv.jurisdiction).toBe('US');
  });

  it('reaches the member account through AssumeRole and keeps its assets apart', () => {
    const payments = byId<ImageStoreAsset>(`aws://${member}/eu-west-1/ecr/repository/payments/api`)!;
    expect(payments.tags).toEqual({ 'data-classification': 'pii' });
    expect(byId(`aws://${member}/eu-west-1/ecs/task-definition/payments:1`)).toBeDefined();
    expect(byId(`aws://${member}/us-east-1/ecs/task-definition/b-us:1`)).toBeDefined();
    expect(result.assets.filter((a) => a.account === member && a.kind === 'registry').map((a) => a.id)).toEqual([`aws://${member}/eu-west-1/ecr/registry`, payments.id]);
  });

  it('records a refused scope and a refused role as errors while everything else is collected', () => {
    const denied = result.errors.find((e) => e.scope === `aws/${member}/us-east-1/ecr`);
    expect(denied?.message).toMatch(/^access denied \(AccessDeniedException\): User: .* is not authorized to perform: ecr:DescribeRepositories/);
    const role = result.errors.find((e) => e.scope === `aws/${refusing}`);
    expect(role?.message).toMatch(/^access denied \(AccessDenied\): .*sts:AssumeRole/);
    expect(result.assets.some((a) => a.account === refusing)).toBe(false);
    // Registry settings in the refused scope fail the same way; no other scope reports anything but moto's gaps.
    const unexpected = result.errors.filter((e) => !e.scope.startsWith(`aws/${member}/us-east-1/ecr`) && e.scope !== `aws/${refusing}` && !motoGap(e.scope));
    expect(unexpected).toEqual([]);
  });

  it('feeds the real policy engine: public endpoint, public IP, privileged container, replication outside the EU', async () => {
    const engine = await Engine.load({ config: parseConfig({}), now });
    const ruleFor = (framework: string, control: string) => {
      const rule = engine.catalog.find((r) => (r.frameworks as Record<string, string[] | undefined>)[framework]?.includes(control));
      if (!rule) throw new Error(`no rule maps to ${framework} ${control}`);
      return rule.id;
    };
    const findingsOf = (id: string): Finding[] => engine.evaluate(byId(id)!);
    const ruleIds = (id: string) => new Set(findingsOf(id).map((f) => f.ruleId));

    const eks1 = ruleFor('aws-fsbp', 'EKS.1');
    expect(ruleIds(`aws://${callerAccount}/eu-west-1/eks/cluster/main`).has(eks1)).toBe(true);
    expect(ruleIds(`aws://${callerAccount}/us-east-1/eks/cluster/private`).has(eks1)).toBe(false);

    const ecs2 = ruleFor('aws-fsbp', 'ECS.2');
    expect(ruleIds(`aws://${callerAccount}/eu-west-1/ecs/service/prod/web`).has(ecs2)).toBe(true);

    const ecs4 = ruleFor('aws-fsbp', 'ECS.4');
    expect(ruleIds(`aws://${callerAccount}/eu-west-1/ecs/task-definition/web:2`).has(ecs4)).toBe(true);
    expect(ruleIds(`aws://${callerAccount}/eu-west-1/ecs/task-definition/web:1`).has(ecs4)).toBe(false);

    const replication = findingsOf(`aws://${callerAccount}/eu-west-1/ecr/repository/shop/api`).find((f) => f.ruleId === 'DR-004');
    expect(replication).toMatchObject({ path: 'replication/regions/us-east-1', evidence: { region: 'us-east-1', jurisdiction: 'US', class: 'restricted' } });
    expect(findingsOf(`aws://${callerAccount}/eu-west-1/ecr/repository/shop/web`).some((f) => f.ruleId === 'DR-004')).toBe(false);
  });
});

describe('collectAws settings and discovery', () => {
  it('reads every region the account has enabled when none is configured, and skips opt-in regions it has not', async () => {
    const discovery = await startAwsProxy({ target: moto.endpoint });
    try {
      const out = await collectAws({
        settings: { services: ['eks'], homeRegion: 'eu-west-1', endpoints: endpointsVia(discovery.endpoint), concurrency: { requests: 8, scopes: 8 } },
        credentials: motoCredentials,
        now,
      });
      expect(out.assets.map((a) => a.id)).toEqual([`aws://${callerAccount}/eu-west-1/eks/cluster/main`, `aws://${callerAccount}/us-east-1/eks/cluster/private`]);
      expect(discovery.regionsSeen.has('eu-north-1')).toBe(true); // enabled by default, so it was read
      expect(discovery.regionsSeen.has('ap-east-1')).toBe(false); // opt-in region the account never enabled
      expect(out.errors.every((e) => motoGap(e.scope))).toBe(true);
    } finally {
      await discovery.stop();
    }
  });

  it('rejects invalid settings with the offending key named', async () => {
    await expect(collectAws({ settings: { accounts: ['12345'] }, credentials: motoCredentials })).rejects.toThrow(/aws settings are invalid:\n {2}accounts\.0: an AWS account id is 12 digits/);
    await expect(collectAws({ regions: ['eu west 1'], credentials: motoCredentials })).rejects.toThrow(/regions\.0: an AWS region name looks like eu-west-1/);
  });

  it('fails fast, naming STS, when the caller identity cannot be read', async () => {
    const closed = 'http://127.0.0.1:9'; // discard port: nothing listens on loopback
    await expect(
      collectAws({ settings: { homeRegion: 'eu-west-1', endpoints: endpointsVia(closed), maxAttempts: 1 }, credentials: motoCredentials }),
    ).rejects.toThrow(/cannot read the caller's AWS identity \(STS GetCallerIdentity in eu-west-1\)/);
  });

  it('adds every ACTIVE account of the organization when asked, reaching each through AssumeRole, within the request bound', async () => {
    const org = new OrganizationsClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: motoCredentials });
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const created = await org.send(new CreateAccountCommand({ AccountName: 'analytics', Email: 'analytics@example.invalid' }));
    const status = await org.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus!.Id! }));
    const analytics = status.CreateAccountStatus!.AccountId!;
    const seeded = clientsFor(moto.endpoint, 'eu-west-1', await principalIn(moto.endpoint, analytics));
    await seeded.ecr.send(new CreateRepositoryCommand({ repositoryName: 'analytics/etl' }));

    const counting = await startAwsProxy({ target: moto.endpoint });
    const out = await collectAws({
      settings: {
        organizations: true,
        services: ['ecr'],
        regions: ['eu-west-1'],
        homeRegion: 'eu-west-1',
        endpoints: endpointsVia(counting.endpoint),
        imagesPerRepository: 0,
        concurrency: { requests: 3, scopes: 2 },
      },
      credentials: motoCredentials,
      now,
    }).finally(() => counting.stop());
    // Over a hundred repositories, each with three calls, never more than three requests at once.
    expect(counting.maxInFlight()).toBeLessThanOrEqual(3);
    expect(counting.maxInFlight()).toBeGreaterThanOrEqual(2);
    expect(out.errors.filter((e) => !motoGap(e.scope))).toEqual([]);
    expect(out.assets.map((a) => a.id)).toContain(`aws://${analytics}/eu-west-1/ecr/repository/analytics/etl`);
    expect(new Set(out.assets.map((a) => a.account))).toEqual(new Set([callerAccount, analytics]));
  });

  it('reports a region the account has not enabled once per service and still reads the enabled one', async () => {
    const optIn = await startAwsProxy({ target: moto.endpoint, deny: [{ account: callerAccount, region: 'ap-east-1', service: '*', answer: 'region-not-enabled' }] });
    try {
      const out = await collectAws({
        settings: { regions: ['eu-west-1', 'ap-east-1'], services: ['ecs', 'eks'], homeRegion: 'eu-west-1', endpoints: endpointsVia(optIn.endpoint), maxAttempts: 2 },
        credentials: motoCredentials,
        now,
      });
      const optInErrors = out.errors.filter((e) => e.scope.includes('/ap-east-1/'));
      expect(optInErrors.map((e) => e.scope).sort()).toEqual([`aws/${callerAccount}/ap-east-1/ecs`, `aws/${callerAccount}/ap-east-1/eks`]);
      for (const e of optInErrors) expect(e.message).toMatch(/^UnrecognizedClientException: The security token included in the request is invalid\. \(is the region enabled for this account\?\)$/);
      expect(out.assets.some((a) => a.id === `aws://${callerAccount}/eu-west-1/ecs/service/prod/web`)).toBe(true);
      expect(out.assets.some((a) => a.region === 'ap-east-1')).toBe(false);
    } finally {
      await optIn.stop();
    }
  });

  it('rides out throttling with adaptive retries: nothing lost, nothing reported', async () => {
    const throttling = await startAwsProxy({ target: moto.endpoint, throttle: { GetRepositoryPolicy: 4, ListTagsForResource: 2 } });
    try {
      const out = await collectAws({
        settings: { regions: ['eu-west-1'], services: ['ecr'], homeRegion: 'eu-west-1', endpoints: endpointsVia(throttling.endpoint), imagesPerRepository: 0 },
        credentials: motoCredentials,
        now,
      });
      expect(throttling.throttled.get('GetRepositoryPolicy')).toBe(4);
      expect(throttling.throttled.get('ListTagsForResource')).toBe(2);
      expect(out.errors.filter((e) => !motoGap(e.scope))).toEqual([]);
      expect(out.assets.filter((a) => a.kind === 'registry' && a.id.includes('/ecr/repository/'))).toHaveLength(107);
      const api = out.assets.find((a): a is ImageStoreAsset => a.id === `aws://${callerAccount}/eu-west-1/ecr/repository/shop/api`);
      expect(api?.registry.publicAccess).toBe(true);
    } finally {
      await throttling.stop();
    }
  });
});
