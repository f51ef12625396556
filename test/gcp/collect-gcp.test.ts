// posture's Google Cloud collector driven end to end over the real wire protocols: the unmodified
// ClusterManagerClient over gRPC to a ClusterManager server built from the shipped proto, the unmodified
// ArtifactRegistryClient over HTTP/1.1 REST to a stand-in with pageToken paging, credentials from
// google-auth-library's AWS workload identity federation client against an STS stand-in, and images
// pulled from a real registry whose token service accepts that Google access token as `oauth2accesstoken`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAsset, type Asset, type KubernetesClusterAsset, type ImageAsset, type ImageStoreAsset } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import { Engine } from '../../policies/engine.ts';
import { collectGcp, type CloudCollection } from '../../providers/gcp/index.ts';
import { craneFor } from '../oci/support/crane.ts';
import { debianSpec } from '../oci/support/fixtures.ts';
import { writeLayout } from '../oci/support/layout-writer.ts';
import { startRegistry, type RunningRegistry } from '../oci/support/registry-server.ts';
import { startTokenServer, type TokenServer } from '../oci/support/token-server.ts';
import { startArtifactRegistryStandIn, type ArStandIn } from '../standins/artifact-registry.ts';
import { startGkeStandIn, type GkeStandIn } from '../standins/gke-grpc.ts';
import { startGrafeasStandIn, type GrafeasStandIn } from '../standins/grafeas-grpc.ts';
import { vulnerabilityOccurrence } from './support/occurrences.ts';
import { gammaCluster, hardenedCluster, legacyCluster } from './support/clusters.ts';
import { federatedAuthClient } from './support/federated-auth.ts';
import { startGoogleSts, type GoogleStsStandIn } from './support/google-sts.ts';

const now = new Date('2026-11-01T00:00:00Z');
const audience = '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/aws-pool/providers/posture-lambda';
const googleToken = 'ya29.posture-test-federated-token';

let work: string;
let gke: GkeStandIn;
let grafeas: GrafeasStandIn;
let ar: ArStandIn;
let sts: GoogleStsStandIn;
let tokens: TokenServer;
let registry: RunningRegistry;
let imageDigest: string;
let result: CloudCollection;

