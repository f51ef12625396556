// The asset document: the one shape every collector produces and every policy reads.
// Cross-cloud fields are normalized so one rule can judge EKS, AKS and GKE alike;
// `raw` keeps the provider's own answer for the checks that need cloud-specific detail.
import { z } from 'zod';
import { providerIds } from '../providers/registry.ts';

export const assetKinds = ['image', 'registry', 'cluster', 'workload', 'service', 'namespace', 'rbac-binding'] as const;
export const AssetKind = z.enum(assetKinds);
export type AssetKind = z.infer<typeof AssetKind>;

/**
 * A registered provider (providers/registry.ts), `oci` for an image read from any registry or file, or
 * `kubernetes` for objects read from a cluster or from manifests (local manifests need no registered
 * collector; when the Kubernetes provider registers, the repeated name is one enum value).
 */
export const Provider = z.enum([...providerIds, 'oci', 'kubernetes']);
export type Provider = z.infer<typeof Provider>;

/** Says which form `raw` holds, because the same resource differs between REST JSON and SDK objects. */
export const RawForm = z.enum([
  'aws-api', // AWS API / CLI JSON (same field names either way)
  'arm-rest', // Azure ARM wire JSON: `properties` nested, `enableRBAC`
  'arm-sdk', // @azure/arm-* objects: `properties` flattened, `enableRbac`
  'gcp-api', // GKE / Artifact Registry REST or proto-JSON
  'oci', // OCI manifest + config
  'k8s-api', // Kubernetes API objects as the API server returns them (JSON field names), managedFields dropped
]);
export type RawForm = z.infer<typeof RawForm>;

const Tags = z.record(z.string(), z.string());

const base = {
  id: z.string().min(1),
  provider: Provider,
  /** AWS account id, Azure subscription id, GCP project id, or registry host for bare images. */
  account: z.string(),
  /** The cloud's own region/location name; '' when the asset has none (e.g. a local image). */
  region: z.string(),
  /** From the region→jurisdiction table; 'UNKNOWN' fails closed in residency rules. */
  jurisdiction: z.string(),
  tags: Tags,
  collectedAt: z.string(),
  source: z.string().optional(),
  rawForm: RawForm,
  /**
   * What was read, keyed by what it is, in the provider's own field names. A key that is absent was
   * not collected (e.g. a local file lacks it); `null` means collected and not there.
   *   ECS workload  { taskDefinition, tags? }                  (DescribeTaskDefinition)
   *   ECS service   { service, cluster? }                      (DescribeServices / DescribeClusters element)
   *   ECS cluster   { cluster, capacityProviders? }            (DescribeClusters element, DescribeCapacityProviders)
   *   EKS cluster   { cluster, nodegroups?, addons?, subnets?, oidcProviders?, podIdentityAssociations? }
   *                 (DescribeCluster, DescribeNodegroup, DescribeAddon, ec2:DescribeSubnets,
   *                  iam:ListOpenIDConnectProviders, ListPodIdentityAssociations)
   *   ECR repository { repository, policyText?, lifecyclePolicyText?, scanningConfiguration?, replicationConfiguration? }
   *   ECR registry  { registryId, scanningConfiguration?, replicationConfiguration?, pullThroughCacheRules?, policyText? }
   *   AKS / ACR     { resource, diagnosticSettings?, replications? }   (`rawForm` says arm-rest or arm-sdk)
   *   GKE cluster   { cluster }                                 (projects.locations.clusters.get, REST JSON names)
   *   AR registry   { repository, iamPolicy? }
   *   image         { manifest, config, index? }
   *   k8s workload  { object, pods? }     (the Pod or controller; pods: metadata+status of the Pods folded into it)
   *   k8s namespace { namespace, networkPolicies, serviceAccounts, limitRanges, resourceQuotas }  (Secrets and
   *                 ConfigMaps never appear in raw: Secrets are metadata only, ConfigMap values are redacted)
   *   rbac binding  { binding, role }    (role: the Role/ClusterRole bound, `null` when it was not collected)
   */
  raw: z.record(z.string(), z.unknown()),
  /**
   * Inputs whose collection failed for this asset (e.g. `raw.diagnosticSettings` when the call was
   * refused): rules that require them end "not evaluated (collection error)" instead of passing.
   */
  collectionErrors: z.array(z.object({ input: z.string(), message: z.string() })).optional(),
};

const NullableBool = z.boolean().nullable();

/** A seccomp or AppArmor profile: `RuntimeDefault`, `Localhost` (with the profile), or `Unconfined`. */
export const SecurityProfile = z.object({ type: z.string(), localhostProfile: z.string().nullable() });
export type SecurityProfile = z.infer<typeof SecurityProfile>;

/**
 * One container, as an ECS container definition or a Kubernetes container fills it. Every field holds the
 * effective value: a Kubernetes container-level setting wins over the pod-level one, and `null` means
 * "not set", so the platform's default applies (the rules say what that default is).
 */
