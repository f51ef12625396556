// What Trivy's KSV checks and posture's rules each look at, grouped into concepts both tools can flag, and
// why they differ where they do. Facts about each KSV check come from its Rego in aquasecurity/trivy-checks
// (the version Trivy v0.74.0 embeds); facts about posture's rules from their METADATA.
export interface Difference {
  object: string;
  concept: string;
  trivy: string[];
  posture: string[];
  why: string;
}

interface Concept {
  title: string;
  ksv: string[];
  /** Posture rule ids, or `RULE:path-substring` where one rule covers several concepts. */
  rules: string[];
  /** Why Trivy flags it and posture does not. */
  trivyOnly?: string;
  /** Why posture flags it and Trivy does not. */
  postureOnly?: string;
}

export const concepts: Record<string, Concept> = {
  privileged: { title: 'privileged container', ksv: ['KSV-0017'], rules: ['WKL-001'] },
  'host-network': { title: 'host network', ksv: ['KSV-0009'], rules: ['WKL-004:hostNetwork'] },
  'host-pid': { title: 'host PID namespace', ksv: ['KSV-0010'], rules: ['WKL-005:hostPID'] },
  'host-ipc': { title: 'host IPC namespace', ksv: ['KSV-0008'], rules: ['WKL-005:hostIPC'] },
  'host-ports': {
    title: 'host ports',
    ksv: ['KSV-0024'],
    rules: ['WKL-004:hostPorts'],
    postureOnly:
      'On the host network every container port is a node port (the API server copies containerPort into hostPort); posture counts them as host ports, KSV-0024 reads only an explicit hostPort.',
  },
  'read-only-root': { title: 'writable root filesystem', ksv: ['KSV-0014'], rules: ['WKL-002'] },
  'non-root': {
    title: 'root user / non-root not required',
    ksv: ['KSV-0012', 'KSV-0105'],
    rules: ['WKL-003', 'WKL-032', 'WKL-033'],
  },
  'high-uid': {
    title: 'UID/GID above 10000',
    ksv: ['KSV-0020', 'KSV-0021'],
    rules: [],
    trivyOnly:
      'Trivy asks for runAsUser and runAsGroup above 10000 (to stay clear of host accounts); no standard posture maps (PSS, CIS, NSA) requires a range, so posture only requires non-root (WKL-003/032/033).',
  },
  'root-group': {
    title: 'root primary or supplementary group',
    ksv: ['KSV-0116'],
    rules: [],
    trivyOnly:
      'KSV-0116 implements the optional "Non-root groups" control of the old Pod Security Standards page; Pod Security Admission has no such check and posture has no rule for it.',
  },
  escalation: { title: 'privilege escalation allowed', ksv: ['KSV-0001'], rules: ['WKL-031'] },
  capabilities: {
    title: 'capabilities added or not dropped',
    ksv: ['KSV-0003', 'KSV-0004', 'KSV-0005', 'KSV-0022', 'KSV-0106', 'KSV-0119', 'KSV-0120'],
    rules: ['WKL-008', 'WKL-035'],
    trivyOnly:
      'KSV-0022 fails any added capability, NET_BIND_SERVICE included; the Pod Security Standards (Baseline and Restricted) allow adding NET_BIND_SERVICE after dropping ALL, and so does posture.',
  },
  'host-path': { title: 'hostPath volume', ksv: ['KSV-0023'], rules: ['WKL-021'] },
  'sensitive-host-path': { title: 'sensitive host path (runtime socket, /, /etc …)', ksv: ['KSV-0006', 'KSV-0121'], rules: ['WKL-009'] },
  apparmor: {
    title: 'AppArmor unconfined',
    ksv: ['KSV-0002'],
    rules: ['WKL-022'],
    postureOnly:
      'KSV-0002 reads only the legacy container.apparmor.security.beta.kubernetes.io annotation; the securityContext.appArmorProfile field (GA since Kubernetes 1.30), which posture reads too, is not checked.',
  },
  selinux: { title: 'custom SELinux options', ksv: ['KSV-0025'], rules: ['WKL-023'] },
  'proc-mount': { title: 'unmasked /proc', ksv: ['KSV-0027'], rules: ['WKL-024', 'WKL-036'] },
  sysctls: { title: 'unsafe sysctls', ksv: ['KSV-0026'], rules: ['WKL-026'] },
  'volume-types': { title: 'non-core volume types', ksv: ['KSV-0028'], rules: ['WKL-030'] },
  // KSV-0104 counts an unset profile as unconfined (the kubelet default), so both checks cover both cases.
  seccomp: { title: 'no seccomp profile, or Unconfined', ksv: ['KSV-0030', 'KSV-0104'], rules: ['WKL-025', 'WKL-034'] },
  'host-process': { title: 'Windows HostProcess', ksv: ['KSV-0103'], rules: ['WKL-020'] },
  'probe-host': {
    title: 'probe or lifecycle hook with a host',
    ksv: [],
    rules: ['WKL-027'],
    postureOnly: 'Trivy has no check for the Pod Security Standards\' Host Probes / Lifecycle Hooks control (Baseline since Kubernetes 1.34).',
  },
  'cpu-limit': { title: 'no CPU limit', ksv: ['KSV-0011'], rules: ['WKL-011'] },
  'memory-limit': { title: 'no memory limit', ksv: ['KSV-0018'], rules: ['WKL-010'] },
  requests: {
    title: 'no CPU/memory requests',
    ksv: ['KSV-0015', 'KSV-0016'],
    rules: [],
    trivyOnly: 'Requests are a scheduling matter; posture judges limits (WKL-010, WKL-011), which bound what a compromised container can take.',
  },
  'image-tag': {
    title: 'image not pinned (latest / no digest)',
    ksv: ['KSV-0013'],
    rules: ['WKL-016:image/digest'],
    postureOnly: 'KSV-0013 asks only for a tag other than `latest`; posture (WKL-016) asks for a digest, so the workload runs exactly the image that was scanned.',
  },
  'image-registry': {
    title: 'image from an untrusted or public registry',
    ksv: ['KSV-0032', 'KSV-0033', 'KSV-0034', 'KSV-0035', 'KSV-0125'],
    rules: ['WKL-016:image/registry'],
    postureOnly:
      'KSV-0125 judges only images that name a registry host, so Docker Hub short names (`nginx:1.27`, `busybox:1.36`) pass it, and KSV-0034 (public registries) is deprecated and does not run; posture reads a short name as docker.io, which its allow-list does not trust.',
  },
  'env-credentials': {
    title: 'credentials in plain env',
    ksv: [],
    rules: ['WKL-006'],
    postureOnly:
      'No KSV check reads container environment values. Trivy\'s separate secret scanner (`--scanners secret`, not part of `trivy config`) matches credential patterns in files, not the variables of a pod spec.',
  },
  'secrets-as-env': {
    title: 'Secret consumed as env var',
    ksv: [],
    rules: ['WKL-043'],
    postureOnly: 'CIS Kubernetes 5.4.1 (secrets as files, not env); Trivy has no KSV check for it.',
  },
  'token-automount': {
    title: 'service account token mounted',
    ksv: ['KSV-0036'],
    rules: ['WKL-040'],
    postureOnly:
      'KSV-0036 fails only `automountServiceAccountToken: true` written in the pod spec (or a volume at the token path); posture takes the effective value, and with neither the pod nor its ServiceAccount turning it off the API server mounts the token (CIS 5.1.6 looks at the same).',
  },
  'default-service-account': {
    title: 'default service account used or granted',
    ksv: [],
    rules: ['WKL-042', 'RBAC-012', 'NS-003'],
    postureOnly: 'CIS Kubernetes 5.1.5 (default service accounts not actively used); Trivy has no KSV check for it.',
  },
  'default-namespace': { title: 'workload in the default namespace', ksv: ['KSV-0110'], rules: ['WKL-041'] },
  'default-security-context': {
    title: 'empty security context',
    ksv: ['KSV-0118'],
    rules: [],
    trivyOnly:
      'KSV-0118 fails an empty securityContext as such; posture judges each field the empty context leaves at its default (root, escalation, seccomp, capabilities), which is where its findings for the same object are.',
  },
  'privileged-port': {
    title: 'containerPort below 1024',
    ksv: ['KSV-0117'],
    rules: [],
    trivyOnly:
      'A container port below 1024 inside the pod\'s own network namespace binds nothing on the node; posture flags host ports (WKL-004) and capabilities (NET_BIND_SERVICE, WKL-008/035) instead.',
  },
  'etc-hosts': { title: 'hostAliases', ksv: ['KSV-0007'], rules: [], trivyOnly: 'Managing /etc/hosts is not a control of PSS, CIS or NSA; posture has no rule for it.' },
  'kube-system': {
    title: 'user workload in kube-system',
    ksv: ['KSV-0037'],
    rules: [],
    trivyOnly: 'posture cannot tell a user workload from the platform\'s in kube-system from the object alone; not judged.',
  },
  'namespace-network-policy': {
    title: 'namespace without a NetworkPolicy',
    ksv: [],
    rules: ['NS-001'],
    postureOnly: 'Trivy judges objects one at a time (`trivy config` and `trivy k8s` alike), so it cannot see that a namespace has no NetworkPolicy (CIS 5.3.2); posture joins namespaces with their policies.',
  },
  'network-policy-selectors': { title: 'NetworkPolicy without selectors', ksv: ['KSV-0038'], rules: [] },
  'pod-security-labels': {
    title: 'namespace enforces no Pod Security Standard',
    ksv: [],
    rules: ['NS-002'],
    postureOnly: 'Trivy has no KSV check on Namespace labels (CIS 5.2.1, Pod Security Admission enforce label).',
  },
  'limit-range-quota': {
    title: 'LimitRange / ResourceQuota usage',
    ksv: ['KSV-0039', 'KSV-0040'],
    rules: [],
    trivyOnly: 'posture counts LimitRanges and ResourceQuotas per namespace but has no rule on them (NSA resource policies are judged on the containers\' limits).',
  },
  'configmap-credentials': { title: 'credentials in a ConfigMap', ksv: ['KSV-0109', 'KSV-01010'], rules: ['NS-004'] },
  'cluster-admin': {
    title: 'cluster-admin (or admin/edit) bound',
    ksv: ['KSV-0111'],
    rules: ['RBAC-001'],
    trivyOnly:
      'KSV-0111 fails any binding to the roles named cluster-admin, admin or edit. posture\'s RBAC-001 (CIS 5.1.1) is about cluster-admin only and does not judge the API server\'s own cluster-admin binding to system:masters; what admin or edit grant is judged by the permission rules (RBAC-003, RBAC-004 …) when those roles are in the input.',
  },
  wildcards: { title: 'wildcards in a bound role', ksv: ['KSV-0044', 'KSV-0045', 'KSV-0046', 'KSV-0112'], rules: ['RBAC-002'] },
  'secrets-access': {
    title: 'role reads or manages secrets',
    ksv: ['KSV-0041', 'KSV-0113'],
    rules: ['RBAC-003'],
    trivyOnly: 'KSV-0041 ignores resourceNames; posture passes a rule limited to named secrets (`resourceNames: [app-tls]`), the narrow access CIS 5.1.2 asks for.',
  },
  'pod-creation': { title: 'role creates or changes pods and controllers', ksv: ['KSV-0048'], rules: ['RBAC-004'] },
  'rbac-escalation': {
    title: 'bind / escalate / impersonate / manage RBAC',
    ksv: ['KSV-0043', 'KSV-0050', 'KSV-0051', 'KSV-0052', 'KSV-0055'],
    rules: ['RBAC-005'],
    postureOnly:
      'Trivy\'s RBAC checks look for create/update/delete on roles and rolebindings (KSV-0050) and impersonation of groups with apiGroups `*` (KSV-0043); the bind and escalate verbs and impersonation of users or service accounts (CIS 5.1.8) are not among them.',
  },
  'pv-creation': { title: 'create PersistentVolumes', ksv: [], rules: ['RBAC-006'], postureOnly: 'CIS Kubernetes 5.1.9; Trivy has no KSV check for it.' },
  'node-proxy': { title: 'nodes/proxy access', ksv: ['KSV-0047'], rules: ['RBAC-007'] },
  'csr-approval': { title: 'approve CSRs', ksv: [], rules: ['RBAC-008'], postureOnly: 'CIS Kubernetes 5.1.11; Trivy has no KSV check for it.' },
  webhooks: { title: 'change admission webhooks', ksv: ['KSV-0114'], rules: ['RBAC-009'] },
  'token-creation': { title: 'mint service account tokens', ksv: [], rules: ['RBAC-010'], postureOnly: 'CIS Kubernetes 5.1.13; Trivy has no KSV check for it.' },
  anonymous: {
    title: 'anonymous / all-authenticated subjects',
    ksv: ['KSV-0122', 'KSV-01011'],
    rules: ['RBAC-011'],
    postureOnly:
      'Trivy\'s checks for these subjects, KSV-0122 (system:anonymous, system:unauthenticated) and KSV-01011 (system:authenticated, GKE only), are written in the legacy `appshield` Rego namespace and reported nothing on these bindings in this run.',
  },
  masters: {
    title: 'system:masters subject',
    ksv: ['KSV-0123'],
    rules: [],
    trivyOnly:
      'A binding to system:masters grants nothing the group does not already have (the authorizer lets system:masters do everything without RBAC); posture leaves CIS 5.1.7 manual, since the real risk is a client certificate in that group, which no API object shows.',
  },
  'other-rbac': {
    title: 'other RBAC permissions (logs, exec, attach, configmaps, networking)',
    ksv: ['KSV-0042', 'KSV-0049', 'KSV-0053', 'KSV-0054', 'KSV-0056'],
    rules: [],
    trivyOnly: 'No control posture maps (CIS 5.1, NSA RBAC) names these permissions; posture has no rule for them.',
  },
};

