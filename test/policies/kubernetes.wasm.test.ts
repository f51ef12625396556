// Kubernetes rules as a user meets them: the planted manifests of samples/kubernetes read by the local
// input reader, normalized by the real normalizer and judged by the compiled Wasm bundle; and an ECS task
// definition with the same flaws, judged by the same workload rules.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAsset, type Asset } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import type { Finding } from '../../core/finding.ts';
import { outcomeOf } from '../../core/outcomes.ts';
import { Engine } from '../../policies/engine.ts';
import { normalizeTaskDefinition } from '../../providers/aws/normalize/ecs-task-definition.ts';
import { normalizeKubernetesObjects } from '../../providers/kubernetes/normalize/index.ts';
import { collectLocal } from '../../providers/local/collect.ts';

const now = new Date('2026-11-01T00:00:00Z');
const ours = /^(WKL|NS|RBAC)-/;

let engine: Engine;
let assets: Asset[];
beforeAll(async () => {
  engine = await Engine.load({ config: parseConfig({ image: { trustedRegistries: ['*.dkr.ecr.*.amazonaws.com'] } }), now });
  const collected = await collectLocal([path.resolve('samples/kubernetes')], { now });
  expect(collected.errors).toEqual([]);
  assets = collected.assets;
});

function findingsOf(asset: Asset): Finding[] {
  return engine.evaluate(parseAsset(asset)).filter((f) => ours.test(f.ruleId));
}
function fired(asset: Asset): string[] {
  return [...new Set(findingsOf(asset).map((f) => f.ruleId))].sort();
}
const asset = (id: string) => {
  const a = assets.find((x) => x.id === id);
  if (!a) throw new Error(`no ${id}`);
  return a;
};

describe('Kubernetes rules on the planted manifests', () => {
  it('pass the hardened namespace and workload', () => {
    expect(fired(asset('k8s://manifests/_cluster/Namespace/shop'))).toEqual([]);
    expect(fired(asset('k8s://manifests/shop/Deployment/web'))).toEqual([]);
  });

  it('report the privileged pod, with every Pod Security control it breaks', () => {
    const pod = asset('k8s://manifests/legacy/Pod/debug-shell');
    expect(fired(pod)).toEqual([
      'WKL-001', 'WKL-002', 'WKL-003', 'WKL-004', 'WKL-005', 'WKL-008', 'WKL-009', 'WKL-010', 'WKL-011', 'WKL-016',
      'WKL-021', 'WKL-031', 'WKL-032', 'WKL-033', 'WKL-034', 'WKL-035', 'WKL-040', 'WKL-042',
    ]);
    expect(findingsOf(pod).find((f) => f.ruleId === 'WKL-001')).toMatchObject({
      message: 'container shell in Pod legacy/debug-shell runs privileged',
      path: 'containers/shell/privileged',
      frameworks: expect.objectContaining({ 'k8s-pss': ['privileged'], 'cis-k8s-1.12': ['5.2.2'] }),
    });
  });

  it('report credentials in plain env and a host port on the Deployment, never echoing the values', () => {
    const billing = findingsOf(asset('k8s://manifests/legacy/Deployment/billing'));
    expect(billing.filter((f) => f.ruleId === 'WKL-006').map((f) => f.evidence)).toEqual([
      { variable: 'AWS_ACCESS_KEY_ID', matched: 'forbidden-name' },
      { variable: 'DATABASE_URL', matched: 'url-with-password' },
    ]);
    expect(billing.find((f) => f.ruleId === 'WKL-004')?.evidence).toEqual({ ports: [8080], privileged: [] });
    expect(JSON.stringify(billing)).not.toContain('s3cr3t-hunter2');
  });

  it('report the namespace without a network policy and without Pod Security labels, and its ConfigMap credentials', () => {
    const legacy = findingsOf(asset('k8s://manifests/_cluster/Namespace/legacy'));
    expect([...new Set(legacy.map((f) => f.ruleId))].sort()).toEqual(['NS-001', 'NS-002', 'NS-003', 'NS-004']);
    expect(legacy.find((f) => f.ruleId === 'NS-002')?.message).toBe('namespace legacy enforces no Pod Security Standard (no enforce label)');
    expect(legacy.filter((f) => f.ruleId === 'NS-004').map((f) => f.path).sort()).toEqual(['configMaps/billing-config/DB_PASSWORD', 'configMaps/billing-config/aws.properties']);
    expect(JSON.stringify(legacy)).not.toContain('correct-horse');
  });

  it('report the cluster-admin binding of a service account, and the role that reads secrets', () => {
    const admin = findingsOf(asset('k8s://manifests/_cluster/ClusterRoleBinding/ci-deployer-admin'));
    expect(admin.map((f) => [f.ruleId, f.message])).toEqual([
      ['RBAC-001', 'ClusterRoleBinding ci-deployer-admin grants ClusterRole cluster-admin (cluster-admin) to ServiceAccount legacy/ci-deployer'],
    ]);
    expect(fired(asset('k8s://manifests/legacy/RoleBinding/secret-reader'))).toEqual(['RBAC-002', 'RBAC-003', 'RBAC-004']);
  });
});

