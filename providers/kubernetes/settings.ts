// The `kubernetes:` section of posture.yaml: what the rules read (`minVersion`, `systemNamespaces`), and
// how posture reads clusters through the Kubernetes API. Credentials never appear here: a kubeconfig context
// (its certificates, tokens or exec plugin), or the cloud identity for EKS, AKS and GKE.
import { z } from 'zod';

const MiB = 1024 * 1024;

/** Caps on what one cluster may make posture read: an API server (or a proxy in front of it) is input like any other. */
export const KubernetesLimits = z
  .object({
    /** Objects asked for per page (`limit`); the API server pages with `continue`. */
    pageSize: z.number().int().min(1).max(5000).default(500),
    /** Most objects of one kind read per cluster; more is reported as truncated. */
    objectsPerKind: z.number().int().min(1).max(1_000_000).default(20_000),
    /** Largest response body accepted (bytes). */
    maxResponseBytes: z.number().int().min(1024).max(512 * MiB).default(64 * MiB),
    /** Most bytes read from one cluster in all (bytes). */
    maxClusterBytes: z.number().int().min(1024).max(8192 * MiB).default(512 * MiB),
    /** Most namespaces listed one by one when a kind cannot be listed cluster-wide. */
    maxNamespaces: z.number().int().min(1).max(100_000).default(2_000),
    /** Waiting for response headers, and for the next chunk of a body (ms). */
    requestTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  })
  .strict();
export type KubernetesLimits = z.infer<typeof KubernetesLimits>;

export const KubernetesSettings = z
  .object({
    /** Oldest minor version still accepted (EKS/AKS/GKE version rules). */
    minVersion: z.string().regex(/^\d+\.\d+$/).default('1.31'),
    /** Namespaces of the platform itself: NS-001 and NS-002 are not applicable there (with the reason), admission leaves them alone. */
    systemNamespaces: z.array(z.string().min(1)).default(['kube-system', 'kube-public', 'kube-node-lease']),
    /** kubeconfig file for `posture scan --kubernetes`; default $KUBECONFIG, else ~/.kube/config. */
    kubeconfig: z.string().min(1).optional(),
    /** kubeconfig contexts to read; empty means the current context. */
    contexts: z.array(z.string().min(1)).default([]),
    /** Read the EKS, AKS and GKE clusters the cloud scopes find (the sweep; `--aws --kubernetes` on the CLI). */
    discovered: z.boolean().default(false),
    /**
     * Secrets are listed as names and types only, never values (see docs/kubernetes.md). RBAC cannot grant
     * "list without values", so the shipped ClusterRole leaves Secrets out; `names` needs the extra role.
     */
    secrets: z.enum(['off', 'names']).default('off'),
    /** Images the cluster's pods run handed on to be pulled and analyzed, running ones first; 0 reads none. */
    imagesPerCluster: z.number().int().min(0).max(10_000).default(20),
    limits: KubernetesLimits.prefault({}),
  })
  .strict();
export type KubernetesSettings = z.infer<typeof KubernetesSettings>;
