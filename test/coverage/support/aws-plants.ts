// The AWS side of the Prowler parity test: one moto estate holding, for each covered ECR, ECS and EKS check, a
// resource with the misconfiguration the check targets and a twin with only that setting fixed, created
// through the real SDK clients and read back by the real collector (collectAws). What moto 5.2.5 lacks
// (EKS deletion protection and add-ons, ECS enableExecuteCommand, ECR pull-through cache rules) is answered
// by the gap fill the AWS tests use (test/aws/support/moto-gaps.ts), written from the API references.
// The two image checks need images: their manifests live in moto's ECR (PutImage), their blobs in a real
// registry standing in for the ECR endpoint (as test/aws/ecr-images.test.ts does); the registry scan results
// are what moto's DescribeImageScanFindings answers, read by the worker's own reader and folded in as the
// worker folds them (readNativeScan, mergeNative).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand, PutImageCommand, PutLifecyclePolicyCommand, StartImageScanCommand, PutRegistryScanningConfigurationCommand, SetRepositoryPolicyCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, CreateTaskSetCommand, RegisterTaskDefinitionCommand, type ContainerDefinition } from '@aws-sdk/client-ecs';
import { CreateAddonCommand, CreateClusterCommand as CreateEksClusterCommand } from '@aws-sdk/client-eks';
import type { Asset, ImageAsset } from '../../../core/asset.ts';
import { NativeScanJob } from '../../../core/jobs.ts';
import { readNativeScan } from '../../../functions/runtime/native-scan.ts';
import { collectAws } from '../../../providers/aws/index.ts';
import { mergeNative } from '../../../vulns/native/findings.ts';
import { startAwsProxy } from '../../aws/support/aws-proxy.ts';
import { MotoGaps } from '../../aws/support/moto-gaps.ts';
import { callerAccount as account, clientsFor, expireUntagged, network, ownAccountPolicy, publicPolicy } from '../../aws/support/seed.ts';
import { craneFor } from '../../oci/support/crane.ts';
import { alpineSpec } from '../../oci/support/fixtures.ts';
import { writeLayout } from '../../oci/support/layout-writer.ts';
import { startRegistry, type RunningRegistry } from '../../oci/support/registry-server.ts';
import { motoCredentials, startMoto, type MotoServer } from '../../standins/moto.ts';
import type { Plant } from './plant.ts';

const region = 'eu-west-1';
const kmsKey = `arn:aws:kms:${region}:${account}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
const id = (path: string, where = region) => `aws://${account}/${where}/${path}`;
const pair = (path: (variant: 'bad' | 'good') => string, where = region): Plant => ({ bad: id(path('bad'), where), good: id(path('good'), where) });

export interface AwsPlants {
  plants: Record<string, Plant>;
  assets: Asset[];
  errors: { scope: string; message: string }[];
  stop(): Promise<void>;
}

// ---- ECR: repositories in eu-west-1, one registry per region for the registry-wide settings ----------------

/** A repository that passes every repository check; `bad` is the one planted setting. */
async function repository(ecr: ECRClient, name: string, bad: { mutable?: boolean; noScanOnPush?: boolean; publicPolicy?: boolean; noLifecycle?: boolean }): Promise<void> {
  await ecr.send(
    new CreateRepositoryCommand({
      repositoryName: name,
      imageTagMutability: bad.mutable ? 'MUTABLE' : 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: !bad.noScanOnPush },
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey },
    }),
  );
  await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: name, policyText: bad.publicPolicy ? publicPolicy : ownAccountPolicy(account) }));
  if (!bad.noLifecycle) await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: name, lifecyclePolicyText: expireUntagged }));
}

/** Registry-wide scanning settings are per account and region: each variant gets a region of its own. */
const registryRegions = {
  enhanced: { bad: 'eu-west-2', good: 'eu-west-3' },
  scanOnPush: { bad: 'eu-central-1', good: 'eu-north-1' },
};

