// The Kubernetes normalizer on objects written from the Kubernetes API reference (core/v1, apps/v1,
// batch/v1, networking.k8s.io/v1, rbac.authorization.k8s.io/v1). Expected values follow the API's own
// semantics: container settings override pod settings, controllers own ReplicaSets and Pods through
// ownerReferences, policyTypes default to Ingress (+Egress with egress rules), a RoleBinding may bind a
// ClusterRole, and an aggregated ClusterRole holds the rules of the roles its selectors match.
import { describe, expect, it } from 'vitest';
import { parseAsset, type Asset, type NamespaceAsset, type RbacBindingAsset, type WorkloadAsset } from '../../core/asset.ts';
import { kubernetesImageTargets, normalizeKubernetesObjects, type KubernetesContext } from '../../providers/kubernetes/normalize/index.ts';

const ctx: KubernetesContext = { cluster: 'lab', collectedAt: '2026-11-01T00:00:00.000Z', source: 'test', complete: true };
const digest = `sha256:${'4f'.repeat(32)}`;

function normalize(objects: unknown[], over: Partial<KubernetesContext> = {}): Asset[] {
  return normalizeKubernetesObjects(objects, { ...ctx, ...over }).map(parseAsset);
}
const byId = <T extends Asset>(assets: Asset[], id: string) => {
  const a = assets.find((x) => x.id === id);
  if (!a) throw new Error(`no asset ${id} among ${assets.map((x) => x.id).join(', ')}`);
  return a as T;
};

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', uid: 'uid-deploy', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web', tier: 'front' }, annotations: { 'container.apparmor.security.beta.kubernetes.io/web': 'localhost/k8s-nginx' } },
      spec: {
        serviceAccountName: 'web',
        securityContext: { runAsUser: 1000, runAsGroup: 3000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, fsGroup: 2000, sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }] },
        initContainers: [{ name: 'migrate', image: 'registry.example.com/shop/migrate:2', securityContext: { runAsUser: 0 } }],
        containers: [
          {
            name: 'web',
            image: 'registry.example.com/shop/web:1.4',
            ports: [{ containerPort: 8080 }],
            env: [
              { name: 'MODE', value: 'prod' },
              { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
            ],
            envFrom: [{ secretRef: { name: 'api-keys' } }],
            resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '1', memory: '0.5Gi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/web.json' } },
            livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
            readinessProbe: { tcpSocket: { port: 8080, host: '10.0.0.1' } },
            volumeMounts: [{ name: 'cache', mountPath: '/cache' }, { name: 'host-logs', mountPath: '/var/log/host', readOnly: true }],
          },
        ],
        volumes: [{ name: 'cache', emptyDir: {} }, { name: 'host-logs', hostPath: { path: '/var/log', type: 'Directory' } }],
      },
    },
  },
};
const replicaSet = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web-5d8f7c', namespace: 'shop', uid: 'uid-rs', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-deploy', controller: true }] },
  spec: deployment.spec,
};
const pod = (name: string, phase: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels: { app: 'web', tier: 'front' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f7c', uid: 'uid-rs', controller: true }] },
  spec: deployment.spec.template.spec,
  status: { phase, containerStatuses: [{ name: 'web', image: 'registry.example.com/shop/web:1.4', imageID: `registry.example.com/shop/web@${digest}` }] },
});

