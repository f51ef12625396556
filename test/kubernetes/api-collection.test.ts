// Collection through the Kubernetes API against a real kube-apiserver (with etcd) on loopback. The test
// creates workloads, RBAC, network policies and Pod Security labels through the API as an admin, binds the
// shipped posture-reader ClusterRole to a token user and a certificate user, and reads the cluster as each:
// everything, page by page with a small limit; a user RBAC keeps out of one namespace gets an error for that
// namespace alone; Secrets come as names and types, never values.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterConnection } from '../../providers/kubernetes/api/client.ts';
import { collectClusterObjects, type ClusterObjects } from '../../providers/kubernetes/collect-cluster.ts';
import { KubernetesSettings } from '../../providers/kubernetes/settings.ts';
import { ensureDefaultServiceAccounts, startKubeApiServer, type KubeApiServer } from '../standins/kube-apiserver.ts';
import { plantEstate, plantedNames } from './support/estate.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readerToken = 'posture-reader-token-0123456789abcdef';
const limitedToken = 'limited-token-0123456789abcdef';
const secretsToken = 'secret-names-token-0123456789abcdef';

let api: KubeApiServer;

const tokenConnection = (token: string): ClusterConnection => ({
  cluster: 'standin',
  distribution: 'kubernetes',
  server: api.url,
  ca: api.ca,
  authorize: async () => ({ authorization: `Bearer ${token}` }),
});
const settings = (overrides: Record<string, unknown> = {}) => KubernetesSettings.parse(overrides);
const kindsOf = (read: ClusterObjects, kind: string) => read.objects.filter((o) => o.kind === kind);
const names = (objects: Record<string, unknown>[]) => objects.map((o) => `${(o.metadata as { namespace?: string }).namespace ?? ''}/${(o.metadata as { name: string }).name}`).sort();

beforeAll(async () => {
  api = await startKubeApiServer({
    tokens: {
      [readerToken]: { user: 'posture-reader' },
      [limitedToken]: { user: 'limited' },
      [secretsToken]: { user: 'secret-names' },
    },
    clientCertificates: { reader: { user: 'posture-cert-reader', groups: ['posture-readers'] } },
  });
  // The shipped least-privilege roles, applied as shipped.
  for (const doc of parseAllDocuments(readFileSync(path.join(root, 'providers/kubernetes/rbac/posture-reader.yaml'), 'utf8'))) {
    await api.admin$('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', doc.toJSON());
  }
  const bind = (name: string, role: string, subject: { kind: string; name: string }) =>
    api.admin$('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', ...subject }],
    });
  await bind('posture-reader-token', 'posture-reader', { kind: 'User', name: 'posture-reader' });
  await bind('posture-reader-cert', 'posture-reader', { kind: 'Group', name: 'posture-readers' });
  await bind('secret-names-reader', 'posture-reader', { kind: 'User', name: 'secret-names' });
  await bind('secret-names-secrets', 'posture-secret-names', { kind: 'User', name: 'secret-names' });
  await plantEstate(api);
  await ensureDefaultServiceAccounts(api, ['default', ...plantedNames.namespaces]);
  // `limited` may read the cluster's layout and every namespace but `vault`.
  await api.admin$('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
    metadata: { name: 'layout-reader' },
    rules: [{ apiGroups: ['', 'rbac.authorization.k8s.io'], resources: ['namespaces', 'clusterroles', 'clusterrolebindings'], verbs: ['list'] }],
  });
  await bind('limited-layout', 'layout-reader', { kind: 'User', name: 'limited' });
  const all = (await api.admin$('GET', '/api/v1/namespaces')) as { items: { metadata: { name: string } }[] };
  for (const namespace of all.items.map((n) => n.metadata.name).filter((n) => n !== 'vault')) {
    await api.admin$('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`, {
      metadata: { name: 'limited-reader', namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'posture-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'limited' }],
    });
  }
}, 180_000);

afterAll(async () => {
  await api?.stop();
});