export const Container = z.object({
  name: z.string(),
  image: z.string(),
  /** `app` (ECS container definition, Kubernetes container), `init` (incl. restartable sidecars) or `ephemeral`. */
  role: z.enum(['app', 'init', 'ephemeral']),
  /** Digest the running container resolved its image to (Kubernetes Pod status), or null when not running/known. */
  imageDigest: z.string().nullable(),
  privileged: z.boolean(),
  /** ECS `user` as written; Kubernetes `runAsUser[:runAsGroup]`, or Windows `runAsUserName`. */
  user: z.string().nullable(),
  /** Numeric UID/GID when known (ECS: parsed from a numeric `user`, `root` is 0). */
  runAsUser: z.number().int().nullable(),
  runAsGroup: z.number().int().nullable(),
  /** Kubernetes `runAsNonRoot`; ECS has no such setting (null). */
  runAsNonRoot: NullableBool,
  /** Kubernetes `allowPrivilegeEscalation`; ECS `dockerSecurityOptions: no-new-privileges` is false. Null: not set (allowed). */
  allowPrivilegeEscalation: NullableBool,
  readOnlyRootFilesystem: z.boolean(),
  capabilities: z.object({ add: z.array(z.string()), drop: z.array(z.string()) }),
  seccompProfile: SecurityProfile.nullable(),
  appArmorProfile: SecurityProfile.nullable(),
  /** SELinux options; ECS `label:disable` runs the container as `spc_t`. */
  seLinuxOptions: z
    .object({ user: z.string().nullable(), role: z.string().nullable(), type: z.string().nullable(), level: z.string().nullable() })
    .nullable(),
  /** Kubernetes `procMount` (`Default` / `Unmasked`); null: Default. */
  procMount: z.string().nullable(),
  windowsHostProcess: z.boolean(),
  env: z.array(z.object({ name: z.string(), value: z.string() })),
  /** References to secrets: ECS `secrets[].valueFrom`; Kubernetes `secret:<namespace>/<name>[#key]` from env and envFrom. */
  secrets: z.array(z.object({ name: z.string(), source: z.string() })),
  hostPorts: z.array(z.number().int()),
  mounts: z.array(z.object({ volume: z.string(), path: z.string(), readOnly: z.boolean() })),
  /** Host devices mapped into the container (ECS `linuxParameters.devices`; a Kubernetes pod spec cannot map one). */
  devices: z.array(z.string()),
  /** Hosts named in probes and lifecycle handlers (`httpGet.host`, `tcpSocket.host`), where they point. */
  probeHosts: z.array(z.object({ handler: z.string(), host: z.string() })),
  logging: z.object({ driver: z.string(), options: z.record(z.string(), z.string()) }).nullable(),
  memoryLimitMiB: z.number().nullable(),
  memoryRequestMiB: z.number().nullable(),
  cpuLimitMillicores: z.number().nullable(),
  cpuRequestMillicores: z.number().nullable(),
});
export type Container = z.infer<typeof Container>;

/** Which Kubernetes a cluster's objects come from: a managed service, or any other (kubeconfig, manifests). */
export const KubernetesDistribution = z.enum(['eks', 'aks', 'gke', 'kubernetes']);

/** Where a Kubernetes workload is reachable from: a LoadBalancer/NodePort Service or an Ingress that routes to it. */
export const Exposure = z.object({
  kind: z.enum(['Service', 'Ingress']),
  name: z.string(),
  /** Service type (LoadBalancer, NodePort) or `Ingress`. */
  type: z.string(),
  ports: z.array(z.number().int()),
  hosts: z.array(z.string()),
});

export const WorkloadAsset = z.object({
  ...base,
  kind: z.literal('workload'),
  workload: z.object({
    platform: z.enum(['ecs', 'kubernetes']),
    name: z.string(),
    revision: z.number().int().nullable(),
    networkMode: z.string().nullable(),
    hostNetwork: z.boolean(),
    hostPid: z.boolean(),
    hostIpc: z.boolean(),
    /** Kubernetes `hostUsers` (false: the pod runs in its own user namespace); ECS tasks always share the host's. */
    hostUsers: z.boolean(),
    /** Containers of the workload see each other's processes (Kubernetes `shareProcessNamespace`, ECS `pidMode: task`). */
    shareProcessNamespace: z.boolean(),
    /** Namespaced kernel parameters (Kubernetes `securityContext.sysctls`, ECS `systemControls`). */
    sysctls: z.array(z.object({ name: z.string(), value: z.string() })),
    /** Pod-level group settings (Kubernetes); ECS has none. */
    supplementalGroups: z.array(z.number().int()),
    fsGroup: z.number().int().nullable(),
    compatibilities: z.array(z.string()),
    osFamily: z.string().nullable(),
    memoryLimitMiB: z.number().nullable(),
    cpuLimitMillicores: z.number().nullable(),
    containers: z.array(Container),
    /** `source`: Kubernetes volume source key (hostPath, emptyDir, nfs …) or ECS host / docker / efs / fsxWindowsFileServer. */
    volumes: z.array(z.object({ name: z.string(), source: z.string(), hostPath: z.string().nullable() })),
    /** Kubernetes-only facts; null for ECS. */
    kubernetes: z
      .object({
        /** Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicaSet, ReplicationController. */
        kind: z.string(),
        namespace: z.string(),
        cluster: z.string(),
        /** eks | aks | gke when collected from a managed cluster, otherwise kubernetes. */
        distribution: KubernetesDistribution,
        labels: z.record(z.string(), z.string()),
        serviceAccount: z.object({
          name: z.string(),
          /**
           * Effective token automount: the pod spec's setting, else the ServiceAccount's, else true (the API default).
           * Absent when neither the pod spec says nor the ServiceAccount is in the input (manifests without it).
           */
          automountToken: z.boolean().optional(),
          /** Where the effective value came from. */
          automountSource: z.enum(['pod', 'service-account', 'default']).optional(),
        }),
        /** Pods folded into this workload (owned directly or through a ReplicaSet / Job), and how many run. */
        pods: z.number().int(),
        runningPods: z.number().int(),
        exposure: z.array(Exposure),
      })
      .nullable(),
  }),
});