describe('Kubernetes workloads', () => {
  it('fold a Deployment\'s ReplicaSet and Pods into one workload with the template\'s effective settings', () => {
    const assets = normalize([deployment, replicaSet, pod('web-5d8f7c-a', 'Running'), pod('web-5d8f7c-b', 'Pending')]);
    expect(assets.filter((a) => a.kind === 'workload').map((a) => a.id)).toEqual(['k8s://lab/shop/Deployment/web']);
    const w = byId<WorkloadAsset>(assets, 'k8s://lab/shop/Deployment/web').workload;
    expect(w.platform).toBe('kubernetes');
    expect(w.kubernetes).toMatchObject({ kind: 'Deployment', namespace: 'shop', pods: 2, runningPods: 1, labels: { app: 'web', tier: 'front' } });
    expect(w.sysctls).toEqual([{ name: 'net.ipv4.tcp_syncookies', value: '1' }]);
    expect(w.fsGroup).toBe(2000);
    expect(w.containers.map((c) => [c.name, c.role])).toEqual([['migrate', 'init'], ['web', 'app']]);
    const [init, web] = w.containers;
    // The init container overrides runAsUser; the group and runAsNonRoot come from the pod.
    expect(init).toMatchObject({ runAsUser: 0, runAsGroup: 3000, user: '0:3000', runAsNonRoot: true, allowPrivilegeEscalation: null, readOnlyRootFilesystem: false });
    expect(web).toMatchObject({
      user: '1000:3000',
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
      seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/web.json' },
      appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-nginx' },
      imageDigest: digest,
      env: [{ name: 'MODE', value: 'prod' }],
      secrets: [
        { name: 'DB_PASSWORD', source: 'secret:shop/db#password' },
        { name: '*', source: 'secret:shop/api-keys' },
      ],
      hostPorts: [],
      probeHosts: [{ handler: 'readinessProbe.tcpSocket', host: '10.0.0.1' }],
      memoryLimitMiB: 512,
      memoryRequestMiB: 64,
      cpuLimitMillicores: 1000,
      cpuRequestMillicores: 250,
    });
    expect(init?.seccompProfile).toEqual({ type: 'RuntimeDefault', localhostProfile: null });
    expect(w.volumes).toEqual([
      { name: 'cache', source: 'emptyDir', hostPath: null },
      { name: 'host-logs', source: 'hostPath', hostPath: '/var/log' },
    ]);
  });

  it('read the pod template of every controller kind, and bare Pods on their own', () => {
    const spec = { containers: [{ name: 'c', image: 'busybox:1.36' }] };
    const t = { metadata: { labels: { a: 'b' } }, spec };
    const assets = normalize([
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'x' }, spec: { template: t } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'x' }, spec: { template: t } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'x', uid: 'cj' }, spec: { schedule: '0 1 * * *', jobTemplate: { spec: { template: t } } } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'nightly-1', namespace: 'x', uid: 'job', ownerReferences: [{ kind: 'CronJob', name: 'nightly', uid: 'cj', controller: true }] }, spec: { template: t } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nightly-1-abc', namespace: 'x', ownerReferences: [{ kind: 'Job', name: 'nightly-1', uid: 'job', controller: true }] }, spec, status: { phase: 'Succeeded' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'x' }, spec: { ...spec, hostNetwork: true, containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 9000 }] }] } },
      // Owned by a kind the normalizer does not read (an Argo Rollout): the Pod is judged on its own.
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'canary-1', namespace: 'x', ownerReferences: [{ kind: 'Rollout', name: 'canary', controller: true }] }, spec },
    ]);
    expect(assets.map((a) => a.id).sort()).toEqual([
      'k8s://lab/x/CronJob/nightly',
      'k8s://lab/x/DaemonSet/agent',
      'k8s://lab/x/Pod/canary-1',
      'k8s://lab/x/Pod/debug',
      'k8s://lab/x/StatefulSet/db',
    ]);
    expect(byId<WorkloadAsset>(assets, 'k8s://lab/x/CronJob/nightly').workload.kubernetes).toMatchObject({ pods: 1, runningPods: 0 });
    // On the host network every container port is a host port (the API server copies it into hostPort).
    expect(byId<WorkloadAsset>(assets, 'k8s://lab/x/Pod/debug').workload).toMatchObject({ hostNetwork: true, containers: [{ hostPorts: [9000] }] });
  });

  it('take token automount from the pod, else its ServiceAccount, else the API default; unknown without the ServiceAccount', () => {
    const podWith = (name: string, extra: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'a' }, spec: { containers: [{ name: 'c', image: 'x' }], ...extra } });
    const objects = [
      podWith('explicit', { automountServiceAccountToken: false, serviceAccountName: 'quiet' }),
      podWith('from-sa', { serviceAccountName: 'quiet' }),
      podWith('sa-unset', { serviceAccountName: 'chatty' }),
      podWith('default-sa', {}),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet', namespace: 'a' }, automountServiceAccountToken: false },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'chatty', namespace: 'a' } },
    ];
    const sa = (assets: Asset[], name: string) => byId<WorkloadAsset>(assets, `k8s://lab/a/Pod/${name}`).workload.kubernetes?.serviceAccount;
    const full = normalize(objects);
    expect(sa(full, 'explicit')).toEqual({ name: 'quiet', automountToken: false, automountSource: 'pod' });
    expect(sa(full, 'from-sa')).toEqual({ name: 'quiet', automountToken: false, automountSource: 'service-account' });
    expect(sa(full, 'sa-unset')).toEqual({ name: 'chatty', automountToken: true, automountSource: 'default' });
    expect(sa(full, 'default-sa')).toEqual({ name: 'default', automountToken: true, automountSource: 'default' });
    // Manifests without the ServiceAccount: the effective value is not known, so it is absent (not evaluated).
    expect(sa(normalize(objects, { complete: false }), 'default-sa')).toEqual({ name: 'default' });
  });

  it('list running images first, with the digests their pods resolved', () => {
    const assets = normalize([
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'idle', namespace: 'a' }, spec: { containers: [{ name: 'c', image: 'alpine:3.20' }] }, status: { phase: 'Pending' } },
      deployment,
      replicaSet,
      pod('web-5d8f7c-a', 'Running'),
    ]);
    expect(kubernetesImageTargets(assets)).toEqual([
      { reference: 'registry.example.com/shop/migrate:2', digest: null, running: true, workloads: ['k8s://lab/shop/Deployment/web'] },
      { reference: 'registry.example.com/shop/web:1.4', digest, running: true, workloads: ['k8s://lab/shop/Deployment/web'] },
      { reference: 'alpine:3.20', digest: null, running: false, workloads: ['k8s://lab/a/Pod/idle'] },
    ]);
  });

  it('attach LoadBalancer, NodePort and Ingress exposure to the workloads their selectors reach', () => {
    const assets = normalize([
      deployment,
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-lb', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-np', namespace: 'shop' }, spec: { type: 'NodePort', selector: { tier: 'front' }, ports: [{ port: 80, nodePort: 30080 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'other', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'api' } } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop', namespace: 'shop' }, spec: { tls: [{ hosts: ['shop.example.com'] }], rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } },
    ]);
    expect(byId<WorkloadAsset>(assets, 'k8s://lab/shop/Deployment/web').workload.kubernetes?.exposure).toEqual([
      { kind: 'Service', name: 'web-lb', type: 'LoadBalancer', ports: [443], hosts: [] },
      { kind: 'Service', name: 'web-np', type: 'NodePort', ports: [30080], hosts: [] },
      { kind: 'Ingress', name: 'shop', type: 'Ingress', ports: [80, 443], hosts: ['shop.example.com'] },
    ]);
  });
});

