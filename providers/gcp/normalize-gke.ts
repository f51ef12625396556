// GKE Cluster (REST JSON / gcloud --format=json) → `cluster` asset. What GKE's fields mean is decided here,
// once, for every rule: REST omits fields at their default, so every decision reads values; where a field
// was deprecated in favour of a newer one (endpoints, authorized networks, private nodes), the newer one
// wins when it holds a value.
import { z } from 'zod';
import type { KubernetesClusterAsset } from '../../core/asset.ts';
import { gcpRegionOf, jurisdictionOf } from '../../core/jurisdiction.ts';
import type { Decoded } from './proto-json.ts';

const Cidrs = z.object({ enabled: z.boolean().nullish(), cidrBlocks: z.array(z.object({ cidrBlock: z.string() }).loose()).nullish() }).loose();

export const GkeCluster = z
  .object({
    name: z.string(),
    location: z.string().nullish(),
    zone: z.string().nullish(),
    selfLink: z.string().nullish(),
    locations: z.array(z.string()).nullish(),
    currentMasterVersion: z.string().nullish(),
    resourceLabels: z.record(z.string(), z.string()).nullish(),
    privateClusterConfig: z.object({ enablePrivateNodes: z.boolean().nullish(), enablePrivateEndpoint: z.boolean().nullish() }).loose().nullish(),
    masterAuthorizedNetworksConfig: Cidrs.nullish(),
    controlPlaneEndpointsConfig: z
      .object({
        ipEndpointsConfig: z
          .object({ enabled: z.boolean().nullish(), enablePublicEndpoint: z.boolean().nullish(), authorizedNetworksConfig: Cidrs.nullish() })
          .loose()
          .nullish(),
      })
      .loose()
      .nullish(),
    legacyAbac: z.object({ enabled: z.boolean().nullish() }).loose().nullish(),
    networkPolicy: z.object({ enabled: z.boolean().nullish() }).loose().nullish(),
    networkConfig: z.object({ datapathProvider: z.string().nullish(), defaultEnablePrivateNodes: z.boolean().nullish() }).loose().nullish(),
    workloadIdentityConfig: z.object({ workloadPool: z.string().nullish() }).loose().nullish(),
    databaseEncryption: z.object({ state: z.string().nullish(), keyName: z.string().nullish() }).loose().nullish(),
    loggingService: z.string().nullish(),
    loggingConfig: z.object({ componentConfig: z.object({ enableComponents: z.array(z.string()).nullish() }).loose().nullish() }).loose().nullish(),
    nodePools: z
      .array(
        z
          .object({
            name: z.string(),
            version: z.string().nullish(),
            locations: z.array(z.string()).nullish(),
            config: z.object({ serviceAccount: z.string().nullish(), imageType: z.string().nullish() }).loose().nullish(),
            management: z.object({ autoUpgrade: z.boolean().nullish() }).loose().nullish(),
            networkConfig: z.object({ enablePrivateNodes: z.boolean().nullish() }).loose().nullish(),
          })
          .loose(),
      )
      .nullish(),
  })
  .loose();

export function projectOf(selfLink: string | null | undefined): string | null {
  const m = /\/projects\/([^/]+)\/(?:locations|zones)\//.exec(selfLink ?? '');
  return m ? (m[1] as string) : null;
}

type Gke = z.infer<typeof GkeCluster>;

const cidrsOf = (n: z.infer<typeof Cidrs>) => (n.cidrBlocks ?? []).map((b) => b.cidrBlock);

/**
 * The control plane's endpoints. The newer `controlPlaneEndpointsConfig.ipEndpointsConfig` decides when it
 * holds a value (enabled=false: no IP endpoint at all, only the DNS one); otherwise the deprecated
 * `privateClusterConfig.enablePrivateEndpoint` does (unset: public). Authorized networks come from the newer
 * config when it says whether they are on, else from the deprecated top-level one; they filter the public
 * endpoint and, on GKE, the private one too.
 */
