// The Kubernetes API objects the normalizers read, as zod schemas over their JSON field names (the API
// reference's names, which `kubectl get -o json`, `-o yaml` manifests and @kubernetes/client-node's raw
// responses share). Every schema is loose: fields we do not read pass through untouched into `raw`.
import { z } from 'zod';

const StringMap = z.record(z.string(), z.string());

export const OwnerReference = z.object({ kind: z.string(), name: z.string(), uid: z.string().optional(), controller: z.boolean().optional() }).loose();

export const ObjectMeta = z
  .object({
    name: z.string().min(1).max(253),
    namespace: z.string().max(63).optional(),
    uid: z.string().optional(),
    labels: StringMap.optional(),
    annotations: StringMap.optional(),
    ownerReferences: z.array(OwnerReference).optional(),
  })
  .loose();
export type ObjectMeta = z.infer<typeof ObjectMeta>;

/** Any object: what every input must have to be placed (kind and name). */
export const KubeObject = z.object({ apiVersion: z.string().optional(), kind: z.string().min(1), metadata: ObjectMeta }).loose();
export type KubeObject = z.infer<typeof KubeObject>;

const Profile = z.object({ type: z.string(), localhostProfile: z.string().optional() }).loose();
const SeLinux = z.object({ user: z.string().optional(), role: z.string().optional(), type: z.string().optional(), level: z.string().optional() }).loose();
const WindowsOptions = z.object({ hostProcess: z.boolean().optional(), runAsUserName: z.string().optional() }).loose();

export const ContainerSecurityContext = z
  .object({
    privileged: z.boolean().optional(),
    allowPrivilegeEscalation: z.boolean().optional(),
    readOnlyRootFilesystem: z.boolean().optional(),
    runAsUser: z.number().int().optional(),
    runAsGroup: z.number().int().optional(),
    runAsNonRoot: z.boolean().optional(),
    capabilities: z.object({ add: z.array(z.string()).optional(), drop: z.array(z.string()).optional() }).loose().optional(),
    seccompProfile: Profile.optional(),
    appArmorProfile: Profile.optional(),
    seLinuxOptions: SeLinux.optional(),
    procMount: z.string().optional(),
    windowsOptions: WindowsOptions.optional(),
  })
  .loose();

export const PodSecurityContext = z
  .object({
    runAsUser: z.number().int().optional(),
    runAsGroup: z.number().int().optional(),
    runAsNonRoot: z.boolean().optional(),
    fsGroup: z.number().int().optional(),
    supplementalGroups: z.array(z.number().int()).optional(),
    sysctls: z.array(z.object({ name: z.string(), value: z.string().optional() }).loose()).optional(),
    seccompProfile: Profile.optional(),
    appArmorProfile: Profile.optional(),
    seLinuxOptions: SeLinux.optional(),
    windowsOptions: WindowsOptions.optional(),
  })
  .loose();

const Handler = z
  .object({
    httpGet: z.object({ host: z.string().optional() }).loose().optional(),
    tcpSocket: z.object({ host: z.string().optional() }).loose().optional(),
  })
  .loose();

const Resources = z.object({ limits: z.record(z.string(), z.unknown()).optional(), requests: z.record(z.string(), z.unknown()).optional() }).loose();

export const KubeContainer = z
  .object({
    name: z.string(),
    image: z.string().optional(),
    securityContext: ContainerSecurityContext.optional(),
    env: z
      .array(
        z
          .object({
            name: z.string(),
            value: z.string().optional(),
            valueFrom: z
              .object({ secretKeyRef: z.object({ name: z.string().optional(), key: z.string() }).loose().optional() })
              .loose()
              .optional(),
          })
          .loose(),
      )
      .optional(),
    envFrom: z
      .array(z.object({ prefix: z.string().optional(), secretRef: z.object({ name: z.string().optional() }).loose().optional() }).loose())
      .optional(),
    ports: z.array(z.object({ containerPort: z.number().int().optional(), hostPort: z.number().int().optional() }).loose()).optional(),
    volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string(), readOnly: z.boolean().optional() }).loose()).optional(),
    resources: Resources.optional(),
    livenessProbe: Handler.optional(),
    readinessProbe: Handler.optional(),
    startupProbe: Handler.optional(),
    lifecycle: z.object({ postStart: Handler.optional(), preStop: Handler.optional() }).loose().optional(),
  })
  .loose();
export type KubeContainer = z.infer<typeof KubeContainer>;

