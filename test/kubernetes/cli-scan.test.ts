// `posture scan --kubernetes` as a user runs it, against the real kube-apiserver: a kubeconfig file with the
// cluster's CA and a bearer token for a user bound to the shipped posture-reader ClusterRole. The planted flaws
// (test/kubernetes/support/estate.ts) must come out as findings: the privileged pod, the cluster-admin binding
// of a service account, the namespaces without a network policy and the namespace without Pod Security labels.
// The hardened namespace and workload must not.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/helpers.ts';
import { startKubeApiServer, type KubeApiServer } from '../standins/kube-apiserver.ts';
import { plantEstate } from './support/estate.ts';
import { grantPostureReader, writeKubeconfig } from './support/reader.ts';

const token = 'cli-reader-token-0123456789abcdef';

let api: KubeApiServer;
let kubeconfig: string;
let config: string;

interface Report {
  assets: { id: string; kind: string }[];
  findings: { ruleId: string; assetId: string }[];
  notApplicable: { ruleId: string; assetId: string; reason: string }[];
  errors: { message: string }[];
  scopes: { key: string; complete: boolean; assets: number }[];
}

beforeAll(async () => {
  api = await startKubeApiServer({ tokens: { [token]: { user: 'posture-cli' } } });
  await grantPostureReader(api, { 'posture-cli': { kind: 'User', name: 'posture-cli' } });
  await plantEstate(api);
  const dir = mkdtempSync(path.join(tmpdir(), 'posture-cli-kube-'));
  kubeconfig = writeKubeconfig(path.join(dir, 'kubeconfig'), { name: 'standin', server: api.url, ca: api.ca }, {
    standin: { user: 'posture-cli', token },
    stranger: { user: 'nobody', token: 'not-a-known-token' },
  });
  config = path.join(dir, 'posture.yaml');
  // Images the pods run are not pulled here (they name registries this machine cannot reach).
  writeFileSync(config, 'kubernetes:\n  imagesPerCluster: 0\n');
}, 180_000);

afterAll(async () => {
  await api?.stop();
});

const scan = async (...extra: string[]) => {
  const run = await runCli(['scan', '--kubernetes', '--kubeconfig', kubeconfig, '--config', config, '--format', 'json', '--no-history', ...extra]);
  return { run, report: JSON.parse(run.stdout) as Report };
};

describe('posture scan --kubernetes', () => {
  it('reports the privileged pod, the cluster-admin service account, the namespaces without network policy or Pod Security labels', async () => {
    const { run, report } = await scan();
    expect(report.errors).toEqual([]);
    expect(run.code).toBe(0);
    const failing = (ruleId: string) => report.findings.filter((f) => f.ruleId === ruleId).map((f) => f.assetId).sort();
    expect(failing('WKL-001')).toEqual(['k8s://standin/legacy/Pod/debug-shell']);
    expect(failing('RBAC-001')).toContain('k8s://standin/_cluster/ClusterRoleBinding/deployer-admin');
    const noNetworkPolicy = failing('NS-001');
    expect(noNetworkPolicy).toContain('k8s://standin/_cluster/Namespace/legacy');
    expect(noNetworkPolicy).not.toContain('k8s://standin/_cluster/Namespace/shop');
    const noPodSecurity = failing('NS-002');
    expect(noPodSecurity).toContain('k8s://standin/_cluster/Namespace/legacy');
    expect(noPodSecurity).not.toContain('k8s://standin/_cluster/Namespace/shop');
    expect(noPodSecurity).not.toContain('k8s://standin/_cluster/Namespace/vault');
    // The hardened Deployment and its pod pass the privileged-container rule.
    expect(report.findings.some((f) => f.ruleId === 'WKL-001' && f.assetId.includes('/shop/'))).toBe(false);
    expect(report.scopes).toEqual([{ key: 'kubernetes/kubeconfig/context/standin', complete: true, assets: expect.any(Number) }]);
    expect(report.scopes[0]!.assets).toBe(report.assets.filter((a) => a.id.startsWith('k8s://standin/')).length);
  });

  it("leaves the namespaces the API server creates for itself out of NS-001 and NS-002, saying why; default stays judged", async () => {
    const { report } = await scan();
    // kube-apiserver creates kube-system, kube-public, kube-node-lease and default on its own; none has a
    // NetworkPolicy or Pod Security labels here.
    const system = ['kube-node-lease', 'kube-public', 'kube-system'].map((n) => `k8s://standin/_cluster/Namespace/${n}`);
    expect(report.assets.map((a) => a.id)).toEqual(expect.arrayContaining([...system, 'k8s://standin/_cluster/Namespace/default']));
    const nsFindings = report.findings.filter((f) => f.ruleId === 'NS-001' || f.ruleId === 'NS-002');
    expect(nsFindings.filter((f) => system.includes(f.assetId))).toEqual([]);
    expect(report.notApplicable.filter((p) => system.includes(p.assetId)).map((p) => `${p.assetId} ${p.ruleId}`)).toEqual(system.flatMap((id) => [`${id} NS-001`, `${id} NS-002`]));
    for (const p of report.notApplicable) expect(p.reason).toMatch(/is one of the platform's own namespaces \(kubernetes\.systemNamespaces\)/);
    // default is where workloads land without a namespace of their own: an ordinary namespace.
    expect(nsFindings.filter((f) => f.assetId === 'k8s://standin/_cluster/Namespace/default').map((f) => f.ruleId).sort()).toEqual(['NS-001', 'NS-002']);
  });

  it('fails a context the cluster does not accept as an unreadable input (exit 3), naming the cluster', async () => {
    const { run, report } = await scan('--context', 'stranger');
    expect(run.code).toBe(3);
    expect(report.errors.map((e) => e.message).join('\n')).toMatch(/kubernetes\/kubeconfig\/context\/stranger: cluster standin .*HTTP 401/);
    expect(report.scopes).toEqual([{ key: 'kubernetes/kubeconfig/context/stranger', complete: false, assets: 0 }]);
  });

  it('names a context the kubeconfig does not have', async () => {
    const { run, report } = await scan('--context', 'nowhere');
    expect(run.code).toBe(3);
    expect(report.errors.map((e) => e.message).join('\n')).toMatch(/kubernetes: kubeconfig .* has no context "nowhere" \(it has standin, stranger\)/);
  });
});