async function seedEcr(endpoint: string): Promise<Record<string, Plant>> {
  const { ecr } = clientsFor(endpoint, region, motoCredentials);
  const repoChecks = {
    ecr_repositories_tag_immutability: { mutable: true },
    ecr_repositories_scan_images_on_push_enabled: { noScanOnPush: true },
    ecr_repositories_not_publicly_accessible: { publicPolicy: true },
    ecr_repositories_lifecycle_policy_enabled: { noLifecycle: true },
  };
  const plants: Record<string, Plant> = {};
  for (const [check, bad] of Object.entries(repoChecks)) {
    const name = check.replace(/^ecr_repositories_/, '').replace(/_/g, '-');
    await repository(ecr, `${name}-bad`, bad);
    await repository(ecr, `${name}-good`, {});
    plants[check] = pair((v) => `ecr/repository/${name}-${v}`);
  }
  const scanning = {
    enhanced: {
      bad: { scanType: 'BASIC' as const, rules: [{ scanFrequency: 'SCAN_ON_PUSH' as const, repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' as const }] }] },
      good: { scanType: 'ENHANCED' as const, rules: [{ scanFrequency: 'CONTINUOUS_SCAN' as const, repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' as const }] }] },
    },
    scanOnPush: {
      bad: { scanType: 'BASIC' as const, rules: [{ scanFrequency: 'SCAN_ON_PUSH' as const, repositoryFilters: [{ filter: 'prod-*', filterType: 'WILDCARD' as const }] }] },
      good: { scanType: 'BASIC' as const, rules: [{ scanFrequency: 'SCAN_ON_PUSH' as const, repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' as const }] }] },
    },
  };
  for (const [setting, variants] of Object.entries(scanning)) {
    for (const variant of ['bad', 'good'] as const) {
      const where = registryRegions[setting as keyof typeof registryRegions][variant];
      const regional = clientsFor(endpoint, where, motoCredentials).ecr;
      await regional.send(new PutRegistryScanningConfigurationCommand(variants[variant]));
      // A registry is reported where it is in use: one repository makes it so.
      await repository(regional, 'anchor', {});
    }
  }
  const registryPair = (setting: keyof typeof registryRegions): Plant => ({ bad: id('ecr/registry', registryRegions[setting].bad), good: id('ecr/registry', registryRegions[setting].good) });
  plants.ecr_registry_enhanced_scanning_enabled = registryPair('enhanced');
  plants.ecr_registry_scan_images_on_push_enabled = registryPair('scanOnPush');
  return plants;
}

// ---- ECS: task definitions, services and task sets, clusters ----------------------------------------------

/** A container that passes every container check the ECS plants touch. */
const container = (overrides: Partial<ContainerDefinition> = {}): ContainerDefinition => ({
  name: 'web',
  image: `${account}.dkr.ecr.${region}.amazonaws.com/shop/api:1.0`,
  memory: 512,
  essential: true,
  user: '1000:1000',
  readonlyRootFilesystem: true,
  privileged: false,
  portMappings: [{ containerPort: 8080 }],
  environment: [{ name: 'LOG_LEVEL', value: 'info' }],
  logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web', 'awslogs-region': region, mode: 'non-blocking' } },
  ...overrides,
});
// An AWS documented example secret key, assembled so no credential-shaped literal sits in the repository.
const secretAccessKey = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');

async function seedEcs(endpoint: string): Promise<Record<string, Plant>> {
  const { ecs, ec2 } = clientsFor(endpoint, region, motoCredentials);
  const plants: Record<string, Plant> = {};
  const taskDefinitionChecks: Record<string, { bad: { task?: object; container?: Partial<ContainerDefinition> } }> = {
    ecs_task_definitions_containers_readonly_access: { bad: { container: { readonlyRootFilesystem: false } } },
    ecs_task_definitions_host_namespace_not_shared: { bad: { task: { pidMode: 'host' } } },
    ecs_task_definitions_host_networking_mode_users: { bad: { task: { networkMode: 'host' }, container: { user: 'root' } } },
    ecs_task_definitions_logging_enabled: { bad: { container: { logConfiguration: undefined } } },
    ecs_task_definitions_no_environment_secrets: { bad: { container: { environment: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'AWS_SECRET_ACCESS_KEY', value: secretAccessKey }] } } },
    ecs_task_definitions_no_privileged_containers: { bad: { container: { privileged: true } } },
  };
  for (const [check, { bad }] of Object.entries(taskDefinitionChecks)) {
    const family = check.replace(/^ecs_task_definitions_/, '').replace(/_/g, '-');
    for (const variant of ['bad', 'good'] as const) {
      const planted = variant === 'bad' ? bad : {};
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: `${family}-${variant}`,
          networkMode: 'awsvpc',
          requiresCompatibilities: ['EC2'],
          containerDefinitions: [container(planted.container)],
          ...planted.task,
        }),
      );
    }
    plants[check] = pair((v) => `ecs/task-definition/${family}-${v}:1`);
  }

  // Services run a hardened Fargate task definition in a cluster with Container Insights on.
  const { subnets, securityGroup } = await network(ec2, region);
  await ecs.send(new RegisterTaskDefinitionCommand({ family: 'svc', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', containerDefinitions: [container()] }));
  await ecs.send(new CreateClusterCommand({ clusterName: 'shop', settings: [{ name: 'containerInsights', value: 'enabled' }] }));
  const awsvpc = (assignPublicIp: 'ENABLED' | 'DISABLED') => ({ awsvpcConfiguration: { subnets, securityGroups: [securityGroup], assignPublicIp } });
  const service = (name: string, extra: object) =>
    ecs.send(new CreateServiceCommand({ cluster: 'shop', serviceName: name, taskDefinition: 'svc:1', desiredCount: 1, launchType: 'FARGATE', platformVersion: 'LATEST', networkConfiguration: awsvpc('DISABLED'), ...extra }));
  await service('platform-bad', { platformVersion: '1.3.0' });
  await service('platform-good', {});
  plants.ecs_service_fargate_latest_platform_version = pair((v) => `ecs/service/shop/platform-${v}`);
  await service('public-ip-bad', { networkConfiguration: awsvpc('ENABLED') });
  await service('public-ip-good', {});
  plants.ecs_service_no_assign_public_ip = pair((v) => `ecs/service/shop/public-ip-${v}`);
  // Task sets belong to a service on the EXTERNAL deployment controller.
  for (const variant of ['bad', 'good'] as const) {
    const name = `task-set-${variant}`;
    await service(name, { deploymentController: { type: 'EXTERNAL' }, launchType: undefined, platformVersion: undefined, networkConfiguration: undefined, desiredCount: 0 });
    await ecs.send(new CreateTaskSetCommand({ cluster: 'shop', service: name, taskDefinition: 'svc:1', launchType: 'FARGATE', platformVersion: 'LATEST', networkConfiguration: awsvpc(variant === 'bad' ? 'ENABLED' : 'DISABLED') }));
  }
  plants.ecs_task_set_no_assign_public_ip = pair((v) => `ecs/service/shop/task-set-${v}`);

  for (const variant of ['bad', 'good'] as const) {
    await ecs.send(new CreateClusterCommand({ clusterName: `insights-${variant}`, settings: [{ name: 'containerInsights', value: variant === 'bad' ? 'disabled' : 'enabled' }] }));
  }
  plants.ecs_cluster_container_insights_enabled = pair((v) => `ecs/cluster/insights-${v}`);
  return plants;
}

// ---- EKS ---------------------------------------------------------------------------------------------------

async function seedEks(endpoint: string): Promise<Record<string, Plant>> {
  const { eks, ec2 } = clientsFor(endpoint, region, motoCredentials);
  const { subnets } = await network(ec2, region);
  const hardened = {
    roleArn: `arn:aws:iam::${account}:role/eks-cluster`,
    version: '1.32',
    resourcesVpcConfig: { subnetIds: subnets, endpointPublicAccess: false, endpointPrivateAccess: true },
    logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as ('api' | 'audit' | 'authenticator' | 'controllerManager' | 'scheduler')[], enabled: true }] },
    encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: kmsKey } }],
    deletionProtection: true,
  };
  const clusterChecks: Record<string, object> = {
    eks_cluster_deletion_protection_enabled: { deletionProtection: false },
    eks_cluster_kms_cmk_encryption_in_secrets_enabled: { encryptionConfig: undefined },
    eks_cluster_not_publicly_accessible: { resourcesVpcConfig: { subnetIds: subnets, endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] } },
    eks_cluster_private_nodes_enabled: { resourcesVpcConfig: { subnetIds: subnets, endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['203.0.113.0/24'] } },
    eks_cluster_uses_a_supported_version: { version: '1.27' },
    eks_control_plane_logging_all_types_enabled: { logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false }] } },
    eks_cluster_vpc_cni_network_policy_enforced: {},
  };
  const plants: Record<string, Plant> = {};
  for (const [check, bad] of Object.entries(clusterChecks)) {
    const name = check.replace(/^eks_(cluster_|control_plane_)/, '').replace(/_/g, '-').slice(0, 40);
    for (const variant of ['bad', 'good'] as const) {
      await eks.send(new CreateEksClusterCommand({ name: `${name}-${variant}`, ...hardened, ...(variant === 'bad' ? bad : {}) } as never));
      // Every cluster runs the VPC CNI with network policy on, but the VPC CNI plant's.
      const enforced = !(variant === 'bad' && check === 'eks_cluster_vpc_cni_network_policy_enforced');
      await eks.send(new CreateAddonCommand({ clusterName: `${name}-${variant}`, addonName: 'vpc-cni', configurationValues: JSON.stringify({ enableNetworkPolicy: String(enforced) }) }));
    }
    plants[check] = pair((v) => `eks/cluster/${name}-${v}`);
  }
  return plants;
}

