// Bad and edge inputs at the Google Cloud boundary: resource names, public IAM members, registry hosts,
// and client objects that do not fit their message type — each rejected or judged with a specific answer.
import { describe, expect, it } from 'vitest';
import { isGoogleRegistryHost, normalizeArtifactRegistryRepository } from '../../providers/gcp/index.ts';
import { normalizeGkeCluster } from '../../providers/gcp/normalize-gke.ts';
import { describeGcpError } from '../../providers/gcp/errors.ts';
import { enumEncodingOf, toRestJson } from '../../providers/gcp/proto-json.ts';
import { arRepositoryType, gkeClusterType } from '../../providers/gcp/protos.ts';

const ctx = { collectedAt: '2026-11-01T00:00:00.000Z' };
const name = 'projects/p-one/locations/asia/repositories/images';

describe('Artifact Registry normalizer', () => {
  it('names a malformed repository name', () => {
    expect(() => normalizeArtifactRegistryRepository({ repository: { name: 'projects/p-one/repositories/images' } }, ctx)).toThrow(/projects\/P\/locations\/L\/repositories\/R/);
  });

  it('treats allAuthenticatedUsers as public, an unread policy as unknown, and multi-regions by name', () => {
    const open = normalizeArtifactRegistryRepository({ repository: { name }, iamPolicy: { bindings: [{ role: 'roles/artifactregistry.reader', members: ['allAuthenticatedUsers'] }] } }, ctx);
    expect(open.registry.publicAccess).toBe(true);
    expect(open.jurisdiction).toBe('ASIA_MULTI');
    expect(open.registry.uri).toBe('asia-docker.pkg.dev/p-one/images');
    const unread = normalizeArtifactRegistryRepository({ repository: { name } }, ctx);
    expect(unread.registry.publicAccess).toBeNull();
    expect(unread.raw).not.toHaveProperty('iamPolicy');
    expect(unread.registry.scanOnPush).toBeNull();
  });
});

describe('GKE normalizer: what the endpoint, authorized-network and private-node fields mean', () => {
  const base = { name: 'c', selfLink: 'https://container.googleapis.com/v1/projects/p-one/locations/europe-west1/clusters/c', location: 'europe-west1' };
  const cluster = (extra: Record<string, unknown>) => normalizeGkeCluster({ cluster: { ...base, ...extra } }, ctx).cluster;
  const ipEndpoints = (config: Record<string, unknown>) => ({ controlPlaneEndpointsConfig: { ipEndpointsConfig: config } });

  it('decides whether the control plane is public: the newer ipEndpointsConfig by value, else the deprecated field', () => {
    expect(cluster({}).endpoint.public).toBe(true);
    expect(cluster({ privateClusterConfig: { enablePrivateEndpoint: true } }).endpoint.public).toBe(false);
    expect(cluster(ipEndpoints({ enablePublicEndpoint: false })).endpoint.public).toBe(false);
    expect(cluster({ privateClusterConfig: { enablePrivateEndpoint: true }, ...ipEndpoints({ enablePublicEndpoint: true }) }).endpoint.public).toBe(true);
    // No IP endpoint at all (DNS only): not public, and no range filter to judge.
    expect(cluster(ipEndpoints({ enabled: false })).endpoint).toMatchObject({ public: false, private: true, allowedCidrs: [], privateAllowedCidrs: null });
  });

  it('reads authorized networks from the newer config when it says whether they are on, and applies them to either endpoint', () => {
    const office = [{ cidrBlock: '203.0.113.0/24' }];
    expect(cluster({}).endpoint.allowedCidrs).toEqual(['0.0.0.0/0']);
    expect(cluster({ masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: office } }).endpoint.allowedCidrs).toEqual(['203.0.113.0/24']);
    // The newer config turns them off although the deprecated one has them on: off wins.
    const off = cluster({ masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: office }, ...ipEndpoints({ authorizedNetworksConfig: { enabled: false } }) });
    expect(off.endpoint.allowedCidrs).toEqual(['0.0.0.0/0']);
    // On with no range: nothing outside Google Cloud is admitted.
    expect(cluster({ masterAuthorizedNetworksConfig: { enabled: true } }).endpoint.allowedCidrs).toEqual([]);
    const privateOnly = cluster({ privateClusterConfig: { enablePrivateEndpoint: true } });
    expect(privateOnly.endpoint).toMatchObject({ allowedCidrs: [], privateAllowedCidrs: ['0.0.0.0/0'] });
  });

  it('decides which node pools are private: the pool, else the cluster default (newer field first)', () => {
    const pools = (extra: Record<string, unknown>, pool: Record<string, unknown> = {}) => cluster({ ...extra, nodePools: [{ name: 'p', ...pool }] }).nodePools!.map((p) => p.publicIp);
    expect(pools({})).toEqual([true]);
    expect(pools({ privateClusterConfig: { enablePrivateNodes: true } })).toEqual([false]);
    expect(pools({ privateClusterConfig: { enablePrivateNodes: true }, networkConfig: { defaultEnablePrivateNodes: false } })).toEqual([true]);
    expect(pools({ networkConfig: { defaultEnablePrivateNodes: false } }, { networkConfig: { enablePrivateNodes: true } })).toEqual([false]);
  });

  it('gives workload identity from the pool name and records audit logs always (Cloud Audit Logs cannot be turned off)', () => {
    expect(cluster({}).workloadIdentity).toBe(false);
    expect(cluster({ workloadIdentityConfig: { workloadPool: 'p-one.svc.id.goog' } }).workloadIdentity).toBe(true);
    expect(cluster({ loggingService: 'none' }).auditLogging).toBe(true);
  });
});