export const ServiceAsset = z.object({
  ...base,
  kind: z.literal('service'),
  service: z.object({
    name: z.string(),
    cluster: z.string(),
    launchType: z.string().nullable(),
    platformVersion: z.string().nullable(),
    publicIp: z.boolean(),
    execCommand: z.boolean(),
    taskDefinition: z.string().nullable(),
  }),
});

export const NodePool = z.object({
  name: z.string(),
  version: z.string().nullable(),
  locations: z.array(z.string()),
  publicIp: NullableBool,
  imageType: z.string().nullable(),
  serviceAccount: z.string().nullable(),
  autoUpgrade: NullableBool,
});

/**
 * AKS settings that only AKS rules judge, read once from either ARM form (wire JSON or SDK / `az` objects)
 * by providers/azure/normalize-aks.ts, so no rule reads the ARM resource itself. Values as set, in ARM's
 * own terms; null when the resource does not set them (the API default applies).
 */
export const AksSettings = z.object({
  /** `aadProfile` is set: the cluster authenticates users with Microsoft Entra ID. */
  entraId: z.boolean(),
  disableLocalAccounts: NullableBool,
  /** `securityProfile.defender.securityMonitoring.enabled`: the Defender for Containers sensor. */
  defenderSensor: NullableBool,
  /** `diskEncryptionSetID`: node OS and data disks encrypted with a customer-managed key. */
  diskEncryptionSetId: z.string().nullable(),
  /** `apiServerAccessProfile.disableRunCommand`. */
  disableRunCommand: NullableBool,
  /** `addonProfiles.azurepolicy.enabled`. */
  azurePolicyAddon: NullableBool,
  /** `autoUpgradeProfile.upgradeChannel` and `.nodeOSUpgradeChannel`. */
  upgradeChannel: z.string().nullable(),
  nodeOSUpgradeChannel: z.string().nullable(),
  /** `identity.type` and `servicePrincipalProfile.clientId` (`msi` when the cluster uses a managed identity). */
  identityType: z.string().nullable(),
  servicePrincipalClientId: z.string().nullable(),
  /** Each agent pool's `enableEncryptionAtHost` and `securityProfile.sshAccess`. */
  agentPools: z.array(z.object({ name: z.string(), enableEncryptionAtHost: NullableBool, sshAccess: z.string().nullable() })),
});
export type AksSettings = z.infer<typeof AksSettings>;

/** EKS, AKS and GKE: one Kubernetes control plane with node pools; cross-cloud fields so one rule judges all three. */
export const KubernetesCluster = z.object({
  distribution: z.enum(['eks', 'aks', 'gke']),
  name: z.string(),
  version: z.string().nullable(),
  endpoint: z.object({
    public: z.boolean(),
    private: z.boolean(),
    /**
     * Source ranges the public endpoint admits: `0.0.0.0/0` when it admits any address (normalizers write it
     * out for an unrestricted endpoint), empty when it admits none or there is no public endpoint.
     */
    allowedCidrs: z.array(z.string()),
    /**
     * Source ranges the private endpoint admits, where the cloud filters it by range (GKE authorized
     * networks): `0.0.0.0/0` when any address that routes to it may connect. Null or absent where the cloud
     * has no such filter (EKS and AKS private endpoints are bounded by the VPC / VNet) or there is no IP endpoint.
     */
    privateAllowedCidrs: z.array(z.string()).nullable().optional(),
  }),
  rbac: NullableBool,
  /** Something enforces NetworkPolicy objects; null when what would say so was not collected. */
  networkPolicy: NullableBool,
  secretsEncryption: z.object({ enabled: z.boolean(), keyId: z.string().nullable() }),
  /** The Kubernetes API audit log is recorded outside the cluster; null when what would say so was not collected. */
  auditLogging: NullableBool,
  /** Every region or zone the control plane or nodes run in (for residency). */
  locations: z.array(z.string()),
  /** Null when the node pools were not collected (e.g. an EKS cluster read from DescribeCluster alone). */
  nodePools: z.array(NodePool).nullable(),
  /** The cloud refuses to delete the cluster until this is turned off (EKS `deletionProtection`); absent or null: not collected. */
  deletionProtection: NullableBool.optional(),
  /**
   * Kubernetes authorization is decided by the cloud's role-based access control as well as in-cluster RBAC
   * (AKS: Azure RBAC for Kubernetes authorization, `aadProfile.enableAzureRBAC`); absent when the collector
   * does not say.
   */
  cloudRbac: NullableBool.optional(),
  /**
   * Cluster metrics or container logs go to the cloud's monitoring service (AKS: Azure Monitor managed
   * Prometheus `azureMonitorProfile.metrics` or the Container insights `omsagent` add-on); absent when the
   * collector does not say.
   */
  monitoring: NullableBool.optional(),
  /**
   * Pods can get cloud credentials of their own (EKS: an IAM OIDC provider for the cluster issuer, or pod
   * identity associations; AKS: workload identity with the OIDC issuer; GKE: a Workload Identity pool); null
   * when a mechanism could not be checked, absent when the collector does not say.
   */
  workloadIdentity: NullableBool.optional(),
  aks: AksSettings.optional(),
});
export type KubernetesCluster = z.infer<typeof KubernetesCluster>;