// ---- images: secrets baked in, registry scan findings -----------------------------------------------------

interface PlantedImages {
  plants: Record<string, Plant>;
  /** repository → digest of its image, for the registry scan results. */
  digests: Record<string, string>;
}

async function seedImages(moto: MotoServer, endpoint: string, registry: RunningRegistry, work: string): Promise<PlantedImages> {
  const crane = await craneFor(registry.host, 'pusher', 'push-secret');
  const base = await alpineSpec();
  // The same small Alpine image, and that image with an AWS secret key in its environment.
  const specs = { clean: base, withSecret: { ...base, config: { ...base.config, Env: ['PATH=/usr/bin:/bin', `AWS_SECRET_ACCESS_KEY=${secretAccessKey}`] } } };
  const { ecr } = clientsFor(endpoint, region, motoCredentials);
  const digests: Record<string, string> = {};
  const push = async (name: string, spec: keyof typeof specs) => {
    await writeLayout(join(work, name), specs[spec]);
    await crane('push', join(work, name), `${registry.host}/${name}:1.0`);
    const manifest = await crane('manifest', `${registry.host}/${name}:1.0`);
    const digest = await crane('digest', `${registry.host}/${name}:1.0`);
    await repository(ecr, name, {});
    await ecr.send(new PutImageCommand({ repositoryName: name, imageManifest: manifest, imageManifestMediaType: (JSON.parse(manifest) as { mediaType: string }).mediaType, imageTag: '1.0', imageDigest: digest }));
    digests[name] = digest;
  };
  await push('image-secrets-bad', 'withSecret');
  await push('image-secrets-good', 'clean');
  await push('scan-findings-bad', 'clean');
  await push('scan-findings-good', 'clean');
  // The registry scan: moto answers its stock finding (a HIGH CVE) for the planted image; the twin's scan is
  // set to a completed scan that found nothing (moto's API for configuring scan results).
  const clean = {
    registryId: account,
    repositoryName: 'scan-findings-good',
    imageId: { imageDigest: digests['scan-findings-good'] },
    imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
    imageScanFindings: { imageScanCompletedAt: '2026-10-31T00:00:00Z', vulnerabilitySourceUpdatedAt: '2026-10-31T00:00:00Z', findings: [], findingSeverityCounts: {} },
  };
  const res = await fetch(`${moto.endpoint}/moto-api/static/ecr/scan-finding-results`, { method: 'POST', body: JSON.stringify({ results: [clean], region }) });
  if (!res.ok) throw new Error(`moto refused the scan results: ${res.status}`);
  for (const repositoryName of ['scan-findings-bad', 'scan-findings-good']) {
    await ecr.send(new StartImageScanCommand({ repositoryName, imageId: { imageDigest: digests[repositoryName] } }));
  }
  const image = (repository: string) => `oci://${account}.dkr.ecr.${region}.amazonaws.com/${repository}@${digests[repository]}`;
  const imagePair = (prefix: string): Plant => ({ bad: image(`${prefix}-bad`), good: image(`${prefix}-good`) });
  return { plants: { ecr_repository_image_no_secrets: imagePair('image-secrets'), ecr_repositories_scan_vulnerabilities_in_latest_image: imagePair('scan-findings') }, digests };
}

