// DescribeCluster (plus node groups, add-ons, node subnets, IAM OIDC providers and pod identity
// associations when collected) → `cluster` asset. What EKS fields mean is decided here, once: which
// add-on enforces network policies, which subnets give nodes public IPs, which OIDC provider serves IRSA.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { KubernetesClusterAsset } from '../../../core/asset.ts';
import { parseArn, tagsFrom } from '../arn.ts';
import { awsPlacement, collectionErrorsOf, type CollectContext, type Failures } from './context.ts';

export const EksCluster = z
  .object({
    name: z.string(),
    arn: z.string(),
    version: z.string().optional(),
    resourcesVpcConfig: z
      .object({
        endpointPublicAccess: z.boolean().optional(),
        endpointPrivateAccess: z.boolean().optional(),
        publicAccessCidrs: z.array(z.string()).optional(),
      })
      .loose()
      .optional(),
    logging: z.object({ clusterLogging: z.array(z.object({ types: z.array(z.string()).optional(), enabled: z.boolean().optional() }).loose()).optional() }).loose().optional(),
    encryptionConfig: z.array(z.object({ resources: z.array(z.string()).optional(), provider: z.object({ keyArn: z.string().optional() }).loose().optional() }).loose()).optional(),
    identity: z.object({ oidc: z.object({ issuer: z.string().optional() }).loose().optional() }).loose().optional(),
    deletionProtection: z.boolean().optional(),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .loose();

const Nodegroup = z
  .object({
    nodegroupName: z.string(),
    version: z.string().optional(),
    amiType: z.string().optional(),
    nodeRole: z.string().optional(),
    subnets: z.array(z.string()).optional(),
  })
  .loose();

const Addon = z.object({ addonName: z.string(), configurationValues: z.string().optional() }).loose();

/** ec2:DescribeSubnets element (SDK / API names). */
const Subnet = z.object({ SubnetId: z.string(), AvailabilityZone: z.string().optional(), MapPublicIpOnLaunch: z.boolean().optional() }).loose();

/** iam:ListOpenIDConnectProviders element: `{Arn}`. */
const OidcProvider = z.object({ Arn: z.string() }).loose();

export interface EksClusterInput {
  cluster: unknown;
  nodegroups?: unknown[];
  addons?: unknown[];
  /** DescribeSubnets answers for the node groups' subnets. */
  subnets?: unknown[];
  /** The account's IAM OIDC providers whose URL is this cluster's issuer. */
  oidcProviders?: unknown[];
  /** ListPodIdentityAssociations summaries for this cluster. */
  podIdentityAssociations?: unknown[];
  /** Parts whose collection failed, with why (their keys are then absent above). */
  failed?: Failures<EksPart>;
}

export type EksPart = 'nodegroups' | 'addons' | 'subnets' | 'oidcProviders' | 'podIdentityAssociations';

/** Add-ons that enforce NetworkPolicy objects by being installed. */
const policyEngines = /calico|cilium|tigera/i;

/** The vpc-cni add-on's `enableNetworkPolicy` (configuration values are JSON or YAML; the schema takes "true"). */
function vpcCniEnforces(configurationValues: string | undefined): boolean {
  if (!configurationValues?.trim()) return false;
  let values: unknown;
  try {
    values = parseYaml(configurationValues, { maxAliasCount: 0 });
  } catch {
    return false;
  }
  const flag = typeof values === 'object' && values !== null ? (values as Record<string, unknown>).enableNetworkPolicy : undefined;
  return flag === true || (typeof flag === 'string' && flag.trim().toLowerCase() === 'true');
}

function networkPolicy(addons: unknown[] | undefined): boolean | null {
  if (addons === undefined) return null;
  return addons
    .map((a) => Addon.parse(a))
    .some((a) => (a.addonName === 'vpc-cni' && vpcCniEnforces(a.configurationValues)) || policyEngines.test(a.addonName));
}

/** Provider ARNs end in the issuer without its scheme: …:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID>. */
export function servesIssuer(providerArn: string, issuer: string): boolean {
  const suffix = `oidc-provider/${issuer.replace(/^https:\/\//, '').replace(/\/+$/, '')}`.toLowerCase();
  return providerArn.toLowerCase().endsWith(suffix);
}

function workloadIdentity(input: EksClusterInput, issuer: string | undefined): boolean | null {
  const irsa = input.oidcProviders === undefined ? null : issuer !== undefined && input.oidcProviders.some((p) => servesIssuer(OidcProvider.parse(p).Arn, issuer));
  // Without the association list, an installed Pod Identity agent is taken as the mechanism in use.
  const podIdentity =
    input.podIdentityAssociations !== undefined
      ? input.podIdentityAssociations.length > 0
      : input.addons !== undefined
        ? input.addons.some((a) => Addon.parse(a).addonName === 'eks-pod-identity-agent')
        : null;
  if (irsa === true || podIdentity === true) return true;
  return irsa === false && podIdentity === false ? false : null;
}

/** A node group's nodes get public IPs when any of its subnets maps them on launch; null if a subnet is unknown. */
function nodePlacement(subnetIds: string[], subnets: Map<string, z.infer<typeof Subnet>> | undefined) {
  if (!subnets || subnetIds.some((id) => !subnets.has(id))) return { publicIp: null, locations: [] as string[] };
  const resolved = subnetIds.map((id) => subnets.get(id)!);
  return {
    publicIp: subnetIds.length === 0 ? null : resolved.some((s) => s.MapPublicIpOnLaunch === true),
    locations: [...new Set(resolved.map((s) => s.AvailabilityZone).filter((z): z is string => Boolean(z)))].sort(),
  };
}

export function normalizeEksCluster(input: EksClusterInput, ctx: CollectContext): KubernetesClusterAsset {
  const c = EksCluster.parse(input.cluster);
  const arn = parseArn(c.arn);
  const vpc = c.resourcesVpcConfig ?? {};
  // API defaults: public endpoint on, private off, open to 0.0.0.0/0.
  const isPublic = vpc.endpointPublicAccess ?? true;
  const secrets = (c.encryptionConfig ?? []).find((e) => e.resources?.includes('secrets'));
  const audit = (c.logging?.clusterLogging ?? []).some((l) => l.enabled === true && (l.types ?? []).includes('audit'));
  const nodegroups = input.nodegroups?.map((n) => Nodegroup.parse(n));
  const subnets = input.subnets ? new Map(input.subnets.map((s) => Subnet.parse(s)).map((s) => [s.SubnetId, s])) : undefined;
  const { cluster, nodegroups: groups, addons, subnets: subnetList, oidcProviders, podIdentityAssociations } = input;
  const policy = networkPolicy(addons);
  const identity = workloadIdentity(input, c.identity?.oidc?.issuer);
  const errors = collectionErrorsOf(input.failed, [
    ['nodegroups', 'cluster.nodePools', true],
    ['subnets', 'cluster.nodePools.publicIp', true],
    ['addons', 'cluster.networkPolicy', policy === null],
    ['addons', 'cluster.workloadIdentity', identity === null],
    ['oidcProviders', 'cluster.workloadIdentity', identity === null],
    ['podIdentityAssociations', 'cluster.workloadIdentity', identity === null],
  ]);
  return {
    id: `aws://${arn.account}/${arn.region}/eks/cluster/${c.name}`,
    kind: 'cluster',
    ...awsPlacement(arn.account, arn.region),
    tags: tagsFrom(c.tags),
    collectedAt: ctx.collectedAt,
    source: ctx.source,
    rawForm: 'aws-api',
    raw: {
      cluster,
      ...(groups !== undefined ? { nodegroups: groups } : {}),
      ...(addons !== undefined ? { addons } : {}),
      ...(subnetList !== undefined ? { subnets: subnetList } : {}),
      ...(oidcProviders !== undefined ? { oidcProviders } : {}),
      ...(podIdentityAssociations !== undefined ? { podIdentityAssociations } : {}),
    },
    ...(errors.length ? { collectionErrors: errors } : {}),
    cluster: {
      distribution: 'eks',
      name: c.name,
      version: c.version ?? null,
      endpoint: {
        public: isPublic,
        private: vpc.endpointPrivateAccess ?? false,
        // EKS has no empty allow-list: absent (or empty) is its default, every address.
        allowedCidrs: isPublic ? (vpc.publicAccessCidrs?.length ? vpc.publicAccessCidrs : ['0.0.0.0/0']) : [],
      },
      // EKS always runs Kubernetes RBAC.
      rbac: true,
      networkPolicy: policy,
      secretsEncryption: { enabled: Boolean(secrets), keyId: secrets?.provider?.keyArn ?? null },
      auditLogging: audit,
      locations: [arn.region],
      // Not collected (DescribeCluster alone, or ListNodegroups failed): unknown, never "no nodes".
      nodePools: nodegroups?.map((n) => ({
        name: n.nodegroupName,
        version: n.version ?? null,
        ...nodePlacement(n.subnets ?? [], subnets),
        imageType: n.amiType ?? null,
        serviceAccount: n.nodeRole ?? null,
        autoUpgrade: null,
      })) ?? null,
      deletionProtection: c.deletionProtection ?? null,
      workloadIdentity: identity,
    },
  };
}
