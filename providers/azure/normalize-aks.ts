// AKS managed cluster (ARM wire JSON or SDK / az object) → `cluster` asset.
import { z } from 'zod';
import type { KubernetesClusterAsset } from '../../core/asset.ts';
import { armField, armFormOf, readArmResource } from './arm-fields.ts';

const AgentPool = z
  .object({
    name: z.string().default(''),
    orchestratorVersion: z.string().nullish(),
    availabilityZones: z.array(z.string()).nullish(),
    osSKU: z.string().nullish(),
  })
  .loose();

export function normalizeAksCluster(
  input: { resource: unknown; diagnosticSettings?: unknown[] },
  ctx: { collectedAt: string; source?: string },
): KubernetesClusterAsset {
  const arm = readArmResource(input.resource);
  const { envelope: env, field, location } = arm;
  const isPrivate = field('apiServerAccessProfile', 'enablePrivateCluster') === true;
  const ranges = z.array(z.string()).nullish().parse(field('apiServerAccessProfile', 'authorizedIPRanges')) ?? [];
  const policy = field('networkProfile', 'networkPolicy');
  const pools = z.array(AgentPool).nullish().parse(field('agentPoolProfiles')) ?? [];
  const auditCategories = new Set(['kube-audit', 'kube-audit-admin']);
  const audit = (input.diagnosticSettings ?? []).some((s) =>
    z
      .array(z.object({ category: z.string().nullish(), enabled: z.boolean() }).loose())
      .nullish()
      .parse(armField(s, armFormOf(s), ['logs']))
      ?.some((l) => l.enabled && auditCategories.has(String(l.category).toLowerCase())),
  );
  const version = field('currentKubernetesVersion') ?? field('kubernetesVersion');
  // Azure Monitor: managed Prometheus metrics, or Container insights through the omsagent add-on.
  const monitoring = field('azureMonitorProfile', 'metrics', 'enabled') === true || field('addonProfiles', 'omsagent', 'enabled') === true;
  return {
    ...arm.assetBase('aks', ctx),
    kind: 'cluster',
    raw: { resource: input.resource, ...(input.diagnosticSettings !== undefined ? { diagnosticSettings: input.diagnosticSettings } : {}) },
    cluster: {
      distribution: 'aks',
      name: env.name,
      version: typeof version === 'string' ? version : null,
      endpoint: { public: !isPrivate, private: isPrivate, allowedCidrs: isPrivate ? [] : ranges.length ? ranges : ['0.0.0.0/0'] },
      // ARM default for enableRBAC is true when omitted.
      rbac: field('enableRBAC') !== false,
      networkPolicy: typeof policy === 'string' && policy !== '' && policy.toLowerCase() !== 'none',
      secretsEncryption: {
        enabled: field('securityProfile', 'azureKeyVaultKms', 'enabled') === true,
        keyId: (field('securityProfile', 'azureKeyVaultKms', 'keyId') as string | undefined) ?? null,
      },
      auditLogging: audit,
      locations: [location],
      nodePools: pools.map((p) => ({
        name: p.name,
        version: p.orchestratorVersion ?? null,
        locations: (p.availabilityZones ?? []).map((z) => `${location}-${z}`),
        publicIp: armField(p, 'arm-sdk', ['enableNodePublicIP']) === true,
        imageType: p.osSKU ?? null,
        serviceAccount: null,
        autoUpgrade: null,
      })),
      monitoring,
      // Azure RBAC for Kubernetes authorization needs Entra integration; without aadProfile it is off.
      cloudRbac: field('aadProfile', 'enableAzureRBAC') === true,
    },
  };
}
