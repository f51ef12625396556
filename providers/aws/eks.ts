// EKS in one account and region: every cluster with its node groups, add-ons, the subnets its nodes
// launch into (EC2), the account's IAM OIDC providers for its issuer, and its pod identity
// associations. A cluster whose parts cannot all be read is still reported; each missing part is a
// scope error and its `raw` key stays absent (not collected), so rules that need it are not evaluated
// rather than guessed.
import { DescribeSubnetsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  paginateListAddons,
  paginateListClusters,
  paginateListNodegroups,
  paginateListPodIdentityAssociations,
  type EKSClient,
} from '@aws-sdk/client-eks';
import type { LimitFunction } from 'p-limit';
import type { KubernetesClusterAsset } from '../../core/asset.ts';
import { apiJson } from './api-json.ts';
import type { CollectContext } from './normalize/context.ts';
import { normalizeEksCluster, servesIssuer, type EksPart } from './normalize/eks-cluster.ts';
import type { Failures } from './normalize/context.ts';
import { attempt, scopeOf, type Attempt, type ErrorLog } from './scope.ts';

export interface EksScope {
  account: string;
  region: string;
  client: EKSClient;
  /** For the node groups' subnets; without it node public-IP mapping is not collected. */
  ec2?: EC2Client;
  /**
   * The account's IAM OIDC providers (`{Arn}`), read once per account (IAM is global) by the caller, which
   * records its own failure; without it IRSA is not collected.
   */
  oidcProviders?: () => Promise<Attempt<unknown[]>>;
  errors: ErrorLog;
  ctx: CollectContext;
  /** Bounds how many resources of the scope are being read at once (never taken twice by one read). */
  reads: LimitFunction;
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

async function podIdentityAssociations(s: EksScope, clusterName: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const page of paginateListPodIdentityAssociations({ client: s.client }, { clusterName })) out.push(...(page.associations ?? []).map((a) => apiJson(a)));
  return out;
}

/** DescribeSubnets for the node groups' subnets, up to 200 ids a call. */
async function subnets(ec2: EC2Client, groups: unknown[]): Promise<unknown[]> {
  const ids = [...new Set(groups.flatMap((g) => ((g as { subnets?: unknown }).subnets as string[] | undefined) ?? []))].sort();
  const out: unknown[] = [];
  for (let i = 0; i < ids.length; i += 200) {
    const page = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: ids.slice(i, i + 200) }));
    out.push(...(page.Subnets ?? []).map((subnet) => apiJson({ SubnetId: subnet.SubnetId, VpcId: subnet.VpcId, AvailabilityZone: subnet.AvailabilityZone, MapPublicIpOnLaunch: subnet.MapPublicIpOnLaunch })));
  }
  return out;
}

async function collectCluster(s: EksScope, name: string): Promise<KubernetesClusterAsset | undefined> {
  const scope = scopeOf(s.account, s.region, 'eks', 'cluster', name);
  const [described, groups, addonList, associations, providers] = await Promise.all([
    s.client.send(new DescribeClusterCommand({ name })),
    attempt(s.errors, `${scope}/nodegroups`, () => nodegroups(s, name)),
    attempt(s.errors, `${scope}/addons`, () => addons(s, name)),
    attempt(s.errors, `${scope}/pod-identity-associations`, () => podIdentityAssociations(s, name)),
    s.oidcProviders ? s.oidcProviders() : Promise.resolve(undefined),
  ]);
  if (!described.cluster) return undefined;
  const subnetList = groups.ok && s.ec2 ? await attempt(s.errors, `${scope}/node-subnets`, () => subnets(s.ec2!, groups.value)) : undefined;
  const issuer = described.cluster.identity?.oidc?.issuer;
  const parts: Partial<Record<EksPart, Attempt<unknown[]>>> = { nodegroups: groups, addons: addonList, podIdentityAssociations: associations, ...(subnetList ? { subnets: subnetList } : {}), ...(providers ? { oidcProviders: providers } : {}) };
  const collected: Partial<Record<EksPart, unknown[]>> = {};
  const failed: Failures<EksPart> = {};
  for (const [key, part] of Object.entries(parts) as [EksPart, Attempt<unknown[]>][]) {
    if (part.ok) collected[key] = part.value;
    else failed[key] = part.error;
  }
  // Only the account's providers that serve this cluster's issuer are kept with it.
  if (collected.oidcProviders) collected.oidcProviders = collected.oidcProviders.filter((p) => issuer !== undefined && servesIssuer(String((p as { Arn?: unknown }).Arn ?? ''), issuer));
  return normalizeEksCluster({ cluster: apiJson(described.cluster), ...collected, ...(Object.keys(failed).length ? { failed } : {}) }, s.ctx);
}

export async function collectEks(s: EksScope): Promise<KubernetesClusterAsset[]> {
  const names: string[] = [];
  for await (const page of paginateListClusters({ client: s.client }, {})) names.push(...(page.clusters ?? []));
  const clusters = await Promise.all(names.map((name) => s.errors.guard(scopeOf(s.account, s.region, 'eks', 'cluster', name), () => s.reads(() => collectCluster(s, name)))));
  return clusters.filter((c): c is KubernetesClusterAsset => c !== undefined);
}
