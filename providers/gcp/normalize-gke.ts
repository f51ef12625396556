// GKE Cluster (REST JSON / gcloud --format=json) → `cluster` asset. The API fills defaults, so
// every decision reads values, and both the deprecated and the newer endpoint fields.
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
    networkConfig: z.object({ datapathProvider: z.string().nullish() }).loose().nullish(),
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

/** `decoded` (from the API collector) says how the client object was turned into REST JSON; kept in `raw`. */
export function normalizeGkeCluster(input: { cluster: unknown; project?: string; decoded?: Decoded }, ctx: { collectedAt: string; source?: string }): KubernetesClusterAsset {
  const c = GkeCluster.parse(input.cluster);
  const project = input.project ?? projectOf(c.selfLink);
  if (!project) throw new Error(`GKE cluster ${c.name}: no project (selfLink missing and none given)`);
  const location = (c.location ?? c.zone ?? '').toLowerCase();
  if (!location) throw new Error(`GKE cluster ${c.name}: no location`);
  const ip = c.controlPlaneEndpointsConfig?.ipEndpointsConfig;
  // The newer ipEndpointsConfig decides when it holds a value (enabled=false: no IP endpoint at all);
  // otherwise the deprecated privateClusterConfig.enablePrivateEndpoint does (unset = public).
  const privateEndpoint =
    ip?.enabled === false ? true : typeof ip?.enablePublicEndpoint === 'boolean' ? !ip.enablePublicEndpoint : c.privateClusterConfig?.enablePrivateEndpoint === true;
  const authorized = [c.masterAuthorizedNetworksConfig, ip?.authorizedNetworksConfig].find((n) => n?.enabled === true);
  const privateNodes = c.privateClusterConfig?.enablePrivateNodes === true;
  const logging = c.loggingService !== 'none' && (c.loggingConfig?.componentConfig?.enableComponents ?? ['SYSTEM_COMPONENTS']).length > 0;
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
      endpoint: {
        public: !privateEndpoint,
        private: privateEndpoint || privateNodes,
        allowedCidrs: privateEndpoint ? [] : authorized ? (authorized.cidrBlocks ?? []).map((b) => b.cidrBlock) : ['0.0.0.0/0'],
      },
      rbac: c.legacyAbac?.enabled !== true,
      networkPolicy: c.networkPolicy?.enabled === true || c.networkConfig?.datapathProvider === 'ADVANCED_DATAPATH',
      secretsEncryption: { enabled: c.databaseEncryption?.state === 'ENCRYPTED', keyId: c.databaseEncryption?.keyName ?? null },
      auditLogging: logging,
      locations: [...new Set([location, ...zones])],
      nodePools: (c.nodePools ?? []).map((p) => ({
        name: p.name,
        version: p.version ?? null,
        locations: p.locations ?? zones,
        publicIp: p.networkConfig?.enablePrivateNodes ?? privateNodes ? false : true,
        imageType: p.config?.imageType ?? null,
        serviceAccount: p.config?.serviceAccount ?? 'default',
        // REST omits `false`: a management block without autoUpgrade means it is off.
        autoUpgrade: p.management ? p.management.autoUpgrade === true : null,
      })),
    },
  };
}
