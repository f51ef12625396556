// EKS in one account and region: every cluster with its node groups and add-ons. A cluster whose
// node groups or add-ons cannot be read is still reported; the missing part is a scope error and
// its `raw` key stays absent (not collected) so rules that need it stay silent rather than guess.
import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  paginateListAddons,
  paginateListClusters,
  paginateListNodegroups,
  type EKSClient,
} from '@aws-sdk/client-eks';
import type { ClusterAsset } from '../../core/asset.ts';
import { apiJson } from './api-json.ts';
import type { CollectContext } from './normalize/context.ts';
import { normalizeEksCluster } from './normalize/eks-cluster.ts';
import { scopeOf, type ErrorLog } from './scope.ts';

export interface EksScope {
  account: string;
  region: string;
  client: EKSClient;
  errors: ErrorLog;
  ctx: CollectContext;
}

async function nodegroups(s: EksScope, clusterName: string): Promise<unknown[]> {
  const names: string[] = [];
  for await (const page of paginateListNodegroups({ client: s.client }, { clusterName })) names.push(...(page.nodegroups ?? []));
  return Promise.all(names.map(async (nodegroupName) => apiJson((await s.client.send(new DescribeNodegroupCommand({ clusterName, nodegroupName }))).nodegroup)));
}

async function addons(s: EksScope, clusterName: string): Promise<unknown[]> {
  const names: string[] = [];
  for await (const page of paginateListAddons({ client: s.client }, { clusterName })) names.push(...(page.addons ?? []));
  return Promise.all(names.map(async (addonName) => apiJson((await s.client.send(new DescribeAddonCommand({ clusterName, addonName }))).addon)));
}

async function collectCluster(s: EksScope, name: string): Promise<ClusterAsset | undefined> {
  const scope = scopeOf(s.account, s.region, 'eks', 'cluster', name);
  const [described, groups, addonList] = await Promise.all([
    s.client.send(new DescribeClusterCommand({ name })),
    s.errors.guard(`${scope}/nodegroups`, () => nodegroups(s, name)),
    s.errors.guard(`${scope}/addons`, () => addons(s, name)),
  ]);
  if (!described.cluster) return undefined;
  return normalizeEksCluster(
    { cluster: apiJson(described.cluster), ...(groups !== undefined ? { nodegroups: groups } : {}), ...(addonList !== undefined ? { addons: addonList } : {}) },
    s.ctx,
  );
}

export async function collectEks(s: EksScope): Promise<ClusterAsset[]> {
  const names: string[] = [];
  for await (const page of paginateListClusters({ client: s.client }, {})) names.push(...(page.clusters ?? []));
  const clusters = await Promise.all(names.map((name) => s.errors.guard(scopeOf(s.account, s.region, 'eks', 'cluster', name), () => collectCluster(s, name))));
  return clusters.filter((c): c is ClusterAsset => c !== undefined);
}
