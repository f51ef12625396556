// DescribeCluster (plus node groups when collected) → `cluster` asset.
import { z } from 'zod';
import type { ClusterAsset } from '../../../core/asset.ts';
import { parseArn, tagsFrom } from '../arn.ts';
import { awsPlacement, type CollectContext } from './context.ts';

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

export function normalizeEksCluster(input: { cluster: unknown; nodegroups?: unknown[]; addons?: unknown[] }, ctx: CollectContext): ClusterAsset {
  const c = EksCluster.parse(input.cluster);
  const arn = parseArn(c.arn);
  const vpc = c.resourcesVpcConfig ?? {};
  // API defaults: public endpoint on, private off, open to 0.0.0.0/0.
  const isPublic = vpc.endpointPublicAccess ?? true;
  const secrets = (c.encryptionConfig ?? []).find((e) => e.resources?.includes('secrets'));
  const audit = (c.logging?.clusterLogging ?? []).some((l) => l.enabled === true && (l.types ?? []).includes('audit'));
  const nodegroups = (input.nodegroups ?? []).map((n) => Nodegroup.parse(n));
  return {
    id: `aws://${arn.account}/${arn.region}/eks/cluster/${c.name}`,
    kind: 'cluster',
    ...awsPlacement(arn.account, arn.region),
    tags: tagsFrom(c.tags),
    collectedAt: ctx.collectedAt,
    source: ctx.source,
    rawForm: 'aws-api',
    raw: {
      cluster: input.cluster,
      ...(input.nodegroups !== undefined ? { nodegroups: input.nodegroups } : {}),
      ...(input.addons !== undefined ? { addons: input.addons } : {}),
    },
    cluster: {
      distribution: 'eks',
      name: c.name,
      version: c.version ?? null,
      endpoint: {
        public: isPublic,
        private: vpc.endpointPrivateAccess ?? false,
        allowedCidrs: isPublic ? (vpc.publicAccessCidrs ?? ['0.0.0.0/0']) : [],
      },
      // EKS always runs Kubernetes RBAC; network policy needs an add-on we may not have read.
      rbac: true,
      networkPolicy: null,
      secretsEncryption: { enabled: Boolean(secrets), keyId: secrets?.provider?.keyArn ?? null },
      auditLogging: audit,
      locations: [arn.region],
      nodePools: nodegroups.map((n) => ({
        name: n.nodegroupName,
        version: n.version ?? null,
        locations: [],
        publicIp: null,
        imageType: n.amiType ?? null,
        serviceAccount: n.nodeRole ?? null,
        autoUpgrade: null,
      })),
    },
  };
}
