// AKS managed cluster (ARM wire JSON or SDK / az object) → `cluster` asset. Every AKS field a rule judges
// is read here, once, through armField (either form, exact key first, then case-insensitively): the
// cross-cloud cluster fields and the AKS-only settings (`cluster.aks`). No rule reads the ARM resource.
import { z } from 'zod';
import type { AksSettings, KubernetesClusterAsset } from '../../core/asset.ts';
import { armField, armFormOf, readArmResource } from './arm-fields.ts';

const AgentPool = z
  .object({
    name: z.string().default(''),
    availabilityZones: z.array(z.string()).nullish(),
    osSKU: z.string().nullish(),
  })
  .loose();

/** Diagnostic-setting log categories that carry the Kubernetes audit log, and the groups that include them. */
const auditCategories = new Set(['kube-audit', 'kube-audit-admin']);
const auditGroups = new Set(['audit', 'alllogs']);

const LogEntry = z.object({ category: z.string().nullish(), categoryGroup: z.string().nullish(), enabled: z.boolean().nullish() }).loose();

/** Whether a diagnostic setting (either form) exports the Kubernetes audit log. */
function exportsAudit(setting: unknown): boolean {
  const logs = z.array(z.unknown()).catch([]).parse(armField(setting, armFormOf(setting), ['logs']) ?? []);
  return logs.some((entry) => {
    const log = LogEntry.safeParse(entry);
    if (!log.success || log.data.enabled !== true) return false;
    return auditCategories.has(String(log.data.category ?? '').toLowerCase()) || auditGroups.has(String(log.data.categoryGroup ?? '').toLowerCase());
  });
}

const text = (v: unknown) => (typeof v === 'string' ? v : null);
const flag = (v: unknown) => (typeof v === 'boolean' ? v : null);

export interface AksClusterInput {
  resource: unknown;
  /** The cluster's diagnostic settings; absent when not collected. */
  diagnosticSettings?: unknown[];
  /** Inputs whose collection failed, with why (their keys are then absent above). */
  failed?: { diagnosticSettings?: string };
}

export function normalizeAksCluster(input: AksClusterInput, ctx: { collectedAt: string; source?: string }): KubernetesClusterAsset {
  const arm = readArmResource(input.resource);
  const { envelope: env, field, location } = arm;
  const isPrivate = field('apiServerAccessProfile', 'enablePrivateCluster') === true;
  const ranges = z.array(z.string()).nullish().parse(field('apiServerAccessProfile', 'authorizedIPRanges')) ?? [];
  const policy = field('networkProfile', 'networkPolicy');
  const poolObjects = z.array(z.unknown()).nullish().parse(field('agentPoolProfiles')) ?? [];
  const pools = poolObjects.map((p) => ({ ...AgentPool.parse(p), read: (...path: string[]) => armField(p, 'arm-sdk', path) }));
  const version = field('currentKubernetesVersion') ?? field('kubernetesVersion');
  // Azure Monitor: managed Prometheus metrics, or Container insights through the omsagent add-on.
  const monitoring = field('azureMonitorProfile', 'metrics', 'enabled') === true || field('addonProfiles', 'omsagent', 'enabled') === true;
  const settings: AksSettings = {
    entraId: field('aadProfile') !== null && typeof field('aadProfile') === 'object',
    disableLocalAccounts: flag(field('disableLocalAccounts')),
    defenderSensor: flag(field('securityProfile', 'defender', 'securityMonitoring', 'enabled')),
    diskEncryptionSetId: text(field('diskEncryptionSetID'))?.trim() || null,
    disableRunCommand: flag(field('apiServerAccessProfile', 'disableRunCommand')),
    azurePolicyAddon: flag(field('addonProfiles', 'azurepolicy', 'enabled')),
    upgradeChannel: text(field('autoUpgradeProfile', 'upgradeChannel')),
    nodeOSUpgradeChannel: text(field('autoUpgradeProfile', 'nodeOSUpgradeChannel')),
    identityType: text(field('identity', 'type')),
    servicePrincipalClientId: text(field('servicePrincipalProfile', 'clientId')),
    agentPools: pools.map((p) => ({ name: p.name, enableEncryptionAtHost: flag(p.read('enableEncryptionAtHost')), sshAccess: text(p.read('securityProfile', 'sshAccess')) })),
  };
  const diagnosticsFailed = input.failed?.diagnosticSettings;
  return {
    ...arm.assetBase('aks', ctx),
    kind: 'cluster',
    raw: { resource: input.resource, ...(input.diagnosticSettings !== undefined ? { diagnosticSettings: input.diagnosticSettings } : {}) },
    ...(diagnosticsFailed
      ? {
          collectionErrors: [
            { input: 'raw.diagnosticSettings', message: diagnosticsFailed },
            { input: 'cluster.auditLogging', message: diagnosticsFailed },
          ],
        }
      : {}),
    cluster: {
      distribution: 'aks',
      name: env.name,
      version: typeof version === 'string' ? version : null,
      // An empty authorizedIPRanges list admits every address.
      endpoint: { public: !isPrivate, private: isPrivate, allowedCidrs: isPrivate ? [] : ranges.length ? ranges : ['0.0.0.0/0'] },
      // ARM default for enableRBAC is true when omitted.
      rbac: field('enableRBAC') !== false,
      networkPolicy: typeof policy === 'string' && policy.trim() !== '' && policy.trim().toLowerCase() !== 'none',
      secretsEncryption: {
        enabled: field('securityProfile', 'azureKeyVaultKms', 'enabled') === true,
        keyId: text(field('securityProfile', 'azureKeyVaultKms', 'keyId')),
      },
      // Where the audit log goes is the cluster's diagnostic settings: unknown until they are read.
      auditLogging: input.diagnosticSettings === undefined ? null : input.diagnosticSettings.some(exportsAudit),
      locations: [location],
      nodePools: pools.map((p) => {
        // The running version first; a pool without a version of its own runs the control plane's.
        const poolVersion = text(p.read('currentOrchestratorVersion')) ?? text(p.read('orchestratorVersion'));
        return {
          name: p.name,
          version: poolVersion,
          locations: (p.availabilityZones ?? []).map((z) => `${location}-${z}`),
          publicIp: p.read('enableNodePublicIP') === true,
          imageType: p.osSKU ?? null,
          serviceAccount: null,
          autoUpgrade: null,
        };
      }),
      monitoring,
      // Azure RBAC for Kubernetes authorization needs Entra integration; without aadProfile it is off.
      cloudRbac: field('aadProfile', 'enableAzureRBAC') === true,
      // Pods federate to Entra ID only with both the workload identity webhook and the OIDC issuer on.
      workloadIdentity: field('securityProfile', 'workloadIdentity', 'enabled') === true && field('oidcIssuerProfile', 'enabled') === true,
      aks: settings,
    },
  };
}
