// What the caller knows about a set of Kubernetes objects: which cluster they came from and how.
export interface KubernetesContext {
  /** Cluster name (kubeconfig context, EKS/AKS/GKE cluster name, or `manifests` for local files): the asset account. */
  cluster: string;
  collectedAt: string;
  /** Where the objects came from, unless `sourceOf` names the file of a particular object. */
  source?: string;
  sourceOf?: (object: unknown) => string | undefined;
  /** eks | aks | gke for a managed cluster; kubernetes (the default) for any other. */
  distribution?: 'eks' | 'aks' | 'gke' | 'kubernetes';
  /** The cloud region and jurisdiction of a managed cluster, when the collector knows them. */
  region?: string;
  jurisdiction?: string;
  /**
   * True for a full read of an API server: every namespace's ServiceAccounts, NetworkPolicies and RBAC objects
   * are in the input, so an absent one does not exist. False for manifests, where absence says nothing.
   */
  complete: boolean;
  /** Namespace of namespaced objects that name none (manifests): `default`, as `kubectl apply` would use. */
  defaultNamespace?: string;
  /** Receives objects that cannot be read; without it the first one throws. Either way the error names the object. */
  onInvalid?: (problem: { source: string; object: string; message: string }) => void;
}

/** The most objects one call normalizes: a cluster export far larger than this is split by the caller. */
export const maxObjects = 200_000;