/** One ECS capacity provider a cluster may place tasks on (DescribeCapacityProviders). */
export const EcsCapacityProvider = z.object({
  name: z.string(),
  /** FARGATE and FARGATE_SPOT are AWS-managed; others are backed by an Auto Scaling group. */
  fargate: z.boolean(),
  /** ASG providers: scale-in cannot terminate instances running tasks; null for Fargate or when not described. */
  managedTerminationProtection: NullableBool,
  managedScaling: NullableBool,
});

/**
 * An ECS cluster, whether or not it runs services. It has no Kubernetes control plane, so none of the
 * Kubernetes fields exist here: a Kubernetes cluster rule reading them finds nothing and judges nothing.
 */
export const EcsCluster = z.object({
  distribution: z.literal('ecs'),
  name: z.string(),
  status: z.string().nullable(),
  locations: z.array(z.string()),
  /** `containerInsights` setting: enhanced | enabled | disabled; null when the settings were not read. */
  containerInsights: z.string().nullable(),
  /**
   * configuration.executeCommandConfiguration: `logging` DEFAULT | OVERRIDE | NONE (absent = DEFAULT),
   * the KMS key that encrypts sessions, and where OVERRIDE sends the logs. Null when configurations were not read.
   */
  executeCommand: z
    .object({
      logging: z.string(),
      kmsKeyId: z.string().nullable(),
      cloudWatchLogGroup: z.string().nullable(),
      cloudWatchEncryption: z.boolean(),
      s3Bucket: z.string().nullable(),
      s3Encryption: z.boolean(),
    })
    .nullable(),
  /** Services in the cluster with ECS Exec turned on (`enableExecuteCommand`); null when the services could not be listed. */
  execEnabledServices: z.array(z.string()).nullable(),
  /** configuration.managedStorageConfiguration: KMS keys for managed storage and Fargate ephemeral storage. */
  storageKmsKeyIds: z.object({ managedStorage: z.string().nullable(), fargateEphemeralStorage: z.string().nullable() }).nullable(),
  /** Capacity providers the cluster is associated with; null when they could not be described. */
  capacityProviders: z.array(EcsCapacityProvider).nullable(),
  activeServices: z.number().int().nullable(),
  runningTasks: z.number().int().nullable(),
});
export type EcsCluster = z.infer<typeof EcsCluster>;

export const ClusterAsset = z.object({
  ...base,
  kind: z.literal('cluster'),
  cluster: z.discriminatedUnion('distribution', [KubernetesCluster, EcsCluster]),
});

/**
 * ACR settings that only ACR rules judge, read once from either ARM form by providers/azure/normalize-acr.ts.
 * Values as set, in ARM's own terms; null when the resource does not set them (the API default applies).
 */
export const AcrSettings = z.object({
  sku: z.string().nullable(),
  anonymousPullEnabled: NullableBool,
  publicNetworkAccess: z.string().nullable(),
  /** `networkRuleSet.defaultAction`. */
  networkDefaultAction: z.string().nullable(),
  /** `policies.exportPolicy.status`. */
  exportPolicy: z.string().nullable(),
  /** The status of each private endpoint connection (`privateLinkServiceConnectionState.status`). */
  privateEndpointStates: z.array(z.string().nullable()),
});
export type AcrSettings = z.infer<typeof AcrSettings>;

