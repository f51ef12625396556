// What moto 5.2.5 does not implement and the collectors read, answered the way the AWS API references
// describe, so the rules that need these inputs can be shown to fire through the real SDK clients:
//  - ECS: `enableExecuteCommand` on CreateService is dropped by moto; AWS returns it in DescribeServices
//    (false unless set).
//  - EKS: `deletionProtection` (CreateCluster → DescribeCluster, default false), add-ons (CreateAddon,
//    ListAddons, DescribeAddon) and pod identity associations (CreatePodIdentityAssociation,
//    ListPodIdentityAssociations) have no moto routes (HTTP 404).
//  - ECR: pull-through cache rules (CreatePullThroughCacheRule, DescribePullThroughCacheRules) are not
//    implemented.
// Without this fill the same calls reach moto and fail; the collectors then record the gap (see the
// tests that run without it). The account comes from the proxy (SigV4 key → account).
import { randomUUID } from 'node:crypto';

/** Collection scopes that fail on bare moto 5.2.5 because it lacks the API (recorded gaps, never passes). */
export function isMotoGap(scope: string): boolean {
  return /\/(addons|pod-identity-associations|registry\/pull-through-cache-rules)$/.test(scope);
}

export interface GapRequest {
  account: string;
  region: string;
  method: string;
  path: string;
  /** JSON 1.1 operation name (`x-amz-target` suffix), when the protocol has one. */
  target: string | undefined;
  body: Record<string, unknown>;
}

export interface GapAnswer {
  status: number;
  body: unknown;
}

interface Addon {
  addonName: string;
  clusterName: string;
  addonVersion: string;
  status: 'ACTIVE';
  addonArn: string;
  configurationValues?: string;
}

export class MotoGaps {
  private readonly execFlags = new Map<string, boolean>();
  private readonly deletionProtection = new Map<string, boolean>();
  private readonly addons = new Map<string, Addon[]>();
  private readonly associations = new Map<string, Array<Record<string, string>>>();
  private readonly cacheRules = new Map<string, Array<Record<string, unknown>>>();

  /** A request moto cannot answer, answered here; undefined to let it through. */
  answer(r: GapRequest): GapAnswer | undefined {
    const scope = `${r.account}/${r.region}`;
    if (r.target === 'CreatePullThroughCacheRule') {
      const rule = {
        ecrRepositoryPrefix: r.body.ecrRepositoryPrefix,
        upstreamRegistryUrl: r.body.upstreamRegistryUrl,
        registryId: r.account,
        createdAt: Date.now() / 1000,
        ...(r.body.upstreamRegistry ? { upstreamRegistry: r.body.upstreamRegistry } : {}),
        ...(r.body.credentialArn ? { credentialArn: r.body.credentialArn } : {}),
        ...(r.body.upstreamRepositoryPrefix ? { upstreamRepositoryPrefix: r.body.upstreamRepositoryPrefix } : {}),
      };
      this.cacheRules.set(scope, [...(this.cacheRules.get(scope) ?? []), rule]);
      return { status: 200, body: rule };
    }
    if (r.target === 'DescribePullThroughCacheRules') return { status: 200, body: { pullThroughCacheRules: this.cacheRules.get(scope) ?? [] } };

    const addonsOf = /^\/clusters\/([^/]+)\/addons$/.exec(r.path);
    if (addonsOf) {
      const key = `${scope}/${decodeURIComponent(addonsOf[1]!)}`;
      if (r.method === 'POST') {
        const addon: Addon = {
          addonName: String(r.body.addonName),
          clusterName: decodeURIComponent(addonsOf[1]!),
          addonVersion: String(r.body.addonVersion ?? 'v1.0.0-eksbuild.1'),
          status: 'ACTIVE',
          addonArn: `arn:aws:eks:${r.region}:${r.account}:addon/${decodeURIComponent(addonsOf[1]!)}/${String(r.body.addonName)}/${randomUUID()}`,
          ...(typeof r.body.configurationValues === 'string' ? { configurationValues: r.body.configurationValues } : {}),
        };
        this.addons.set(key, [...(this.addons.get(key) ?? []), addon]);
        return { status: 200, body: { addon } };
      }
      return { status: 200, body: { addons: (this.addons.get(key) ?? []).map((a) => a.addonName) } };
    }
    const addon = /^\/clusters\/([^/]+)\/addons\/([^/]+)$/.exec(r.path);
    if (addon && r.method === 'GET') {
      const found = (this.addons.get(`${scope}/${decodeURIComponent(addon[1]!)}`) ?? []).find((a) => a.addonName === decodeURIComponent(addon[2]!));
      return found ? { status: 200, body: { addon: found } } : { status: 404, body: { message: 'No addon found' } };
    }
    const associations = /^\/clusters\/([^/]+)\/pod-identity-associations$/.exec(r.path);
    if (associations) {
      const clusterName = decodeURIComponent(associations[1]!);
      const key = `${scope}/${clusterName}`;
      if (r.method === 'POST') {
        const associationId = `a-${randomUUID().replace(/-/g, '').slice(0, 17)}`;
        const association = {
          clusterName,
          namespace: String(r.body.namespace),
          serviceAccount: String(r.body.serviceAccount),
          associationArn: `arn:aws:eks:${r.region}:${r.account}:podidentityassociation/${clusterName}/${associationId}`,
          associationId,
        };
        this.associations.set(key, [...(this.associations.get(key) ?? []), association]);
        return { status: 200, body: { association: { ...association, roleArn: r.body.roleArn } } };
      }
      return { status: 200, body: { associations: this.associations.get(key) ?? [] } };
    }
    return undefined;
  }

  /** Remembers what moto drops from a request it does answer. */
  observe(r: GapRequest): void {
    const scope = `${r.account}/${r.region}`;
    if (r.target === 'CreateService') {
      this.execFlags.set(`${scope}/${String(r.body.cluster ?? 'default').split('/').pop()}/${String(r.body.serviceName)}`, r.body.enableExecuteCommand === true);
    }
    if (r.method === 'POST' && r.path === '/clusters' && typeof r.body.name === 'string') {
      this.deletionProtection.set(`${scope}/${r.body.name}`, r.body.deletionProtection === true);
    }
  }

  /** Adds what moto dropped to its answer. */
  amend(r: GapRequest, answer: Record<string, unknown>): Record<string, unknown> {
    const scope = `${r.account}/${r.region}`;
    if (r.target === 'DescribeServices' && Array.isArray(answer.services)) {
      const services = (answer.services as Array<Record<string, unknown>>).map((svc) => {
        const cluster = String(svc.clusterArn ?? '').split('/').pop();
        return { ...svc, enableExecuteCommand: this.execFlags.get(`${scope}/${cluster}/${String(svc.serviceName)}`) ?? false };
      });
      return { ...answer, services };
    }
    const described = /^\/clusters\/([^/]+)$/.exec(r.path);
    if (described && r.method === 'GET' && typeof answer.cluster === 'object' && answer.cluster !== null) {
      const name = decodeURIComponent(described[1]!);
      return { ...answer, cluster: { ...(answer.cluster as object), deletionProtection: this.deletionProtection.get(`${scope}/${name}`) ?? false } };
    }
    return answer;
  }
}