const repo = (project: string, location: string, id: string, extra: Record<string, unknown> = {}) => ({
  name: `projects/${project}/locations/${location}/repositories/${id}`,
  format: 'DOCKER',
  mode: 'STANDARD_REPOSITORY',
  createTime: '2025-03-01T10:00:00.000Z',
  updateTime: '2026-10-01T10:00:00.000Z',
  sizeBytes: '1048576',
  registryUri: `${location}-docker.pkg.dev/${project}/${id}`,
  ...extra,
});

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'posture-gcp-'));
  sts = await startGoogleSts({ audience, accessToken: googleToken });
  tokens = await startTokenServer({ dir: work, users: { pusher: 'push-secret', oauth2accesstoken: googleToken } });
  registry = await startRegistry({ kind: 'token', realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundle: tokens.certFile });
  const crane = await craneFor(registry.host, 'pusher', 'push-secret');
  await writeLayout(join(work, 'debian'), await debianSpec());
  await crane('push', join(work, 'debian'), `${registry.host}/proj-alpha/docker-eu/shop/api:1.4.0`);
  imageDigest = await crane('digest', `${registry.host}/proj-alpha/docker-eu/shop/api:1.4.0`);
  // Artifact Analysis' occurrence for the image, under the resource URL of the host it is pulled from (DSA-5514-1).
  grafeas = await startGrafeasStandIn({
    occurrences: {
      'proj-alpha': [
        vulnerabilityOccurrence(`https://${registry.host}/proj-alpha/docker-eu/shop/api@${imageDigest}`, 'CVE-2023-4911', { severity: 'HIGH', effectiveSeverity: 'HIGH', pkg: 'glibc', affected: ['2.36', '9+deb12u1'], fixed: ['2.36', '9+deb12u3'] }),
      ],
    },
  });

  gke = await startGkeStandIn({ clusters: { 'proj-alpha': [hardenedCluster, legacyCluster], 'proj-gamma': [gammaCluster] }, denied: ['proj-beta'], missingZones: { 'proj-gamma': ['asia-east1-a'] } });
  const euRepos = [
    repo('proj-alpha', 'europe-west1', 'docker-eu', {
      labels: { 'data-classification': 'restricted' },
      dockerConfig: { immutableTags: true },
      cleanupPolicies: { 'delete-untagged': { id: 'delete-untagged', action: 'DELETE', condition: { tagState: 'UNTAGGED', olderThan: '2592000s' } } },
      vulnerabilityScanningConfig: { enablementConfig: 'INHERITED', enablementState: 'SCANNING_ACTIVE', lastEnableTime: '2025-03-01T10:00:00Z' },
      kmsKeyName: 'projects/proj-alpha/locations/europe-west1/keyRings/ar/cryptoKeys/images',
    }),
    repo('proj-alpha', 'europe-west1', 'maven-libs', { format: 'MAVEN', mavenConfig: { versionPolicy: 'RELEASE' } }),
    repo('proj-alpha', 'europe-west1', 'public-demo', { vulnerabilityScanningConfig: { enablementConfig: 'DISABLED', enablementState: 'SCANNING_DISABLED' } }),
    repo('proj-alpha', 'europe-west1', 'dockerhub-cache', {
      mode: 'REMOTE_REPOSITORY',
      remoteRepositoryConfig: { description: 'Docker Hub', dockerRepository: { publicRepository: 'DOCKER_HUB' } },
      cleanupPolicyDryRun: true,
      cleanupPolicies: { 'keep-recent': { id: 'keep-recent', action: 'KEEP', mostRecentVersions: { keepCount: 10 } } },
    }),
    repo('proj-alpha', 'europe-west1', 'team-b'),
  ];
  ar = await startArtifactRegistryStandIn({
    accessToken: googleToken,
    pageSize: 2,
    denied: ['proj-beta'],
    projects: {
      'proj-alpha': {
        locations: ['europe', 'europe-west1'],
        repositories: [...euRepos, repo('proj-alpha', 'europe', 'multi', { labels: { 'data-classification': 'restricted' } })],
        iamPolicies: {
          'projects/proj-alpha/locations/europe-west1/repositories/public-demo': {
            version: 1,
            etag: 'BwYAAAAAAAE=',
            bindings: [{ role: 'roles/artifactregistry.reader', members: ['allUsers'] }],
          },
          'projects/proj-alpha/locations/europe-west1/repositories/docker-eu': {
            version: 1,
            etag: 'BwYAAAAAAAI=',
            bindings: [{ role: 'roles/artifactregistry.reader', members: ['serviceAccount:deploy@proj-alpha.iam.gserviceaccount.com'] }],
          },
        },
        dockerImages: {
          'projects/proj-alpha/locations/europe-west1/repositories/docker-eu': [
            {
              name: `projects/proj-alpha/locations/europe-west1/repositories/docker-eu/dockerImages/shop%2Fapi@${imageDigest}`,
              uri: `${registry.host}/proj-alpha/docker-eu/shop/api@${imageDigest}`,
              tags: ['1.4.0'],
              imageSizeBytes: '4096',
              uploadTime: '2026-10-01T10:00:00Z',
              mediaType: 'application/vnd.oci.image.manifest.v1+json',
              updateTime: '2026-10-01T10:00:00Z',
            },
          ],
        },
      },
      'proj-gamma': { locations: ['europe-west4'], repositories: [] },
    },
  });

  result = await collectGcp({
    settings: { projects: ['proj-alpha', 'proj-beta', 'proj-gamma'], imagesPerRepository: 2, concurrency: 2 },
    authClient: federatedAuthClient(sts.tokenUrl, audience),
    clientOptions: {
      container: { apiEndpoint: '127.0.0.1', port: gke.port, sslCreds: grpc.credentials.createInsecure() },
      artifactRegistry: { apiEndpoint: ar.host, port: ar.port, fallback: true, protocol: 'http' },
      containerAnalysis: { apiEndpoint: '127.0.0.1', port: grafeas.port, sslCreds: grpc.credentials.createInsecure() },
    },
    // The stand-in's token service has its own origin; Artifact Registry's realm is the registry itself.
    images: { insecureHosts: [registry.host, new URL(tokens.url).host], extraRegistryHosts: [registry.host], tokenRealms: { [registry.host]: [tokens.url] } },
    now,
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([gke?.stop(), grafeas?.stop(), ar?.stop(), sts?.stop(), registry?.stop(), tokens?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

const byId = <T extends Asset>(id: string): T => {
  const asset = result.assets.find((a) => a.id === id);
  if (!asset) throw new Error(`no asset ${id} among ${result.assets.map((a) => a.id).join(', ')}`);
  return asset as T;
};

describe('collectGcp', () => {
  it('reads every reachable project and records the refused one per service, with the missing zone', () => {
    expect(result.assets.map((a) => a.id)).toEqual([
      'gcp://proj-alpha/europe-west1/artifact-registry/docker-eu',
      'gcp://proj-alpha/europe-west1/artifact-registry/dockerhub-cache',
      'gcp://proj-alpha/europe-west1/artifact-registry/public-demo',
      'gcp://proj-alpha/europe-west1/artifact-registry/team-b',
      'gcp://proj-alpha/europe-west1/gke/shop-eu',
      'gcp://proj-alpha/europe/artifact-registry/multi',
      'gcp://proj-alpha/us-central1-a/gke/legacy',
      'gcp://proj-gamma/europe-west4/gke/batch',
      `oci://${registry.host}/proj-alpha/docker-eu/shop/api@${imageDigest}`,
    ]);
    for (const asset of result.assets) parseAsset(asset);
    expect(result.errors.map((e) => e.scope)).toEqual(['gcp/proj-beta/artifact-registry', 'gcp/proj-beta/gke', 'gcp/proj-gamma/gke']);
    expect(result.errors[0]!.message).toBe(
      "permission denied: PERMISSION_DENIED: Permission 'artifactregistry.repositories.list' denied on resource '//artifactregistry.googleapis.com/projects/proj-beta' (or it may not exist).",
    );
    expect(result.errors[1]!.message).toMatch(/permission denied: PERMISSION_DENIED: .*container\.clusters\.list/);
    expect(result.errors[2]!.message).toBe('GKE did not answer for asia-east1-a; clusters there are missing from this scan');
    expect(gke.requests.sort()).toEqual(['projects/proj-alpha/locations/-', 'projects/proj-beta/locations/-', 'projects/proj-gamma/locations/-']);
  });

  it('turns gRPC proto objects (defaults filled, enum names) into REST JSON and normalizes both endpoint generations', () => {
    const eu = byId<KubernetesClusterAsset>('gcp://proj-alpha/europe-west1/gke/shop-eu');
    expect(eu.rawForm).toBe('gcp-api');
    expect(eu.raw.decoded).toEqual({ transport: 'grpc', enumsReceivedAs: 'string' });
    const raw = eu.raw.cluster as Record<string, any>;
    expect(raw.releaseChannel).toEqual({ channel: 'REGULAR' });
    expect(raw.nodePools[0].initialNodeCount).toBe(1);
    // Proto defaults the client filled in (empty strings, false, nulls) are gone again, as in REST.
    expect(raw).not.toHaveProperty('enableKubernetesAlpha');
    expect(raw).not.toHaveProperty('privateClusterConfig');
    expect(eu.cluster).toMatchObject({
      distribution: 'gke',
      version: '1.32.4-gke.1106006',
      endpoint: { public: false, private: true, allowedCidrs: [] },
      rbac: true,
      networkPolicy: true,
      secretsEncryption: { enabled: true, keyId: 'projects/proj-alpha/locations/europe-west1/keyRings/gke/cryptoKeys/etcd' },
      locations: ['europe-west1', 'europe-west1-b', 'europe-west1-c'],
    });
    expect(eu.jurisdiction).toBe('EU');
    expect(eu.tags).toEqual({ 'data-classification': 'restricted', team: 'shop' });

    const legacy = byId<KubernetesClusterAsset>('gcp://proj-alpha/us-central1-a/gke/legacy');
    expect(legacy.region).toBe('us-central1');
    expect(legacy.cluster.endpoint).toEqual({ public: true, private: false, allowedCidrs: ['0.0.0.0/0'], privateAllowedCidrs: null });
    expect(legacy.cluster.rbac).toBe(false);
    expect(legacy.cluster.nodePools![0]).toMatchObject({ serviceAccount: 'default', autoUpgrade: false, publicIp: true });
    expect((legacy.raw.cluster as Record<string, any>).databaseEncryption).toEqual({ state: 'DECRYPTED' });
  });

  it('lists Docker repositories across pageToken pages with REST numeric enums, and reads IAM for public members', () => {
    const listCalls = ar.requests.filter((r) => r.path === '/v1/projects/proj-alpha/locations/europe-west1/repositories');
    expect(listCalls.map((r) => r.pageToken === null)).toEqual([true, false, false]);
    expect(listCalls.every((r) => r.enumEncoding === 'int')).toBe(true);
    expect(ar.unauthenticated).toBe(0);

    const eu = byId<ImageStoreAsset>('gcp://proj-alpha/europe-west1/artifact-registry/docker-eu');
    // The stand-in sent enum numbers (as asked); google-gax's REST decoder hands them over as names.
    expect(eu.raw.decoded).toEqual({ transport: 'rest', enumsReceivedAs: 'string' });
    expect((eu.raw.repository as Record<string, unknown>).format).toBe('DOCKER');
    expect(eu.registry).toEqual({
      service: 'artifact-registry',
      name: 'docker-eu',
      uri: 'europe-west1-docker.pkg.dev/proj-alpha/docker-eu',
      scanOnPush: true,
      tagImmutable: true,
      encryption: { type: 'CMEK', keyId: 'projects/proj-alpha/locations/europe-west1/keyRings/ar/cryptoKeys/images' },
      publicAccess: false,
      adminUser: null,
      lifecyclePolicy: true,
      replicaLocations: [],
    });
    const pub = byId<ImageStoreAsset>('gcp://proj-alpha/europe-west1/artifact-registry/public-demo');
    expect(pub.registry).toMatchObject({ publicAccess: true, scanOnPush: false, tagImmutable: false, lifecyclePolicy: false, encryption: { type: 'GOOGLE_MANAGED', keyId: null } });
    const remote = byId<ImageStoreAsset>('gcp://proj-alpha/europe-west1/artifact-registry/dockerhub-cache');
    expect((remote.raw.repository as Record<string, any>).remoteRepositoryConfig.dockerRepository).toEqual({ publicRepository: 'DOCKER_HUB' });
    expect(remote.registry.lifecyclePolicy).toBe(false); // dry-run cleanup deletes nothing
    const multi = byId<ImageStoreAsset>('gcp://proj-alpha/europe/artifact-registry/multi');
    expect(multi.region).toBe('europe');
    expect(multi.jurisdiction).toBe('EUROPE_MULTI');
  });

  it('federates from AWS and pulls the newest image with the Google token as oauth2accesstoken', () => {
    expect(sts.rejected).toEqual([]);
    // Concurrent first calls may each exchange before the token is cached; every exchange is the Lambda's.
    expect(sts.exchanges.length).toBeGreaterThanOrEqual(1);
    for (const exchange of sts.exchanges) expect(exchange).toEqual({ audience, signedBy: 'ASIAPOSTURETESTKEY01', region: 'eu-west-1' });
    const image = byId<ImageAsset>(`oci://${registry.host}/proj-alpha/docker-eu/shop/api@${imageDigest}`);
    expect(image.image.contents?.os?.id).toBe('debian');
    expect(image.tags).toMatchObject({ 'data-classification': 'restricted' });
    expect(tokens.requests).toContainEqual({ path: '/oauth2/token', grant: null, ok: true });
    expect(tokens.requests.filter((r) => !r.ok)).toEqual([]);
  });

  it("reads Artifact Analysis' vulnerability occurrences for the pulled image", () => {
    const image = result.assets.find((a): a is ImageAsset => a.kind === 'image' && a.image.digest === imageDigest)!;
    expect(image.image.nativeVulnerabilities).toEqual([
      { scanner: 'artifact-analysis', id: 'CVE-2023-4911', aliases: [], severity: 'high', packageName: 'glibc', packageVersion: '2.36-9+deb12u1', fixedVersion: '2.36-9+deb12u3', uri: 'https://security-tracker.debian.org/tracker/CVE-2023-4911' },
    ]);
    expect(image.raw.nativeScan).toEqual({ scanner: 'artifact-analysis', status: 'reported', findings: 1, truncated: false });
    expect(grafeas.requests).toEqual([{ parent: 'projects/proj-alpha', filter: `kind="VULNERABILITY" AND resourceUrl="https://${registry.host}/proj-alpha/docker-eu/shop/api@${imageDigest}"`, pageSize: 500, pageToken: '' }]);
  });

  it('feeds the Wasm engine: the legacy cluster and the public repository fail, the hardened cluster does not', async () => {
    const engine = await Engine.load({ config: parseConfig({}), now });
    const rules = (id: string) => [...new Set(engine.evaluate(parseAsset(byId(id))).map((f) => f.ruleId))];
    const legacy = rules('gcp://proj-alpha/us-central1-a/gke/legacy');
    expect(legacy).toEqual(expect.arrayContaining(['CLU-002', 'GKE-004', 'GKE-010']));
    const hardened = rules('gcp://proj-alpha/europe-west1/gke/shop-eu');
    expect(hardened).not.toContain('CLU-002');
    expect(hardened).not.toContain('GKE-010');
    expect(hardened).not.toContain('GKE-004');
    // Restricted data in the `europe` multi-region is outside the EU-only default for that class.
    expect(rules('gcp://proj-alpha/europe/artifact-registry/multi')).toContain('DR-006');
  });

  it('rejects a config without projects or with a malformed project id, naming the field', async () => {
    await expect(collectGcp({ settings: {}, authClient: federatedAuthClient(sts.tokenUrl, audience) })).rejects.toThrow(/gcp\.projects is empty/);
    await expect(collectGcp({ settings: { projects: ['Bad_Project'] }, authClient: federatedAuthClient(sts.tokenUrl, audience) })).rejects.toThrow(/project id/);
  });
});
