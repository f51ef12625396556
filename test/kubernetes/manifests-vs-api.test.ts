// The same rules on a cluster and on the manifests it was made from. The planted manifests of
// samples/kubernetes (a privileged pod, a cluster-admin service account, a namespace without network policy or
// Pod Security labels, and a hardened namespace) are created through a real kube-apiserver as `kubectl apply`
// would; `posture scan --kubernetes` then reads them back through the API, and `posture scan samples/kubernetes`
// reads the files. Per object, both must report the same rules: what the API server adds on the way (defaults,
// the service-account admission plugin's token volume) must not change a verdict; the objects the API server
// brings of its own (bootstrap namespaces and roles) are left out, except where a planted binding names one.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPath, namespaceKind, objectKinds, type KindSpec } from '../../providers/kubernetes/api/kinds.ts';
import { runCli } from '../cli/helpers.ts';
import { startKubeApiServer, type KubeApiServer } from '../standins/kube-apiserver.ts';
import { grantPostureReader, writeKubeconfig } from './support/reader.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.join(root, 'samples', 'kubernetes');
const token = 'manifest-reader-token-0123456789abcdef';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}
interface Report {
  findings: { ruleId: string; assetId: string }[];
  errors: { message: string }[];
}

/** What `kubectl apply` creates first: namespaces, then what pods refer to, then the pods' owners and pods. */
const applyOrder = ['Namespace', 'ServiceAccount', 'ConfigMap', 'Secret', 'ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding', 'NetworkPolicy', 'Service'];
const rank = (kind: string) => (applyOrder.includes(kind) ? applyOrder.indexOf(kind) : applyOrder.length);

function specOf(m: Manifest): KindSpec {
  const spec = [namespaceKind, ...objectKinds].find((k) => k.kind === m.kind && (k.group ? `${k.group}/${k.version}` : k.version) === m.apiVersion);
  if (!spec) throw new Error(`samples/kubernetes: no API path known for ${m.apiVersion} ${m.kind}`);
  return spec;
}

let api: KubeApiServer;
let kubeconfig: string;
let config: string;
let manifests: Manifest[];

beforeAll(async () => {
  manifests = readdirSync(samples)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(path.join(samples, f), 'utf8')).map((d) => d.toJS() as Manifest));
  api = await startKubeApiServer({ tokens: { [token]: { user: 'posture-manifests' } } });
  await grantPostureReader(api, { 'posture-manifests': { kind: 'User', name: 'posture-manifests' } });
  for (const m of [...manifests].sort((a, b) => rank(a.kind) - rank(b.kind))) {
    const spec = specOf(m);
    await api.admin$('POST', listPath(spec, spec.namespaced ? m.metadata.namespace : undefined), m);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'posture-manifests-api-'));
  kubeconfig = writeKubeconfig(path.join(dir, 'kubeconfig'), { name: 'planted', server: api.url, ca: api.ca }, { planted: { user: 'posture-manifests', token } });
  config = path.join(dir, 'posture.yaml');
  // One registry allow-list for both runs, so the registry rule judges; no image is pulled.
  writeFileSync(config, 'image:\n  trustedRegistries: ["*.dkr.ecr.*.amazonaws.com"]\nkubernetes:\n  imagesPerCluster: 0\n');
}, 180_000);

afterAll(async () => {
  await api?.stop();
});

/** `k8s://<cluster>/<namespace>/<Kind>/<name> RULE`, with the cluster's name left out. */
async function verdicts(args: string[]): Promise<string[]> {
  const run = await runCli(['scan', ...args, '--config', config, '--format', 'json', '--no-history']);
  const report = JSON.parse(run.stdout) as Report;
  expect(report.errors).toEqual([]);
  expect(run.code).toBe(0);
  return report.findings
    .filter((f) => /^(WKL|NS|RBAC)-/.test(f.ruleId) && f.assetId.startsWith('k8s://'))
    .map((f) => `${f.assetId.replace(/^k8s:\/\/[^/]+\//, '')} ${f.ruleId}`)
    .sort();
}

describe('the same Kubernetes rules on a cluster and on its manifests', () => {
  it('report the same findings per object, read through the API or from the YAML files', async () => {
    const planted = new Set(manifests.map((m) => `${m.metadata.namespace ?? '_cluster'}/${m.kind}/${m.metadata.name}`));
    const onPlanted = (verdicts: string[]) => verdicts.filter((v) => planted.has(v.split(' ')[0]!));
    const fromApi = onPlanted(await verdicts(['--kubernetes', '--kubeconfig', kubeconfig]));
    const fromFiles = onPlanted(await verdicts([samples]));
    // The planted flaws are there (the comparison is not of two empty lists).
    for (const expected of [
      'legacy/Pod/debug-shell WKL-001',
      '_cluster/ClusterRoleBinding/ci-deployer-admin RBAC-001',
      '_cluster/Namespace/legacy NS-001',
      '_cluster/Namespace/legacy NS-002',
    ]) {
      expect(fromFiles).toContain(expected);
    }
    // One difference, and it is the cluster's to make: `cluster-admin` is not in the manifests, so from the files
    // the binding's permissions are unknown (not evaluated); the API server has it (bootstrap RBAC: every verb on
    // every resource), so through the API every permission rule fires on that binding as well.
    const clusterAdminPermissions = ['RBAC-002', 'RBAC-003', 'RBAC-004', 'RBAC-005', 'RBAC-006', 'RBAC-007', 'RBAC-008', 'RBAC-009', 'RBAC-010'];
    expect(fromApi.filter((v) => !fromFiles.includes(v))).toEqual(clusterAdminPermissions.map((r) => `_cluster/ClusterRoleBinding/ci-deployer-admin ${r}`));
    expect(fromFiles.filter((v) => !fromApi.includes(v))).toEqual([]);
  });
});
