// The Azure side of the Prowler parity test: managed clusters and container registries planted in the ARM
// stand-in (HTTPS, ARM wire JSON written from the REST references), each covered AKS or ACR check as a pair
// that differs in the one setting the check targets, read by the real collector (collectAzure) through the
// unmodified Azure SDK clients.
import type { Asset } from '../../../core/asset.ts';
import { collectAzure } from '../../../providers/azure/index.ts';
import { acrId, hardenedAks, managedCluster, premiumAcr, registry, subA } from '../../azure/support/arm-bodies.ts';
import { TestTenantCredential } from '../../azure/support/test-tenant-credential.ts';
import { startArmStandIn } from '../../standins/arm.ts';
import type { Plant } from './plant.ts';

const armToken = 'arm-audience-token';
type Properties = Record<string, unknown>;

/** The hardened cluster of the Azure tests, with managed Prometheus on (the one thing it lacked here). */
const aksBase: Properties = { ...hardenedAks.properties, azureMonitorProfile: { metrics: { enabled: true } } };
const pool = (aksBase.agentPoolProfiles as Properties[])[0]!;

const aksChecks: Record<string, Properties> = {
  aks_cluster_auto_upgrade_enabled: { autoUpgradeProfile: { upgradeChannel: 'none', nodeOSUpgradeChannel: 'NodeImage' } },
  aks_cluster_azure_monitor_enabled: { azureMonitorProfile: { metrics: { enabled: false } } },
  aks_cluster_defender_enabled: { securityProfile: { ...(aksBase.securityProfile as Properties), defender: { securityMonitoring: { enabled: false } } } },
  aks_cluster_local_accounts_disabled: { disableLocalAccounts: false },
  aks_cluster_rbac_enabled: { enableRBAC: false },
  aks_clusters_created_with_private_nodes: { agentPoolProfiles: [{ ...pool, enableNodePublicIP: true }] },
  aks_clusters_public_access_disabled: { apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: ['203.0.113.0/24'], disableRunCommand: true }, privateFQDN: undefined },
  aks_network_policy_enabled: { networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay', networkPolicy: 'none', outboundType: 'userDefinedRouting' } },
};

const privateEndpoint = (registryId: string) => ({
  id: `${registryId}/privateEndpointConnections/pe-shop`,
  name: 'pe-shop',
  type: 'Microsoft.ContainerRegistry/registries/privateEndpointConnections',
  properties: {
    privateEndpoint: { id: `/subscriptions/${subA}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-shop` },
    privateLinkServiceConnectionState: { status: 'Approved', description: 'approved by the platform team', actionsRequired: 'None' },
    provisioningState: 'Succeeded',
  },
});
const acrBase = (name: string): Properties => ({ ...premiumAcr.properties, privateEndpointConnections: [privateEndpoint(acrId(subA, 'rg-plants', name))] });

const acrChecks: Record<string, (name: string) => Properties> = {
  containerregistry_admin_user_disabled: () => ({ adminUserEnabled: true }),
  containerregistry_not_publicly_accessible: () => ({ publicNetworkAccess: 'Enabled', networkRuleSet: { defaultAction: 'Allow', ipRules: [] } }),
  containerregistry_uses_private_link: () => ({ privateEndpointConnections: [] }),
};

/** Registry names: 5-50 alphanumerics. */
const acrName = (check: string, variant: string) => `${check.replace(/^containerregistry_/, '').replace(/[^a-z]/g, '').slice(0, 40)}${variant}`;
const aksName = (check: string, variant: string) => `${check.replace(/^aks_(cluster_|clusters_)?/, '').replace(/_/g, '-')}-${variant}`;

const variants = ['bad', 'good'] as const;
const clusters = Object.entries(aksChecks).flatMap(([check, bad]) =>
  variants.map((v) => managedCluster(subA, 'rg-plants', aksName(check, v), 'westeurope', { ...aksBase, ...(v === 'bad' ? bad : {}) })),
);
const registries = Object.entries(acrChecks).flatMap(([check, bad]) =>
  variants.map((v) => {
    const name = acrName(check, v);
    return registry(subA, 'rg-plants', name, 'westeurope', 'Premium', { ...acrBase(name), ...(v === 'bad' ? bad(name) : {}) });
  }),
);

export interface AzurePlants {
  plants: Record<string, Plant>;
  assets: Asset[];
  errors: { scope: string; message: string }[];
  stop(): Promise<void>;
}

export async function startAzurePlants(now: Date): Promise<AzurePlants> {
  const arm = await startArmStandIn({ accessToken: armToken, pageSize: 50, subscriptions: { [subA]: { managedClusters: clusters, registries } } });
  try {
    const credential = new TestTenantCredential({ [`${arm.endpoint}/.default`]: armToken });
    const collected = await collectAzure({ settings: { subscriptions: [subA], endpoint: arm.endpoint, maxRetries: 1 }, credential, tls: { ca: arm.ca }, now });
    // Asset ids are the collector's business: the plants name resources, resolved to ids once collected.
    const plants: Record<string, Plant> = {};
    const idOf = (kind: string, name: string) => {
      const found = collected.assets.filter((a) => a.kind === kind && (a.raw as { resource?: { name?: string } }).resource?.name === name);
      if (found.length !== 1) throw new Error(`${found.length} ${kind} assets named ${name}`);
      return found[0]!.id;
    };
    for (const check of Object.keys(aksChecks)) plants[check] = { bad: idOf('cluster', aksName(check, 'bad')), good: idOf('cluster', aksName(check, 'good')) };
    for (const check of Object.keys(acrChecks)) plants[check] = { bad: idOf('registry', acrName(check, 'bad')), good: idOf('registry', acrName(check, 'good')) };
    return { plants, assets: collected.assets, errors: collected.errors, stop: () => arm.stop() };
  } catch (err) {
    await arm.stop();
    throw err;
  }
}