export const PodSpec = z
  .object({
    containers: z.array(KubeContainer),
    initContainers: z.array(KubeContainer).optional(),
    ephemeralContainers: z.array(KubeContainer).optional(),
    hostNetwork: z.boolean().optional(),
    hostPID: z.boolean().optional(),
    hostIPC: z.boolean().optional(),
    hostUsers: z.boolean().optional(),
    shareProcessNamespace: z.boolean().optional(),
    serviceAccountName: z.string().optional(),
    serviceAccount: z.string().optional(),
    automountServiceAccountToken: z.boolean().optional(),
    securityContext: PodSecurityContext.optional(),
    os: z.object({ name: z.string() }).loose().optional(),
    resources: Resources.optional(),
    volumes: z.array(z.object({ name: z.string(), hostPath: z.object({ path: z.string() }).loose().optional() }).loose()).optional(),
  })
  .loose();
export type PodSpec = z.infer<typeof PodSpec>;

export const PodTemplate = z.object({ metadata: z.object({ labels: StringMap.optional(), annotations: StringMap.optional() }).loose().optional(), spec: PodSpec }).loose();

export const PodStatus = z
  .object({
    phase: z.string().optional(),
    containerStatuses: z.array(z.object({ name: z.string(), image: z.string().optional(), imageID: z.string().optional() }).loose()).optional(),
    initContainerStatuses: z.array(z.object({ name: z.string(), image: z.string().optional(), imageID: z.string().optional() }).loose()).optional(),
  })
  .loose();

export const LabelSelector = z
  .object({
    matchLabels: StringMap.optional(),
    matchExpressions: z.array(z.object({ key: z.string(), operator: z.string(), values: z.array(z.string()).optional() }).loose()).optional(),
  })
  .loose();
export type LabelSelector = z.infer<typeof LabelSelector>;

export const PolicyRuleIn = z
  .object({
    apiGroups: z.array(z.string()).optional(),
    resources: z.array(z.string()).optional(),
    verbs: z.array(z.string()).default([]),
    resourceNames: z.array(z.string()).optional(),
    nonResourceURLs: z.array(z.string()).optional(),
  })
  .loose();

export const RoleObject = KubeObject.extend({
  rules: z.array(PolicyRuleIn).nullish(),
  aggregationRule: z.object({ clusterRoleSelectors: z.array(LabelSelector).optional() }).loose().optional(),
});

export const BindingObject = KubeObject.extend({
  roleRef: z.object({ kind: z.enum(['Role', 'ClusterRole']), name: z.string() }).loose(),
  subjects: z.array(z.object({ kind: z.string(), name: z.string(), namespace: z.string().optional() }).loose()).nullish(),
});

export const NetworkPolicyObject = KubeObject.extend({
  spec: z
    .object({
      podSelector: LabelSelector.optional(),
      policyTypes: z.array(z.string()).optional(),
      ingress: z.array(z.unknown()).optional(),
      egress: z.array(z.unknown()).optional(),
    })
    .loose()
    .optional(),
});

export const ServiceObject = KubeObject.extend({
  spec: z
    .object({
      type: z.string().optional(),
      selector: StringMap.optional(),
      ports: z.array(z.object({ port: z.number().int().optional(), nodePort: z.number().int().optional() }).loose()).optional(),
    })
    .loose()
    .optional(),
});

const IngressBackend = z.object({ service: z.object({ name: z.string() }).loose().optional() }).loose();
export const IngressObject = KubeObject.extend({
  spec: z
    .object({
      defaultBackend: IngressBackend.optional(),
      rules: z
        .array(
          z
            .object({
              host: z.string().optional(),
              http: z.object({ paths: z.array(z.object({ backend: IngressBackend }).loose()).optional() }).loose().optional(),
            })
            .loose(),
        )
        .optional(),
      tls: z.array(z.unknown()).optional(),
    })
    .loose()
    .optional(),
});

export const ServiceAccountObject = KubeObject.extend({ automountServiceAccountToken: z.boolean().optional() });
export const SecretObject = KubeObject.extend({ type: z.string().optional() });
export const ConfigMapObject = KubeObject.extend({ data: z.record(z.string(), z.string()).optional() });

/** Kinds whose pod template we read, and where the template sits. */
export const workloadKinds = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'] as const;
export type WorkloadKind = (typeof workloadKinds)[number];
export const isWorkloadKind = (kind: string): kind is WorkloadKind => (workloadKinds as readonly string[]).includes(kind);

/** Cluster-scoped kinds among those we read (they have no namespace). */
export const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);