/** ECR repositories, ACR registries and Artifact Registry repositories: where images are stored. */
export const ImageStore = z.object({
  service: z.enum(['ecr', 'acr', 'artifact-registry']),
  name: z.string(),
  uri: z.string().nullable(),
  scanOnPush: NullableBool,
  tagImmutable: NullableBool,
  encryption: z.object({ type: z.string().nullable(), keyId: z.string().nullable() }),
  publicAccess: NullableBool,
  adminUser: NullableBool,
  lifecyclePolicy: NullableBool,
  /** Regions/locations that receive copies (ECR replication, ACR geo-replicas, AR multi-region members). */
  replicaLocations: z.array(z.string()),
  acr: AcrSettings.optional(),
});
export type ImageStore = z.infer<typeof ImageStore>;

const RepositoryFilter = z.object({ filter: z.string(), type: z.string() });

/**
 * The private ECR registry of one account and region: settings every repository in it inherits. It holds
 * no images itself, so repository rules do not apply to it. Each part is null when it could not be read.
 */
export const EcrRegistry = z.object({
  service: z.literal('ecr-registry'),
  /** The registry id (the account). */
  name: z.string(),
  uri: z.string().nullable(),
  scanning: z
    .object({
      /** BASIC (ECR's own scanner) or ENHANCED (Amazon Inspector). */
      type: z.string(),
      rules: z.array(z.object({ frequency: z.string(), filters: z.array(RepositoryFilter) })),
      /** A SCAN_ON_PUSH or CONTINUOUS_SCAN rule has the `*` wildcard filter: every repository is scanned. */
      coversAllRepositories: z.boolean(),
    })
    .nullable(),
  replication: z
    .object({
      rules: z.array(z.object({ destinations: z.array(z.object({ region: z.string(), registryId: z.string() })), filters: z.array(RepositoryFilter) })),
    })
    .nullable(),
  pullThroughCache: z
    .array(
      z.object({
        prefix: z.string(),
        /** Host of the upstream registry as image references name it (`docker.io`, `quay.io`, …), lower-cased. */
        upstream: z.string(),
        /** Repository path in the upstream the rule is limited to (`upstreamRepositoryPrefix`); null for all of it. */
        upstreamPrefix: z.string().nullable(),
        /** Secrets Manager secret with upstream credentials; null for anonymous pulls. */
        credentialArn: z.string().nullable(),
      }),
    )
    .nullable(),
  /**
   * The registry policy (GetRegistryPolicy): `present` false when there is none. `public` is an Allow to
   * every principal with no account or organization condition; `accounts` are the other accounts it names.
   */
  policy: z.object({ present: z.boolean(), public: z.boolean(), accounts: z.array(z.string()) }).nullable(),
});
export type EcrRegistry = z.infer<typeof EcrRegistry>;

export const RegistryAsset = z.object({
  ...base,
  kind: z.literal('registry'),
  registry: z.discriminatedUnion('service', [ImageStore, EcrRegistry]),
});

/** A Kubernetes rule as written in a Role or ClusterRole. */
export const PolicyRule = z.object({
  apiGroups: z.array(z.string()),
  resources: z.array(z.string()),
  verbs: z.array(z.string()),
  resourceNames: z.array(z.string()),
  nonResourceURLs: z.array(z.string()),
});
export type PolicyRule = z.infer<typeof PolicyRule>;

const PodSecurityMode = z.object({ level: z.string(), version: z.string().nullable() }).nullable();

export const NamespaceAsset = z.object({
  ...base,
  kind: z.literal('namespace'),
  namespace: z.object({
    name: z.string(),
    cluster: z.string(),
    distribution: KubernetesDistribution,
    labels: z.record(z.string(), z.string()),
    /** Pod Security Admission labels `pod-security.kubernetes.io/<mode>[-version]`; null when the mode is not set. */
    podSecurity: z.object({ enforce: PodSecurityMode, audit: PodSecurityMode, warn: PodSecurityMode }),
    networkPolicies: z.array(
      z.object({
        name: z.string(),
        policyTypes: z.array(z.string()),
        /** The empty pod selector: the policy applies to every pod in the namespace. */
        selectsAllPods: z.boolean(),
        ingressRules: z.number().int(),
        egressRules: z.number().int(),
      }),
    ),
    /**
     * ServiceAccounts with their token automount setting (null: not set, the API default true). Absent when the
     * input holds no ServiceAccount of this namespace and is not a full API read: then the list would say nothing.
     */
    serviceAccounts: z.array(z.object({ name: z.string(), automountToken: NullableBool })).optional(),
    /** Secrets by name and type only; values are never read. */
    secrets: z.array(z.object({ name: z.string(), type: z.string() })),
    /** Secret-like values found in ConfigMaps: where, which pattern, and a redacted hint — never the value. */
    configMapSecrets: z.array(z.object({ configMap: z.string(), key: z.string(), rule: z.string(), hint: z.string() })),
    limitRanges: z.number().int(),
    resourceQuotas: z.number().int(),
    /** Workloads (after folding) in the namespace. */
    workloads: z.number().int(),
  }),
});