describe('Kubernetes namespaces', () => {
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.33', 'pod-security.kubernetes.io/warn': 'restricted' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'legacy' } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'shop' }, spec: { podSelector: {} } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web-egress', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'web' } }, egress: [{ to: [{ podSelector: {} }] }] } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'shop' }, automountServiceAccountToken: false },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque', data: { password: 'aHVudGVyMmh1bnRlcjI=' } },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app-config', namespace: 'shop' },
      data: {
        LOG_LEVEL: 'debug',
        DB_PASSWORD: 'correct-horse-battery-staple',
        PASSWORD_FILE: '/run/secrets/db',
        'settings.ini': '[upstream]\nkey = AKIAIOSFODNN7EXAMPLE\n',
        // AWS's documented example secret key, named as env files name it (in capitals).
        'aws.env': 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
      },
    },
    deployment,
  ];

  it('carry Pod Security labels, network policies (with API defaults), service accounts and secret names', () => {
    const assets = normalize(objects);
    const shop = byId<NamespaceAsset>(assets, 'k8s://lab/_cluster/Namespace/shop').namespace;
    expect(shop.podSecurity).toEqual({ enforce: { level: 'restricted', version: 'v1.33' }, audit: null, warn: { level: 'restricted', version: null } });
    expect(shop.networkPolicies).toEqual([
      { name: 'default-deny', policyTypes: ['Ingress'], selectsAllPods: true, ingressRules: 0, egressRules: 0 },
      { name: 'web-egress', policyTypes: ['Ingress', 'Egress'], selectsAllPods: false, ingressRules: 0, egressRules: 1 },
    ]);
    expect(shop.serviceAccounts).toEqual([{ name: 'default', automountToken: false }]);
    expect(shop.secrets).toEqual([{ name: 'db', type: 'Opaque' }]);
    expect(shop.workloads).toBe(1);
    const legacy = byId<NamespaceAsset>(assets, 'k8s://lab/_cluster/Namespace/legacy').namespace;
    expect(legacy).toMatchObject({ podSecurity: { enforce: null, audit: null, warn: null }, networkPolicies: [], serviceAccounts: [], workloads: 0 });
    // Manifests without any ServiceAccount of the namespace say nothing about them.
    expect(byId<NamespaceAsset>(normalize(objects, { complete: false }), 'k8s://lab/_cluster/Namespace/legacy').namespace.serviceAccounts).toBeUndefined();
  });

  it('find credentials in ConfigMaps and keep only redacted hints; secret values are never read', () => {
    const assets = normalize(objects);
    const shop = byId<NamespaceAsset>(assets, 'k8s://lab/_cluster/Namespace/shop');
    expect(shop.namespace.configMapSecrets).toEqual([
      { configMap: 'app-config', key: 'DB_PASSWORD', rule: 'credential-key', hint: '…(28 chars)' },
      { configMap: 'app-config', key: 'settings.ini', rule: 'aws-access-key-id', hint: 'AKIA…(20 chars)' },
      { configMap: 'app-config', key: 'aws.env', rule: 'aws-secret-access-key', hint: 'wJal…(40 chars)' },
    ]);
    const text = JSON.stringify(assets);
    expect(text).not.toContain('correct-horse');
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).not.toContain('wJalrXUtnFEMI');
    expect(text).not.toContain('aHVudGVyMmh1bnRlcjI=');
  });
});

