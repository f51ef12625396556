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
    expect(asset.cluster.endpoint).toEqual({ public: false, private: true, allowedCidrs: [] });
  });
  it('the newer enablePublicEndpoint wins over the deprecated privateClusterConfig when set', () => {
    const cluster = { ...base, privateClusterConfig: { enablePrivateEndpoint: true }, controlPlaneEndpointsConfig: { ipEndpointsConfig: { enabled: true, enablePublicEndpoint: true } } };
    expect(normalizeGkeCluster({ cluster }, ctx).cluster.endpoint.public).toBe(true);
    expect(normalizeGkeCluster({ cluster: { ...base, privateClusterConfig: { enablePrivateEndpoint: true } } }, ctx).cluster.endpoint.public).toBe(false);
    expect(normalizeGkeCluster({ cluster: base }, ctx).cluster.endpoint.public).toBe(true);
  });
});