export const RbacBindingAsset = z.object({
  ...base,
  kind: z.literal('rbac-binding'),
  rbacBinding: z.object({
    name: z.string(),
    cluster: z.string(),
    distribution: KubernetesDistribution,
    /** ClusterRoleBinding: cluster-wide; RoleBinding: within `namespace`. */
    scope: z.enum(['cluster', 'namespace']),
    namespace: z.string().nullable(),
    role: z.object({
      kind: z.enum(['Role', 'ClusterRole']),
      name: z.string(),
      /** The role's rules (aggregated ClusterRoles resolved); absent when the role was not in the input. */
      rules: z.array(PolicyRule).optional(),
    }),
    subjects: z.array(z.object({ kind: z.string(), name: z.string(), namespace: z.string().nullable() })),
  }),
});

export const ImageRef = z.object({
  registry: z.string(),
  repository: z.string(),
  tag: z.string().nullable(),
  digest: z.string().nullable(),
});
export type ImageRef = z.infer<typeof ImageRef>;

/** Package managers and language ecosystems the inventory reads (one analyzer each). */
export const packageManagers = ['dpkg', 'apk', 'rpm', 'npm', 'python', 'go', 'java', 'gem', 'cargo'] as const;
export const PackageManager = z.enum(packageManagers);
export type PackageManager = z.infer<typeof PackageManager>;

/**
 * One installed package. `version` is as the package database writes it (dpkg/apk verbatim; rpm as
 * `[epoch:]version-release` with the epoch only when one is set; Go as the module version with its `v`).
 * `ecosystem` is the OSV ecosystem name (`Debian:12`, `Alpine:v3.20`, `Ubuntu:22.04:LTS`, `Rocky Linux:9`,
 * `npm`, `PyPI`, `Go`, `Maven`, `RubyGems`, `crates.io`, ...); null when OSV publishes no ecosystem for it
 * (e.g. Amazon Linux, or a distribution release we could not tell), so matching says "not evaluated".
 * `layer`/`layerDigest`: the layer that introduced this name and version (index into `image.layers`), so
 * base-image and application packages can be told apart. `path`: the file it was read from (nested
 * archives as `outer.war!/WEB-INF/lib/inner.jar`). `source`: the source package for dpkg (Source:), apk
 * (origin) and rpm (SOURCERPM), which distro advisories are keyed on.
 */
export const ImagePackage = z.object({
  name: z.string(),
  version: z.string(),
  manager: PackageManager,
  ecosystem: z.string().nullable(),
  purl: z.string(),
  layer: z.number().int().nullable(),
  layerDigest: z.string().nullable(),
  path: z.string(),
  source: z.object({ name: z.string(), version: z.string() }).nullable(),
  /** CPU architecture where the database records one (dpkg, apk, rpm). */
  arch: z.string().optional(),
});
export type ImagePackage = z.infer<typeof ImagePackage>;

/** What the layer analyzers found in the final (whiteouts applied) filesystem. */
export const ImageContents = z.object({
  os: z.object({ id: z.string(), versionId: z.string().nullable(), prettyName: z.string().nullable() }).nullable(),
  packages: z.array(ImagePackage),
  users: z.array(z.object({ name: z.string(), uid: z.number().int(), gid: z.number().int(), shell: z.string() })),
  setuidFiles: z.array(z.object({ path: z.string(), mode: z.number().int() })),
  worldWritable: z.array(z.object({ path: z.string(), mode: z.number().int() })),
  /**
   * Secret matches: the rule that matched and a redacted hint, never the value. `layer` is the index of
   * the layer holding the file; `inFinalFilesystem: false` means a later layer deleted it (still extractable).
   */
  secrets: z.array(
    z.object({ path: z.string(), rule: z.string(), hint: z.string(), layer: z.number().int().optional(), inFinalFilesystem: z.boolean().optional() }),
  ),
  shells: z.array(z.string()),
  packageManagers: z.array(z.string()),
  fileCount: z.number().int(),
  uncompressedBytes: z.number(),
});
export type ImageContents = z.infer<typeof ImageContents>;

/** One known vulnerability of one package in the image (vulns/match.ts; registry scanners in vulns/native). */
export const ImageVulnerability = z.object({
  id: z.string(),
  aliases: z.array(z.string()),
  records: z.array(z.string()),
  package: z.object({
    name: z.string(),
    version: z.string(),
    ecosystem: z.string(),
    purl: z.string().nullable(),
    sourceName: z.string().nullable(),
    path: z.string().nullable(),
  }),
  fixedVersion: z.string().nullable(),
  fixAvailable: z.boolean(),
  layer: z.number().int().nullable(),
  layerDigest: z.string().nullable(),
  layerKind: z.enum(['base', 'application', 'unknown']),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'unknown']),
  severitySource: z.string(),
  cvss: z.array(z.object({ version: z.enum(['2.0', '3.0', '3.1', '4.0']), vector: z.string(), score: z.number() })),
  score: z.number().nullable(),
  published: z.string().nullable(),
  summary: z.string().nullable(),
  references: z.array(z.string()),
  detectedBy: z.array(z.string()),
  /** Set when a VEX statement or an exception says this image is not affected; the rule then passes it. */
  suppressed: z.object({ by: z.string(), reason: z.string() }).nullable().optional(),
});
export type ImageVulnerability = z.infer<typeof ImageVulnerability>;

