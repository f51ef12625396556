// What posture reads from a cluster, by kind: workloads and their controllers, what namespaces hold (service
// accounts, network policies, services, ingresses, config maps, limit ranges, quotas), RBAC, and Secrets by
// name and type only (collect-cluster.ts asks for those as a Table, never as objects).
export interface KindSpec {
  kind: string;
  /** '' for the core group. */
  group: string;
  version: string;
  /** The plural resource name in API paths. */
  resource: string;
  namespaced: boolean;
}

const core = (kind: string, resource: string, namespaced = true): KindSpec => ({ kind, group: '', version: 'v1', resource, namespaced });
const grouped = (group: string, kind: string, resource: string, namespaced = true): KindSpec => ({ kind, group, version: 'v1', resource, namespaced });

export const namespaceKind = core('Namespace', 'namespaces', false);
export const secretKind = core('Secret', 'secrets');

/** Every kind read as whole objects, cluster-scoped kinds first. */
export const objectKinds: readonly KindSpec[] = [
  grouped('rbac.authorization.k8s.io', 'ClusterRole', 'clusterroles', false),
  grouped('rbac.authorization.k8s.io', 'ClusterRoleBinding', 'clusterrolebindings', false),
  core('Pod', 'pods'),
  core('ReplicationController', 'replicationcontrollers'),
  grouped('apps', 'Deployment', 'deployments'),
  grouped('apps', 'ReplicaSet', 'replicasets'),
  grouped('apps', 'StatefulSet', 'statefulsets'),
  grouped('apps', 'DaemonSet', 'daemonsets'),
  grouped('batch', 'Job', 'jobs'),
  grouped('batch', 'CronJob', 'cronjobs'),
  core('ServiceAccount', 'serviceaccounts'),
  core('Service', 'services'),
  core('ConfigMap', 'configmaps'),
  core('LimitRange', 'limitranges'),
  core('ResourceQuota', 'resourcequotas'),
  grouped('networking.k8s.io', 'NetworkPolicy', 'networkpolicies'),
  grouped('networking.k8s.io', 'Ingress', 'ingresses'),
  grouped('rbac.authorization.k8s.io', 'Role', 'roles'),
  grouped('rbac.authorization.k8s.io', 'RoleBinding', 'rolebindings'),
];

export const apiVersionOf = (k: KindSpec): string => (k.group ? `${k.group}/${k.version}` : k.version);

/** `/api/v1/pods`, `/apis/apps/v1/namespaces/shop/deployments`. */
export function listPath(k: KindSpec, namespace?: string): string {
  const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  return namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${k.resource}` : `${base}/${k.resource}`;
}
