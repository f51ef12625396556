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
import type { LimitFunction } from 'p-limit';
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
  /** Bounds how many resources of the scope are being read at once (never taken twice by one read). */
  reads: LimitFunction;
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

/**
 * Every cluster, each handed to `work` as soon as its DescribeClusters batch (up to 100, one list page) is back:
 * the next page is listed while the clusters of this one are being read.
 */
async function eachCluster<T>(s: EcsScope, work: (cluster: Cluster) => Promise<T>): Promise<T[]> {
  const batches: Promise<T[]>[] = [];
  for await (const page of paginateListClusters({ client: s.client, pageSize: 100 }, {})) {
    for (const clusters of chunks(page.clusterArns ?? [], 100)) {
      batches.push(
        s.client.send(new DescribeClustersCommand({ clusters, include: clusterInclude })).then((out) => {
          for (const f of out.failures ?? []) s.errors.add(scopeOf(s.account, s.region, 'ecs', 'cluster', lastSegment(f.arn ?? '?')), { name: 'DescribeClustersFailure', message: f.reason ?? 'unknown' });
          return Promise.all((out.clusters ?? []).map((cluster) => s.reads(() => work(cluster))));
        }),
      );
    }
  }
  return (await Promise.all(batches)).flat();
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
  // DescribeServices takes at most 10 services per call; a page's batches start while the next page is listed.
  const batches: Promise<Service[]>[] = [];
  for await (const page of paginateListServices({ client: s.client, pageSize: 100 }, { cluster: clusterArn })) {
    for (const services of chunks(page.serviceArns ?? [], 10)) {
      batches.push(
        s.client.send(new DescribeServicesCommand({ cluster: clusterArn, services, include: ['TAGS'] })).then((out) => {
          for (const f of out.failures ?? []) s.errors.add(scopeOf(s.account, s.region, 'ecs', 'service', cluster.clusterName, lastSegment(f.arn ?? '?')), { name: 'DescribeServicesFailure', message: f.reason ?? 'unknown' });
          return out.services ?? [];
        }),
      );
    }
  }
  return (await Promise.all(batches)).flat();
}

async function activeFamilies(s: EcsScope): Promise<string[]> {
  const families: string[] = [];
  for await (const page of paginateListTaskDefinitionFamilies({ client: s.client, pageSize: 100 }, { status: 'ACTIVE' })) families.push(...(page.families ?? []));
  return families;
}

interface DescribedTaskDefinition {
  /** The revision's full ARN, as services name it. */
  arn: string | undefined;
  asset: WorkloadAsset | undefined;
}

async function describeTaskDefinition(s: EcsScope, reference: string): Promise<DescribedTaskDefinition> {
  const out = await s.client.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }));
  if (!out.taskDefinition) return { arn: undefined, asset: undefined };
  const arn = out.taskDefinition.taskDefinitionArn;
  // Asking by family returns its newest revision; a family whose revisions are all INACTIVE has none to report.
  if (!reference.includes(':') && out.taskDefinition.status !== 'ACTIVE') return { arn, asset: undefined };
  return { arn, asset: normalizeTaskDefinition({ taskDefinition: apiJson(out.taskDefinition), tags: apiJson(out.tags ?? []) }, s.ctx) };
}

/**
 * The newest ACTIVE revision of every family, read while clusters and services are: one DescribeTaskDefinition
 * per family. Services usually run their family's newest revision, so these answers also cover most of what
 * the services name (one call per task definition, where asking by family and by each service's ARN was two).
 */
async function newestRevisions(s: EcsScope): Promise<{ described: DescribedTaskDefinition[]; failures: [scope: string, error: unknown][] }> {
  // Failures are returned, not recorded: when ECS cannot be read in this scope at all (clusters fail too), the
  // scope's one ECS error says so, as before these reads ran alongside the clusters'.
  const failures: [string, unknown][] = [];
  const guarded = async <T>(scope: string, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (err) {
      failures.push([scope, err]);
      return undefined;
    }
  };
  const families = (await guarded(scopeOf(s.account, s.region, 'ecs', 'task-definition-families'), () => activeFamilies(s))) ?? [];
  const described = await Promise.all(families.map((family) => guarded(scopeOf(s.account, s.region, 'ecs', 'task-definition', family), () => s.reads(() => describeTaskDefinition(s, family)))));
  return { described: described.filter((d): d is DescribedTaskDefinition => d !== undefined), failures };
}

export async function collectEcs(s: EcsScope): Promise<EcsCollection> {
  const newest = newestRevisions(s);
  const perCluster = await eachCluster(s, async (cluster) => {
    const services = await attempt(s.errors, scopeOf(s.account, s.region, 'ecs', 'cluster', cluster.clusterName), () => clusterServices(s, cluster));
    const rawCluster = apiJson(cluster);
    return {
      cluster: await clusterAsset(s, cluster, services),
      services: (services.ok ? services.value : []).map((service) => normalizeService({ service: apiJson(service), cluster: rawCluster }, s.ctx)),
    };
  });
  const clusterAssets = perCluster.map((c) => c.cluster);
  const services = perCluster.flatMap((c) => c.services);

  const { described: families, failures } = await newest;
  for (const [scope, err] of failures) s.errors.add(scope, err);
  const known = new Set(families.map((d) => d.arn).filter((arn): arn is string => Boolean(arn)));
  // Revisions services run that are not their family's newest (or whose family could not be listed).
  const running = [...new Set(services.map((svc) => svc.service.taskDefinition).filter((arn): arn is string => Boolean(arn) && !known.has(arn!)))];
  const older = await Promise.all(
    running.map((reference) => s.errors.guard(scopeOf(s.account, s.region, 'ecs', 'task-definition', lastSegment(reference)), () => s.reads(() => describeTaskDefinition(s, reference)))),
  );
  // One asset per id: a revision read both ways (a service naming it by family:revision) is kept once.
  const workloads = new Map<string, WorkloadAsset>();
  for (const d of [...families, ...older]) if (d?.asset) workloads.set(d.asset.id, d.asset);
  return { clusters: clusterAssets, services, workloads: [...workloads.values()] };
}