/** A registry scanner's finding that posture's own matching did not make (vulns/native/findings.ts). */
export const NativeVulnerability = z.object({
  scanner: z.string(),
  id: z.string(),
  aliases: z.array(z.string()),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'unknown']),
  packageName: z.string().nullable(),
  packageVersion: z.string().nullable(),
  fixedVersion: z.string().nullable(),
  uri: z.string().nullable(),
});

/** Whether the image's packages were matched, against what, and what could not be judged. */
export const VulnerabilityScan = z.object({
  status: z.enum(['complete', 'partial', 'not-evaluated']),
  reason: z.string().nullable(),
  database: z.object({ file: z.string(), sources: z.array(z.object({ name: z.string(), fetchedAt: z.string(), records: z.number() })) }).nullable(),
  packages: z.number().int(),
  notEvaluated: z.array(z.object({ package: z.string(), reason: z.string() })),
});
export type VulnerabilityScan = z.infer<typeof VulnerabilityScan>;

/**
 * Who signed a signature, as verification established it: for key-based signatures (cosign), the configured
 * key; for certificate-based ones (notation), the signing certificate's subject and the trust-store
 * certificate its chain reached; for keyless cosign signatures (Sigstore certificates), the identity and OIDC
 * issuer the certificate authority vouched for.
 */
export const SupplyChainSigner = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('key'),
    /** The configured key (its name in posture.yaml) that verified the signature. */
    key: z.string(),
  }),
  z.object({
    kind: z.literal('x509'),
    /** The signing (leaf) certificate's subject DN, RFC 4514. */
    subject: z.string(),
    /** The trust-store certificate (its name in posture.yaml) that the signature's chain contains. */
    trustedCertificate: z.string(),
  }),
  z.object({
    kind: z.literal('keyless'),
    /** The signing certificate's subject alternative name (a workflow URI, an email address). */
    identity: z.string(),
    /** The OIDC issuer in the certificate's Fulcio extension. */
    issuer: z.string(),
  }),
]);
export type SupplyChainSigner = z.infer<typeof SupplyChainSigner>;

/** Why a signature did not verify: one code per cause, and a message naming the artifact. */
export const supplyChainProblemCodes = [
  'malformed', // not a well-formed bundle / envelope / simple-signing payload, or unreadable from the registry
  'too-large', // over the configured size budget
  'signature-invalid', // names a configured key, but the bytes do not verify under it: altered payload or signature
  'untrusted-key', // signed with a key no configured key matches (the legacy form cannot tell this from an alteration)
  'subject-mismatch', // the signed payload names another image digest
  'unsupported', // a signature scheme, key type or envelope posture does not verify
  'invalid-chain', // the signature's certificate chain is broken or its certificates are not fit to sign code
  'untrusted-certificate', // the certificate chain contains no certificate of the configured trust store (notation) or CA (keyless cosign)
  'untrusted-identity', // the signing certificate's subject (notation) or identity/OIDC issuer (keyless cosign) is none the policy allows
  'expired', // the signature's expiry has passed, or a certificate is outside its validity period (keyless: when the signature was logged)
  'tlog-missing', // the policy requires a transparency-log entry (or a verified timestamp) and the bundle has none
  'tlog-invalid', // the transparency-log entry does not verify against the configured log, or records another signature
] as const;
export const SupplyChainProblem = z.object({ code: z.enum(supplyChainProblemCodes), message: z.string() });
export type SupplyChainProblem = z.infer<typeof SupplyChainProblem>;

export const ImageSignature = z.object({
  /**
   * cosign v3's Sigstore bundle (an OCI 1.1 referrer), cosign's legacy simple-signing `.sig` form, or its legacy
   * DSSE `.att` form; a Notary Project (notation) signature referrer with a JWS or COSE envelope.
   */
  format: z.enum(['sigstore-bundle', 'cosign-simple-signing', 'cosign-dsse', 'notation-jws', 'notation-cose']),
  /** Where it was found: the OCI 1.1 referrers API, the referrers fallback tag `sha256-<hex>`, or cosign's `.sig`/`.att` tag. */
  foundBy: z.enum(['referrers-api', 'referrers-tag', 'cosign-tag']),
  /** Digest of the signature's own manifest in the registry. */
  artifact: z.string(),
  /** The digest the signature was found for: the image's own, or the index it was pulled through. */
  subject: z.string(),
  /** True only when the signature verified over this image's digest under a key or trust store the policy trusts. */
  verified: z.boolean(),
  signer: SupplyChainSigner.nullable(),
  /** Set when `verified` is false. */
  problem: SupplyChainProblem.nullable(),
});
export type ImageSignature = z.infer<typeof ImageSignature>;