describe('Kubernetes RBAC bindings', () => {
  it('resolve the bound role\'s rules: Role, ClusterRole from a RoleBinding, aggregated ClusterRole, missing role', () => {
    const rules = (assets: Asset[], id: string) => byId<RbacBindingAsset>(assets, id).rbacBinding;
    const assets = normalize([
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'read-pods', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'ci' }, { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'secret-reader' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'read-secrets', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'secret-reader' }, subjects: [{ kind: 'Group', name: 'devs' }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'monitoring' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] }, rules: [] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'monitoring-endpoints', labels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }, rules: [{ apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'monitoring' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'monitoring' }, subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'mon' }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'ci-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'shop' }] },
    ]);
    expect(rules(assets, 'k8s://lab/shop/RoleBinding/read-pods')).toMatchObject({
      scope: 'namespace',
      namespace: 'shop',
      role: { kind: 'Role', name: 'reader', rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'], resourceNames: [], nonResourceURLs: [] }] },
      subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'shop' }, { kind: 'User', name: 'jane', namespace: null }],
    });
    expect(rules(assets, 'k8s://lab/shop/RoleBinding/read-secrets').role.rules?.[0]?.resources).toEqual(['secrets']);
    expect(rules(assets, 'k8s://lab/_cluster/ClusterRoleBinding/monitoring').role.rules?.[0]?.resources).toEqual(['services', 'endpoints', 'pods']);
    const admin = rules(assets, 'k8s://lab/_cluster/ClusterRoleBinding/ci-admin');
    expect(admin).toMatchObject({ scope: 'cluster', namespace: null, role: { kind: 'ClusterRole', name: 'cluster-admin' } });
    expect(admin.role).not.toHaveProperty('rules');
  });
});

describe('Kubernetes input hygiene', () => {
  it('unfold kubectl List output and name each unreadable object without losing the others', () => {
    const problems: string[] = [];
    const assets = normalizeKubernetesObjects(
      [
        { apiVersion: 'v1', kind: 'List', items: [deployment, { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'shop' } }] },
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'broken', namespace: 'shop' }, spec: { template: { spec: { containers: 'web' } } } },
        'not an object',
      ],
      { ...ctx, onInvalid: (p) => problems.push(`${p.object}: ${p.message.split('\n')[0]}`) },
    );
    expect(assets.map((a) => a.id)).toEqual(['k8s://lab/shop/Deployment/web']);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^Pod shop\/\(no name\): not a Kubernetes object/);
    expect(problems[1]).toMatch(/^\(a string, not an object\)/);
    expect(problems[2]).toMatch(/^Deployment shop\/broken: has no readable pod template/);
  });

  it('throw, naming the object, when no one listens for bad objects', () => {
    expect(() => normalizeKubernetesObjects([{ kind: 'Pod', metadata: { name: 'p' }, spec: {} }], ctx)).toThrow(/Pod default\/p: has no readable pod template/);
  });
});
