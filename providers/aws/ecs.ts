// ECS in one account and region: every cluster as an asset of its own (settings, configuration, tags,
// capacity providers), their services (in DescribeServices batches of 10), and task definitions — those the
// services run plus the newest ACTIVE revision of every family, each read once.
import {
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  paginateListClusters,
  paginateListServices,
  paginateListTaskDefinitionFamilies,
  type Cluster,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import type { EcsClusterAsset, ServiceAsset, WorkloadAsset } from '../../core/asset.ts';
import { apiJson } from './api-json.ts';
import type { CollectContext } from './normalize/context.ts';
import { normalizeEcsCluster, type ClusterInclude } from './normalize/ecs-cluster.ts';
import { normalizeService } from './normalize/ecs-service.ts';
import { normalizeTaskDefinition } from './normalize/ecs-task-definition.ts';
import { attempt, scopeOf, type Attempt, type ErrorLog } from './scope.ts';

export interface EcsScope {
  account: string;
  region: string;
  client: ECSClient;
  errors: ErrorLog;
  ctx: CollectContext;
}

export interface EcsCollection {
  clusters: EcsClusterAsset[];
  services: ServiceAsset[];
  workloads: WorkloadAsset[];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function lastSegment(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

const clusterInclude: ClusterInclude[] = ['SETTINGS', 'CONFIGURATIONS', 'TAGS'];

async function describeClusters(s: EcsScope): Promise<Cluster[]> {
  const arns: string[] = [];
  for await (const page of paginateListClusters({ client: s.client }, {})) arns.push(...(page.clusterArns ?? []));
  const batches = await Promise.all(
    chunks(arns, 100).map(async (clusters) => {
      const out = await s.client.send(new DescribeClustersCommand({ clusters, include: clusterInclude }));
      for (const f of out.failures ?? []) s.errors.add(scopeOf(s.account, s.region, 'ecs', 'cluster', lastSegment(f.arn ?? '?')), { name: 'DescribeClustersFailure', message: f.reason ?? 'unknown' });
      return out.clusters ?? [];
    }),
  );
  return batches.flat();
}

/** FARGATE and FARGATE_SPOT need no describing; the others are read in calls of up to 100 names. */
async function describeCapacityProviders(s: EcsScope, names: readonly string[]): Promise<unknown[]> {
  const wanted = names.filter((n) => n !== 'FARGATE' && n !== 'FARGATE_SPOT');
  const batches = await Promise.all(
    chunks(wanted, 100).map(async (capacityProviders) => {
      const out = await s.client.send(new DescribeCapacityProvidersCommand({ capacityProviders }));
      const failed = (out.failures ?? []).map((f) => `${lastSegment(f.arn ?? '?')}: ${f.reason ?? 'unknown'}`);
      if (failed.length > 0) throw Object.assign(new Error(`DescribeCapacityProviders failed for ${failed.join(', ')}`), { name: 'DescribeCapacityProvidersFailure' });
      return (out.capacityProviders ?? []).map((p) => apiJson(p));
    }),
  );
  return batches.flat();
}

async function clusterAsset(s: EcsScope, cluster: Cluster, services: Attempt<Service[]>): Promise<EcsClusterAsset> {
  const scope = scopeOf(s.account, s.region, 'ecs', 'cluster', cluster.clusterName, 'capacity-providers');
  const providers = await attempt(s.errors, scope, () => describeCapacityProviders(s, cluster.capacityProviders ?? []));
  const failed = { ...(providers.ok ? {} : { capacityProviders: providers.error }), ...(services.ok ? {} : { services: services.error }) };
  return normalizeEcsCluster(
    {
      cluster: apiJson(cluster),
      include: clusterInclude,
      ...(providers.ok ? { capacityProviders: providers.value } : {}),
      ...(services.ok ? { services: services.value.map((svc) => ({ serviceName: svc.serviceName, enableExecuteCommand: svc.enableExecuteCommand })) } : {}),
      ...(Object.keys(failed).length ? { failed } : {}),
    },
    s.ctx,
  );
}

async function clusterServices(s: EcsScope, cluster: Cluster): Promise<Service[]> {
  const clusterArn = cluster.clusterArn ?? '';
  const arns: string[] = [];
  for await (const page of paginateListServices({ client: s.client, pageSize: 100 }, { cluster: clusterArn })) arns.push(...(page.serviceArns ?? []));
  // DescribeServices takes at most 10 services per call.
  const batches = await Promise.all(
    chunks(arns, 10).map(async (services) => {
      const out = await s.client.send(new DescribeServicesCommand({ cluster: clusterArn, services, include: ['TAGS'] }));
      for (const f of out.failures ?? []) s.errors.add(scopeOf(s.account, s.region, 'ecs', 'service', cluster.clusterName, lastSegment(f.arn ?? '?')), { name: 'DescribeServicesFailure', message: f.reason ?? 'unknown' });
      return out.services ?? [];
    }),
  );
  return batches.flat();
}

async function activeFamilies(s: EcsScope): Promise<string[]> {
  const families: string[] = [];
  for await (const page of paginateListTaskDefinitionFamilies({ client: s.client, pageSize: 100 }, { status: 'ACTIVE' })) families.push(...(page.families ?? []));
  return families;
}

async function describeTaskDefinition(s: EcsScope, reference: string): Promise<WorkloadAsset | undefined> {
  const out = await s.client.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }));
  if (!out.taskDefinition) return undefined;
  // Asking by family returns its newest revision; a family whose revisions are all INACTIVE has none to report.
  if (!reference.includes(':') && out.taskDefinition.status !== 'ACTIVE') return undefined;
  return normalizeTaskDefinition({ taskDefinition: apiJson(out.taskDefinition), tags: apiJson(out.tags ?? []) }, s.ctx);
}

export async function collectEcs(s: EcsScope): Promise<EcsCollection> {
  const clusters = await describeClusters(s);
  const perCluster = await Promise.all(
    clusters.map(async (cluster) => {
      const services = await attempt(s.errors, scopeOf(s.account, s.region, 'ecs', 'cluster', cluster.clusterName), () => clusterServices(s, cluster));
      const rawCluster = apiJson(cluster);
      return {
        cluster: await clusterAsset(s, cluster, services),
        services: (services.ok ? services.value : []).map((service) => normalizeService({ service: apiJson(service), cluster: rawCluster }, s.ctx)),
      };
    }),
  );
  const clusterAssets = perCluster.map((c) => c.cluster);
  const services = perCluster.flatMap((c) => c.services);

  const families = (await s.errors.guard(scopeOf(s.account, s.region, 'ecs', 'task-definition-families'), () => activeFamilies(s))) ?? [];
  const running = services.map((svc) => svc.service.taskDefinition).filter((arn): arn is string => Boolean(arn));
  const described = await Promise.all(
    [...new Set([...running, ...families])].map((reference) =>
      s.errors.guard(scopeOf(s.account, s.region, 'ecs', 'task-definition', lastSegment(reference)), () => describeTaskDefinition(s, reference)),
    ),
  );
  // A family's newest revision is often also the one a service runs: keep one asset per id.
  const workloads = new Map<string, WorkloadAsset>();
  for (const w of described) if (w) workloads.set(w.id, w);
  return { clusters: clusterAssets, services, workloads: [...workloads.values()] };
}