describe('proto objects to REST JSON', () => {
  it('reads enum numbers and names alike and says which it got', () => {
    const byNumber = { name: 'c', releaseChannel: { channel: 2 }, status: 2 };
    const byName = { name: 'c', releaseChannel: { channel: 'REGULAR' }, status: 'RUNNING' };
    expect(enumEncodingOf(gkeClusterType(), byNumber)).toBe('number');
    expect(enumEncodingOf(gkeClusterType(), byName)).toBe('string');
    expect(toRestJson(gkeClusterType(), byNumber)).toEqual(toRestJson(gkeClusterType(), byName));
    expect(toRestJson(gkeClusterType(), byName)).toEqual({ name: 'c', releaseChannel: { channel: 'REGULAR' }, status: 'RUNNING' });
  });

  it('names the message type when an object does not fit it', () => {
    expect(() => toRestJson(arRepositoryType(), { cleanupPolicies: 'not-a-map' })).toThrow(/google\.devtools\.artifactregistry\.v1\.Repository: the client returned an object that does not fit/);
  });
});

describe('Google registry hosts and errors', () => {
  it('matches Artifact Registry and Container Registry hosts only', () => {
    for (const host of ['europe-west3-docker.pkg.dev', 'europe-docker.pkg.dev', 'gcr.io', 'eu.gcr.io']) expect(isGoogleRegistryHost(host)).toBe(true);
    for (const host of ['docker.pkg.dev.evil.example', 'evil-docker.pkg.dev.example.com', 'gcr.io.example.com', 'myacr.azurecr.io']) expect(isGoogleRegistryHost(host)).toBe(false);
  });

  it('bounds error text that comes from the network', () => {
    const text = describeGcpError(Object.assign(new Error('x'.repeat(5000)), { code: 14 }));
    expect(text.length).toBeLessThanOrEqual(601);
    expect(text.startsWith('UNAVAILABLE: xxx')).toBe(true);
  });
});

describe('GKE endpoint semantics (the normalizer owns them)', () => {
  const ctx = { collectedAt: '2026-01-01T00:00:00Z' };
  const base = { name: 'c', location: 'europe-west1', selfLink: 'https://container.googleapis.com/v1/projects/p/locations/europe-west1/clusters/c', currentMasterVersion: '1.32.1', nodePools: [] };
  it('a control plane with no IP endpoint (ipEndpointsConfig.enabled=false) is not public', () => {
    const asset = normalizeGkeCluster({ cluster: { ...base, controlPlaneEndpointsConfig: { ipEndpointsConfig: { enabled: false } } } }, ctx);
    expect(asset.cluster.endpoint).toEqual({ public: false, private: true, allowedCidrs: [], privateAllowedCidrs: null });
  });
  it('the newer enablePublicEndpoint wins over the deprecated privateClusterConfig when set', () => {
    const cluster = { ...base, privateClusterConfig: { enablePrivateEndpoint: true }, controlPlaneEndpointsConfig: { ipEndpointsConfig: { enabled: true, enablePublicEndpoint: true } } };
    expect(normalizeGkeCluster({ cluster }, ctx).cluster.endpoint.public).toBe(true);
    expect(normalizeGkeCluster({ cluster: { ...base, privateClusterConfig: { enablePrivateEndpoint: true } } }, ctx).cluster.endpoint.public).toBe(false);
    expect(normalizeGkeCluster({ cluster: base }, ctx).cluster.endpoint.public).toBe(true);
  });
});