/** A signed in-toto statement about the image (cosign attest): SLSA provenance, an SBOM, or another predicate. */
export const ImageAttestation = ImageSignature.extend({
  predicateType: z.string(),
  /** From an SLSA provenance predicate (v0.2 or v1), read only once the signature verified. */
  provenance: z
    .object({
      slsaVersion: z.enum(['0.2', '1']),
      builderId: z.string().nullable(),
      /** The git repositories the build names as its source (v1 workflow repository and git resolved dependencies, v0.2 config source and git materials), without refs. */
      sourceRepositories: z.array(z.string()),
    })
    .nullable(),
  sbom: z.object({ format: z.enum(['spdx', 'cyclonedx']) }).nullable(),
});
export type ImageAttestation = z.infer<typeof ImageAttestation>;

/** How signatures were looked for: the policy that applied (posture.yaml supplyChain.policies) and each path searched. */
export const SupplyChainStatus = z.object({
  policy: z.string(),
  /** The policy's provenance requirement (IMG-016); absent when it sets none, so the rule is not evaluated. */
  provenance: z.object({ builders: z.array(z.string()), sourceRepositories: z.array(z.string()) }).optional(),
  /** True when the policy requires an SBOM attestation (IMG-017); absent otherwise. */
  sbom: z.literal(true).optional(),
  /** Discovery paths that were tried, and what each found, or why it failed. */
  discovery: z.array(z.object({ via: z.string(), found: z.number().int(), error: z.string().nullable() })),
});
export type SupplyChainStatus = z.infer<typeof SupplyChainStatus>;

export const ImageAsset = z.object({
  ...base,
  kind: z.literal('image'),
  image: z.object({
    reference: ImageRef,
    digest: z.string(),
    mediaType: z.string(),
    platform: z.object({ os: z.string(), architecture: z.string(), variant: z.string().nullable() }),
    config: z.object({
      user: z.string(),
      env: z.array(z.object({ name: z.string(), value: z.string() })),
      exposedPorts: z.array(z.string()),
      healthcheck: z.array(z.string()).nullable(),
      labels: z.record(z.string(), z.string()),
      entrypoint: z.array(z.string()),
      cmd: z.array(z.string()),
      created: z.string().nullable(),
      history: z.array(z.object({ createdBy: z.string(), emptyLayer: z.boolean() })),
    }),
    layers: z.array(z.object({ digest: z.string(), size: z.number(), mediaType: z.string() })),
    /** Filled by the layer analyzers; `null` when the layers were not analyzed. */
    contents: ImageContents.nullable(),
    /** Why analysis stopped or skipped something; a non-empty list means partial coverage. */
    scanErrors: z.array(z.object({ code: z.string(), message: z.string() })),
    /** Matched against the vulnerability database; absent when no matching ran (IMG-003 not evaluated). */
    vulnerabilities: z.array(ImageVulnerability).optional(),
    vulnerabilityScan: VulnerabilityScan.optional(),
    /** Registry scanner findings (ECR basic, Inspector) that our matching did not make; absent without a registry scan. */
    nativeVulnerabilities: z.array(NativeVulnerability).optional(),
    /**
     * Signatures found for this digest and how each verified; absent when verification could not run
     * (no policy covers the image, or discovery failed: `collectionErrors` says why), so IMG-007 is then
     * "not evaluated" rather than a pass or a fail.
     */
    signatures: z.array(ImageSignature).optional(),
    /** Attestations found for this digest, verified like signatures; present exactly when `signatures` is. */
    attestations: z.array(ImageAttestation).optional(),
    supplyChain: SupplyChainStatus.optional(),
  }),
});

export const Asset = z.discriminatedUnion('kind', [
  ImageAsset,
  RegistryAsset,
  ClusterAsset,
  WorkloadAsset,
  ServiceAsset,
  NamespaceAsset,
  RbacBindingAsset,
]);
export type Asset = z.infer<typeof Asset>;
export type ImageAsset = z.infer<typeof ImageAsset>;
export type RegistryAsset = z.infer<typeof RegistryAsset>;
export type ImageStoreAsset = RegistryAsset & { registry: ImageStore };
export type EcrRegistryAsset = RegistryAsset & { registry: EcrRegistry };
export type ClusterAsset = z.infer<typeof ClusterAsset>;
export type KubernetesClusterAsset = ClusterAsset & { cluster: KubernetesCluster };
export type EcsClusterAsset = ClusterAsset & { cluster: EcsCluster };
export type WorkloadAsset = z.infer<typeof WorkloadAsset>;
export type ServiceAsset = z.infer<typeof ServiceAsset>;
export type NamespaceAsset = z.infer<typeof NamespaceAsset>;
export type RbacBindingAsset = z.infer<typeof RbacBindingAsset>;

/** Validates a collector's output; a collector bug surfaces here, named, rather than as a silent pass. */
export function parseAsset(candidate: unknown): Asset {
  const parsed = Asset.safeParse(candidate);
  if (!parsed.success) {
    const id = (candidate as { id?: unknown } | null)?.id;
    throw new Error(`asset ${typeof id === 'string' ? id : '(no id)'} does not match the asset schema: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