/** The worker's native-scan refresh for the planted scan images: their registry findings folded in. */
async function withRegistryScans(endpoint: string, assets: Asset[], digests: Record<string, string>): Promise<Asset[]> {
  const { ecr } = clientsFor(endpoint, region, motoCredentials);
  const out: Asset[] = [];
  for (const a of assets) {
    const repository = Object.keys(digests).find((r) => r.startsWith('scan-findings-') && a.kind === 'image' && a.image.digest === digests[r] && a.id.includes(`/${r}@`));
    if (!repository || a.kind !== 'image') {
      out.push(a);
      continue;
    }
    const job = NativeScanJob.parse({
      v: 1,
      type: 'refresh-native-scan',
      cloud: 'aws',
      account,
      region,
      trigger: { source: 'ecr-scan', eventId: `scan-${repository}`, at: '2026-10-31T00:00:00Z' },
      scanner: 'ecr-basic',
      repository,
      digest: digests[repository],
      status: 'COMPLETE',
      severityCounts: {},
    });
    const scan = await readNativeScan(ecr, job);
    out.push(mergeNative(a as ImageAsset, scan.native));
  }
  return out;
}

export async function startAwsPlants(now: Date): Promise<AwsPlants> {
  const moto = await startMoto();
  const proxy = await startAwsProxy({ target: moto.endpoint, gaps: new MotoGaps() });
  // moto's GetAuthorizationToken answers base64("AWS:<account>-auth-token"): only that pair may pull.
  const registry = await startRegistry({ kind: 'htpasswd', users: { AWS: `${account}-auth-token`, pusher: 'push-secret' } });
  const work = await mkdtemp(join(tmpdir(), 'posture-prowler-parity-'));
  const stop = async () => {
    await Promise.allSettled([proxy.stop(), moto.stop(), registry.stop()]);
    await rm(work, { recursive: true, force: true });
  };
  try {
    const images = await seedImages(moto, proxy.endpoint, registry, work);
    const plants = { ...(await seedEcr(proxy.endpoint)), ...(await seedEcs(proxy.endpoint)), ...(await seedEks(proxy.endpoint)), ...images.plants };
    const endpoint = proxy.endpoint;
    const collected = await collectAws({
      settings: {
        accounts: [account],
        regions: [region, ...Object.values(registryRegions).flatMap((r) => [r.bad, r.good])],
        homeRegion: 'us-east-1',
        endpoints: { sts: endpoint, ec2: endpoint, iam: endpoint, organizations: endpoint, ecr: endpoint, ecs: endpoint, eks: endpoint },
        registryEndpoint: `http://${registry.host}`,
        imagesPerRepository: 1,
      },
      credentials: motoCredentials,
      now,
    });
    return { plants, assets: await withRegistryScans(proxy.endpoint, collected.assets, images.digests), errors: collected.errors, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