describe('framework claims follow the cluster the objects come from', () => {
  it('a privileged pod read from an EKS cluster evidences CIS EKS 4.2.1; from manifests it does not', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] } };
    const [fromEks] = normalizeKubernetesObjects([pod], { cluster: 'prod', collectedAt: now.toISOString(), complete: true, distribution: 'eks', region: 'eu-west-1' });
    const eksFinding = findingsOf(fromEks!).find((f) => f.ruleId === 'WKL-001');
    expect(eksFinding?.frameworks).toMatchObject({ 'cis-eks-1.8': ['4.2.1'], 'k8s-pss': ['privileged'], 'cis-k8s-1.12': ['5.2.2'] });
    expect(eksFinding?.frameworks).not.toHaveProperty('cis-aks-1.8');
    const manifest = findingsOf(asset('k8s://manifests/legacy/Pod/debug-shell')).find((f) => f.ruleId === 'WKL-001');
    expect(manifest?.frameworks).not.toHaveProperty('cis-eks-1.8');
  });
});

describe("the platform's own namespaces", () => {
  // Namespace objects as the API returns them: neither has a NetworkPolicy nor Pod Security labels, so only
  // the name tells them apart. kube-system is one of the three namespaces every cluster creates
  // (kube-system, kube-public, kube-node-lease: the default of kubernetes.systemNamespaces).
  const objects = ['kube-system', 'team-a'].flatMap((name) => [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name }, automountServiceAccountToken: false },
  ]);
  const [system, team] = ['kube-system', 'team-a'].map((name) => {
    const found = normalizeKubernetesObjects(objects, { cluster: 'prod', collectedAt: now.toISOString(), complete: true, distribution: 'kubernetes' }).find((a) => a.id.endsWith(`/Namespace/${name}`));
    if (!found) throw new Error(`namespace ${name} not normalized`);
    return parseAsset(found);
  }) as [Asset, Asset];

  it('are not applicable to NS-001 and NS-002, with the reason on the outcome; a team namespace fails both', () => {
    const judged = engine.assess(system);
    expect(judged.findings.filter((f) => ours.test(f.ruleId))).toEqual([]);
    expect(outcomeOf(judged.outcomes, 'NS-001')).toBe('not-applicable');
    expect(outcomeOf(judged.outcomes, 'NS-002')).toBe('not-applicable');
    expect(judged.outcomes.applicable).not.toContain('NS-001');
    expect(judged.outcomes.excluded).toEqual([
      { ruleId: 'NS-001', reason: expect.stringMatching(/^kube-system is one of the platform's own namespaces \(kubernetes\.systemNamespaces\)/) },
      { ruleId: 'NS-002', reason: expect.stringMatching(/^kube-system is one of the platform's own namespaces \(kubernetes\.systemNamespaces\)/) },
    ]);
    // NS-003 (the default service account's token) still judges it, and passes: the token is not mounted.
    expect(outcomeOf(judged.outcomes, 'NS-003')).toBe('pass');
    const other = engine.assess(team);
    expect(outcomeOf(other.outcomes, 'NS-001')).toBe('fail');
    expect(outcomeOf(other.outcomes, 'NS-002')).toBe('fail');
    expect(other.outcomes.excluded).toBeUndefined();
  });

  it('are judged like any namespace when kubernetes.systemNamespaces is emptied', async () => {
    const strict = await Engine.load({ config: parseConfig({ kubernetes: { systemNamespaces: [] } }), now });
    const judged = strict.assess(system);
    expect(outcomeOf(judged.outcomes, 'NS-001')).toBe('fail');
    expect(outcomeOf(judged.outcomes, 'NS-002')).toBe('fail');
    expect(judged.outcomes.excluded).toBeUndefined();
  });
});

describe('the same workload rules on an ECS task definition with the same flaws', () => {
  // The debug-shell pod and the billing Deployment's env as an EC2 task definition (ECS API reference fields).
  const flawed = normalizeTaskDefinition(
    {
      taskDefinition: {
        taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/debug-shell:1',
        family: 'debug-shell',
        revision: 1,
        networkMode: 'host',
        pidMode: 'host',
        requiresCompatibilities: ['EC2'],
        containerDefinitions: [
          {
            name: 'shell',
            image: 'busybox:1.36',
            essential: true,
            privileged: true,
            user: '0',
            command: ['sleep', 'infinity'],
            environment: [
              { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAIOSFODNN7EXAMPLE' },
              { name: 'DATABASE_URL', value: 'postgres://billing:s3cr3t-hunter2@db.legacy:5432/billing' },
            ],
            portMappings: [{ containerPort: 8080 }],
            mountPoints: [{ sourceVolume: 'host-root', containerPath: '/host' }],
            linuxParameters: { capabilities: { add: ['NET_RAW', 'SYS_ADMIN'] } },
            logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/debug' } },
          },
        ],
        volumes: [{ name: 'host-root', host: { sourcePath: '/' } }],
      },
    },
    { collectedAt: now.toISOString(), source: 'test' },
  );

  it('fire on the ECS container for each flaw the pod has', () => {
    const shared = ['WKL-001', 'WKL-002', 'WKL-003', 'WKL-004', 'WKL-005', 'WKL-006', 'WKL-008', 'WKL-009', 'WKL-010', 'WKL-011', 'WKL-016', 'WKL-021', 'WKL-031', 'WKL-033', 'WKL-035'];
    expect(fired(flawed)).toEqual(shared);
    const pod = new Set([...fired(asset('k8s://manifests/legacy/Pod/debug-shell')), ...fired(asset('k8s://manifests/legacy/Deployment/billing'))]);
    for (const id of shared) expect(pod.has(id), `${id} fires on the Kubernetes side too`).toBe(true);
    expect(findingsOf(flawed).find((f) => f.ruleId === 'WKL-001')?.message).toBe('container shell in task definition debug-shell runs privileged');
  });
});