describe('collection through the Kubernetes API', () => {
  it('reads every kind with the shipped ClusterRole and a bearer token, Secrets left out', async () => {
    const read = await collectClusterObjects(tokenConnection(readerToken), settings(), 'kubernetes/test');
    expect(read.errors).toEqual([]);
    expect(read.notCollected).toEqual(['Secret']);
    expect(names(kindsOf(read, 'Pod'))).toEqual(plantedNames.pods);
    expect(names(kindsOf(read, 'Deployment'))).toEqual(['shop/web']);
    expect(names(kindsOf(read, 'NetworkPolicy'))).toEqual(['shop/default-deny']);
    expect(kindsOf(read, 'Secret')).toEqual([]);
    const shop = kindsOf(read, 'Namespace').find((n) => (n.metadata as { name: string }).name === 'shop');
    expect((shop?.metadata as { labels: Record<string, string> }).labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const privileged = kindsOf(read, 'Pod').find((p) => (p.metadata as { name: string }).name === 'debug-shell');
    expect(privileged).toMatchObject({ apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ securityContext: { privileged: true } }] } });
    const admin = kindsOf(read, 'ClusterRoleBinding').find((b) => (b.metadata as { name: string }).name === 'deployer-admin');
    expect(admin).toMatchObject({ roleRef: { name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'shop' }] });
    // List items carry neither kind nor apiVersion on the wire; every object gets both, and loses managedFields.
    for (const o of read.objects) {
      expect(typeof o.kind).toBe('string');
      expect(typeof o.apiVersion).toBe('string');
      expect((o.metadata as Record<string, unknown>).managedFields).toBeUndefined();
    }
  });

  it('reads the same with a client certificate (group from the certificate organization)', async () => {
    const byToken = await collectClusterObjects(tokenConnection(readerToken), settings(), 'kubernetes/test');
    const byCert = await collectClusterObjects({ cluster: 'standin', distribution: 'kubernetes', server: api.url, ca: api.ca, clientCertificate: api.clients.reader! }, settings(), 'kubernetes/test');
    expect(byCert.errors).toEqual([]);
    expect(byCert.counts).toEqual(byToken.counts);
  });

  it('follows continue tokens: with two objects per page nothing is missing', async () => {
    const paged = await collectClusterObjects(tokenConnection(readerToken), settings({ limits: { pageSize: 2 } }), 'kubernetes/test');
    const whole = await collectClusterObjects(tokenConnection(readerToken), settings(), 'kubernetes/test');
    expect(paged.errors).toEqual([]);
    expect(paged.counts).toEqual(whole.counts);
    expect(paged.counts.ConfigMap).toBeGreaterThan(4); // several pages of them
    expect(names(kindsOf(paged, 'ConfigMap'))).toEqual(names(kindsOf(whole, 'ConfigMap')));
  });

  it('reports a namespace RBAC keeps out as an error for that namespace alone, and reads the rest', async () => {
    const read = await collectClusterObjects(tokenConnection(limitedToken), settings(), 'kubernetes/test');
    const scopes = [...new Set(read.errors.map((e) => e.scope))];
    expect(scopes.length).toBeGreaterThan(0);
    expect(scopes.filter((s) => !s.startsWith('kubernetes/test/namespaces/vault/'))).toEqual([]);
    expect(read.errors.every((e) => /Forbidden \(HTTP 403\)/.test(e.message))).toBe(true);
    expect(names(kindsOf(read, 'Pod'))).toEqual(plantedNames.pods.filter((p) => !p.startsWith('vault/')));
    expect(kindsOf(read, 'Pod').some((p) => (p.metadata as { namespace: string }).namespace === 'vault')).toBe(false);
  });

  it('lists Secrets as names and types only: no value, not even the last-applied annotation that holds one', async () => {
    const read = await collectClusterObjects(tokenConnection(secretsToken), settings({ secrets: 'names' }), 'kubernetes/test');
    expect(read.errors).toEqual([]);
    expect(read.notCollected).toEqual([]);
    const secrets = kindsOf(read, 'Secret');
    expect(secrets).toContainEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-credentials', namespace: 'shop' }, type: 'Opaque' });
    const everything = JSON.stringify(read.objects);
    expect(everything).not.toContain(plantedNames.secretValue);
    expect(everything).not.toContain(Buffer.from(plantedNames.secretValue).toString('base64'));
  });

  it('keeps secret values out of reach of the shipped reader role itself', async () => {
    const res = await request(`${api.url}/api/v1/namespaces/shop/secrets/db-credentials`, { headers: { authorization: `Bearer ${readerToken}` }, dispatcher: new Agent({ connect: { ca: api.ca } }) });
    await res.body.dump();
    expect(res.statusCode).toBe(403);
  });

  it('stops at the per-kind cap and the response cap, keeping what was read and naming the cap', async () => {
    const capped = await collectClusterObjects(tokenConnection(readerToken), settings({ limits: { pageSize: 2, objectsPerKind: 3 } }), 'kubernetes/test');
    expect(capped.errors.find((e) => e.scope === 'kubernetes/test/configmaps')?.message).toMatch(/limit reached: .*more than 3 objects/);
    expect(capped.counts.ConfigMap).toBe(4); // two pages of two, then the cap
    const small = await collectClusterObjects(tokenConnection(readerToken), settings({ limits: { maxResponseBytes: 2048 } }), 'kubernetes/test');
    expect(small.errors.some((e) => /over the 2048-byte response cap/.test(e.message))).toBe(true);
  });

  it('refuses to send credentials to a server it cannot verify or over plain HTTP', async () => {
    await expect(collectClusterObjects({ ...tokenConnection(readerToken), server: api.url.replace('https:', 'http:') }, settings(), 'kubernetes/test')).rejects.toThrow(/not https/);
    const { ca: _ca, ...withoutCa } = tokenConnection(readerToken);
    await expect(collectClusterObjects(withoutCa, settings(), 'kubernetes/test')).rejects.toThrow(/certificate|self.signed|UNABLE_TO_VERIFY|issuer/i);
  });
});