function endpointOf(c: Gke) {
  const ip = c.controlPlaneEndpointsConfig?.ipEndpointsConfig;
  const ipEndpoint = ip?.enabled !== false;
  const isPublic = ipEndpoint && (typeof ip?.enablePublicEndpoint === 'boolean' ? ip.enablePublicEndpoint : c.privateClusterConfig?.enablePrivateEndpoint !== true);
  const networks = typeof ip?.authorizedNetworksConfig?.enabled === 'boolean' ? ip.authorizedNetworksConfig : c.masterAuthorizedNetworksConfig;
  // Authorized networks on with no range admit nothing from outside Google Cloud; off admit any address.
  const admitted = networks?.enabled === true ? cidrsOf(networks) : ['0.0.0.0/0'];
  return {
    public: isPublic,
    // Without a public IP endpoint the control plane is reached privately (its private IP or the DNS endpoint).
    private: !isPublic || c.privateClusterConfig?.enablePrivateNodes === true,
    allowedCidrs: isPublic ? admitted : [],
    privateAllowedCidrs: ipEndpoint && !isPublic ? admitted : null,
  };
}

/** The cluster's default for new node pools: `networkConfig.defaultEnablePrivateNodes` when set, else the deprecated `privateClusterConfig.enablePrivateNodes`. */
function defaultPrivateNodes(c: Gke): boolean {
  const value = c.networkConfig?.defaultEnablePrivateNodes;
  return typeof value === 'boolean' ? value : c.privateClusterConfig?.enablePrivateNodes === true;
}

/** `decoded` (from the API collector) says how the client object was turned into REST JSON; kept in `raw`. */
export function normalizeGkeCluster(input: { cluster: unknown; project?: string; decoded?: Decoded }, ctx: { collectedAt: string; source?: string }): KubernetesClusterAsset {
  const c = GkeCluster.parse(input.cluster);
  const project = input.project ?? projectOf(c.selfLink);
  if (!project) throw new Error(`GKE cluster ${c.name}: no project (selfLink missing and none given)`);
  const location = (c.location ?? c.zone ?? '').toLowerCase();
  if (!location) throw new Error(`GKE cluster ${c.name}: no location`);
  const endpoint = endpointOf(c);
  const privateNodes = defaultPrivateNodes(c);
  const zones = c.locations ?? [];
  return {
    id: `gcp://${project}/${location}/gke/${c.name}`,
    kind: 'cluster',
    provider: 'gcp',
    account: project,
    region: gcpRegionOf(location),
    jurisdiction: jurisdictionOf('gcp', location),
    tags: c.resourceLabels ?? {},
    collectedAt: ctx.collectedAt,
    source: ctx.source,
    rawForm: 'gcp-api',
    raw: { cluster: input.cluster, ...(input.decoded ? { decoded: input.decoded } : {}) },
    cluster: {
      distribution: 'gke',
      name: c.name,
      version: c.currentMasterVersion ?? null,
      endpoint,
      rbac: c.legacyAbac?.enabled !== true,
      networkPolicy: c.networkPolicy?.enabled === true || c.networkConfig?.datapathProvider === 'ADVANCED_DATAPATH',
      secretsEncryption: { enabled: c.databaseEncryption?.state === 'ENCRYPTED', keyId: c.databaseEncryption?.keyName ?? null },
      // Cloud Audit Logs record every change made through the Kubernetes API (Admin Activity); they are
      // always written and cannot be turned off, whatever loggingService says.
      auditLogging: true,
      locations: [...new Set([location, ...zones])],
      nodePools: (c.nodePools ?? []).map((p) => ({
        name: p.name,
        version: p.version ?? null,
        locations: p.locations ?? zones,
        // A pool's own setting (proto `optional`: set means set) overrides the cluster default.
        publicIp: !(p.networkConfig?.enablePrivateNodes ?? privateNodes),
        imageType: p.config?.imageType ?? null,
        serviceAccount: p.config?.serviceAccount ?? 'default',
        // REST omits `false`: a management block without autoUpgrade means it is off.
        autoUpgrade: p.management ? p.management.autoUpgrade === true : null,
      })),
      workloadIdentity: Boolean(c.workloadIdentityConfig?.workloadPool?.trim()),
    },
  };
}