const byKsv = new Map(Object.entries(concepts).flatMap(([id, c]) => c.ksv.map((k) => [k, id] as const)));

export function conceptOfKsv(ksv: string): string | undefined {
  return byKsv.get(ksv);
}

/** The concept of a posture finding, by rule id and (for rules that cover several) its path. */
export function conceptOfRule(ruleId: string, findingPath = ''): string | undefined {
  for (const [id, c] of Object.entries(concepts)) {
    for (const r of c.rules) {
      const [rule, part] = r.split(':');
      if (rule === ruleId && (!part || findingPath.includes(part))) return id;
    }
  }
  return undefined;
}

/** What else each tool flagged on the same object: some differences are explained by it. */
export interface RowContext {
  trivyConcepts: ReadonlySet<string>;
  windows: boolean;
  /** The API server's own binding (kubernetes.io/bootstrapping=rbac-defaults). */
  bootstrap?: boolean;
  /** The binding's ClusterRole is an aggregated one whose rules nobody filled (no controller-manager). */
  aggregatedRole?: string;
}

const rbacPermissionConcepts = new Set(['cluster-admin', 'secrets-access', 'pod-creation', 'rbac-escalation', 'pv-creation', 'node-proxy', 'csr-approval', 'webhooks', 'token-creation']);
const linuxOnly = new Set(['capabilities', 'escalation', 'read-only-root', 'seccomp', 'non-root', 'selinux', 'proc-mount']);

