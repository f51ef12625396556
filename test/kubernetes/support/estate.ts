// The cluster the Kubernetes tests read, created through the API as an admin would with kubectl apply:
//   shop    Pod Security `restricted` labels, a default-deny NetworkPolicy, a Deployment, a LoadBalancer
//           Service and an Ingress, a `deployer` ServiceAccount bound to cluster-admin, a Secret whose value
//           also sits in its last-applied-configuration annotation (as `kubectl apply` leaves it)
//   legacy  no Pod Security labels, no NetworkPolicy, a privileged bare Pod, a ConfigMap holding an AWS key
//   vault   a Pod and a ConfigMap; the `limited` user may not read this namespace
// Several ConfigMaps per namespace make paging with a small limit take several pages. There is no
// controller-manager: the Deployment makes no Pods, so Pods are created as objects of their own.
import type { KubeApiServer } from '../../standins/kube-apiserver.ts';

const secretValue = 'hunter2-correct-horse-battery';
/** An AWS access key id of the documented example shape, as the secret rules know it. */
const awsKeyId = 'AKIAIOSFODNN7EXAMPLE';

export const plantedNames = {
  namespaces: ['shop', 'legacy', 'vault'],
  pods: ['legacy/debug-shell', 'shop/web-5d8f7c9b4-abcde', 'vault/keeper'],
  secretValue,
  awsKeyId,
};

const restrictedContainer = (name: string, image: string) => ({
  name,
  image,
  securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 10001, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
});

export async function plantEstate(api: KubeApiServer): Promise<void> {
  const post = (path: string, body: object) => api.admin$('POST', path, body);
  await post('/api/v1/namespaces', {
    metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' } },
  });
  await post('/api/v1/namespaces', { metadata: { name: 'legacy' } });
  await post('/api/v1/namespaces', { metadata: { name: 'vault', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } });
  for (const namespace of plantedNames.namespaces) {
    await post(`/api/v1/namespaces/${namespace}/serviceaccounts`, { metadata: { name: 'default', namespace } });
  }

  // shop: hardened workload, exposed, with a network policy and an over-privileged service account.
  await post('/api/v1/namespaces/shop/serviceaccounts', { metadata: { name: 'deployer', namespace: 'shop' } });
  await post('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    metadata: { name: 'deployer-admin' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'shop' }],
  });
  const webSpec = { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, automountServiceAccountToken: false, containers: [restrictedContainer('web', 'registry.example.com/shop/web:1.4.2')] };
  await post('/apis/apps/v1/namespaces/shop/deployments', {
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: webSpec } },
  });
  await post('/api/v1/namespaces/shop/pods', { metadata: { name: 'web-5d8f7c9b4-abcde', namespace: 'shop', labels: { app: 'web' } }, spec: webSpec });
  await post('/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies', {
    metadata: { name: 'default-deny', namespace: 'shop' },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  await post('/api/v1/namespaces/shop/services', {
    metadata: { name: 'web', namespace: 'shop' },
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443, targetPort: 8443 }] },
  });
  await post('/apis/networking.k8s.io/v1/namespaces/shop/ingresses', {
    metadata: { name: 'web', namespace: 'shop' },
    spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 443 } } } }] } }] },
  });
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-credentials', namespace: 'shop' }, type: 'Opaque', stringData: { password: secretValue } };
  await post('/api/v1/namespaces/shop/secrets', {
    ...secret,
    metadata: { ...secret.metadata, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(secret) } },
  });

  // legacy: the privileged pod, and a credential in a ConfigMap.
  await post('/api/v1/namespaces/legacy/pods', {
    metadata: { name: 'debug-shell', namespace: 'legacy' },
    spec: { hostPID: true, containers: [{ name: 'shell', image: 'docker.io/library/busybox:1.36', command: ['sleep', 'infinity'], securityContext: { privileged: true } }] },
  });
  await post('/api/v1/namespaces/legacy/configmaps', { metadata: { name: 'app-env', namespace: 'legacy' }, data: { AWS_ACCESS_KEY_ID: awsKeyId, LOG_LEVEL: 'debug' } });

  // vault: out of bounds for the limited user.
  await post('/api/v1/namespaces/vault/pods', { metadata: { name: 'keeper', namespace: 'vault' }, spec: { containers: [restrictedContainer('keeper', 'registry.example.com/vault/keeper:2.0')] } });

  // Enough ConfigMaps that a two-per-page listing takes several pages.
  for (const namespace of plantedNames.namespaces) {
    for (let i = 0; i < 3; i++) await post(`/api/v1/namespaces/${namespace}/configmaps`, { metadata: { name: `settings-${i}`, namespace }, data: { index: String(i) } });
  }
}