export function explain(d: Difference, row: RowContext): string {
  const c = concepts[d.concept];
  if (d.concept.startsWith('trivy-only:')) return `UNEXPLAINED: Trivy check ${d.trivy.join(' ')} has no concept`;
  if (d.trivy.length === 0 && rbacPermissionConcepts.has(d.concept) && row.trivyConcepts.has('wildcards')) {
    return 'The role grants `*`: posture reports each permission the wildcard includes (CIS 5.1.1 to 5.1.13 each); Trivy\'s permission checks match resource names literally and report the wildcard once (KSV-0044, KSV-0046).';
  }
  if (d.posture.length === 0 && row.windows && linuxOnly.has(d.concept)) {
    return 'A Windows pod (`spec.os.name: windows`): the API server rejects these Linux-only securityContext fields on it and the Pod Security Standards exempt Windows pods from them, so posture does not judge them; Trivy fails them as unset.';
  }
  if (d.posture.length === 0 && c?.trivyOnly) return c.trivyOnly;
  if (d.trivy.length === 0 && c?.postureOnly) return c.postureOnly;
  if (d.trivy.length === 0 && row.aggregatedRole && rbacPermissionConcepts.has(d.concept)) {
    return `\`${row.aggregatedRole}\` is an aggregated ClusterRole: in a cluster the controller-manager copies into it the rules of the ClusterRoles labelled to aggregate into it. The stand-in API server runs without one, so the role's own rules are empty and Trivy, which reads them, finds nothing; posture computes the aggregation from the labelled roles itself.`;
  }
  if (d.posture.length === 0 && row.bootstrap) {
    return 'The API server\'s own binding (labelled kubernetes.io/bootstrapping=rbac-defaults, to system:* subjects only), which it recreates at every start: posture leaves the platform\'s bindings out of the RBAC rules (policies/lib/rbac.rego, platform_binding); Trivy judges the role it binds.';
  }
  return 'UNEXPLAINED';
}
