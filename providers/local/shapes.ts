// The JSON inputs `posture scan <file>` accepts, recognised by shape. Each entry says what it
// is, how it is produced, how to recognise it and how to turn it into assets; a new input
// format is one entry here.
import type { Asset } from '../../core/asset.ts';
import { normalizeEcrRepository } from '../aws/normalize/ecr-repository.ts';
import { normalizeEcsCluster } from '../aws/normalize/ecs-cluster.ts';
import { normalizeService } from '../aws/normalize/ecs-service.ts';
import { normalizeTaskDefinition } from '../aws/normalize/ecs-task-definition.ts';
import { normalizeEksCluster } from '../aws/normalize/eks-cluster.ts';
import { normalizeAksCluster } from '../azure/normalize-aks.ts';
import { normalizeGkeCluster } from '../gcp/normalize-gke.ts';
import { isKubernetesDocument, kubernetesObjectsOf } from './kubernetes-inputs.ts';

export interface ShapeContext {
  collectedAt: string;
  source: string;
}

interface ShapeBase {
  name: string;
  producedBy: string;
  matches(doc: unknown): boolean;
}

/** An input that turns into assets on its own. */
export interface AssetShape extends ShapeBase {
  toAssets(doc: unknown, ctx: ShapeContext): Asset[];
}

/** Kubernetes objects: pooled across every input and normalized together (namespaces meet their policies, bindings their roles). */
export interface KubernetesShape extends ShapeBase {
  kubernetesObjects(doc: unknown): unknown[];
}

export type InputShape = AssetShape | KubernetesShape;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arrayOf = (v: unknown, key: string): Json[] | null =>
  isObject(v) && Array.isArray(v[key]) ? (v[key] as unknown[]).filter(isObject) : null;
const startsWith = (v: unknown, prefix: string) => typeof v === 'string' && v.startsWith(prefix);
/** One document, or a list of them (e.g. `az aks list`, `gcloud … list`). */
const each = (doc: unknown): Json[] => (Array.isArray(doc) ? doc.filter(isObject) : isObject(doc) ? [doc] : []);

const isAks = (d: Json) =>
  typeof d.id === 'string' && /\/providers\/Microsoft\.ContainerService\/managedClusters\//i.test(d.id);
const isGke = (d: Json) =>
  typeof d.name === 'string' &&
  (/container\.googleapis\.com\//.test(String(d.selfLink ?? '')) || ('currentMasterVersion' in d && 'nodePools' in d));

export const shapes: InputShape[] = [
  {
    name: 'ECS task definition',
    producedBy: 'aws ecs describe-task-definition --include TAGS',
    matches: (doc) => isObject(doc) && isObject(doc.taskDefinition) && Array.isArray(doc.taskDefinition.containerDefinitions),
    toAssets: (doc, ctx) => {
      const d = doc as Json;
      return [normalizeTaskDefinition({ taskDefinition: d.taskDefinition, ...(d.tags !== undefined ? { tags: d.tags } : {}) }, ctx)];
    },
  },
  {
    name: 'ECS services',
    producedBy: 'aws ecs describe-services --include TAGS',
    matches: (doc) => (arrayOf(doc, 'services') ?? []).some((s) => startsWith(s.serviceArn, 'arn:')),
    toAssets: (doc, ctx) => (arrayOf(doc, 'services') ?? []).map((service) => normalizeService({ service }, ctx)),
  },
  {
    name: 'ECS clusters',
    producedBy: 'aws ecs describe-clusters --clusters … --include SETTINGS CONFIGURATIONS TAGS',
    matches: (doc) => (arrayOf(doc, 'clusters') ?? []).some((c) => startsWith(c.clusterArn, 'arn:')),
    // What the export was asked to include is not in it: present members are read, absent ones are not judged.
    toAssets: (doc, ctx) => (arrayOf(doc, 'clusters') ?? []).map((cluster) => normalizeEcsCluster({ cluster }, ctx)),
  },
  {
    name: 'EKS cluster',
    producedBy: 'aws eks describe-cluster',
    matches: (doc) => isObject(doc) && isObject(doc.cluster) && startsWith(doc.cluster.arn, 'arn:') && 'resourcesVpcConfig' in doc.cluster,
    toAssets: (doc, ctx) => {
      const d = doc as Json;
      const extra = {
        ...(Array.isArray(d.nodegroups) ? { nodegroups: d.nodegroups as unknown[] } : {}),
        ...(Array.isArray(d.addons) ? { addons: d.addons as unknown[] } : {}),
        ...(Array.isArray(d.subnets) ? { subnets: d.subnets as unknown[] } : {}),
        ...(Array.isArray(d.oidcProviders) ? { oidcProviders: d.oidcProviders as unknown[] } : {}),
        ...(Array.isArray(d.podIdentityAssociations) ? { podIdentityAssociations: d.podIdentityAssociations as unknown[] } : {}),
      };
      return [normalizeEksCluster({ cluster: d.cluster, ...extra }, ctx)];
    },
  },
  {
    name: 'ECR repositories',
    producedBy: 'aws ecr describe-repositories',
    matches: (doc) => (arrayOf(doc, 'repositories') ?? []).some((r) => startsWith(r.repositoryArn, 'arn:')),
    toAssets: (doc, ctx) => (arrayOf(doc, 'repositories') ?? []).map((repository) => normalizeEcrRepository({ repository }, ctx)),
  },
  {
    name: 'AKS managed cluster',
    producedBy: 'az aks show / az aks list, or the ARM REST JSON of Microsoft.ContainerService/managedClusters',
    matches: (doc) => each(doc).length > 0 && each(doc).every(isAks),
    toAssets: (doc, ctx) => each(doc).map((resource) => normalizeAksCluster({ resource }, ctx)),
  },
  {
    name: 'GKE cluster',
    producedBy: 'gcloud container clusters describe --format=json (or list)',
    matches: (doc) => each(doc).length > 0 && each(doc).every(isGke),
    toAssets: (doc, ctx) => each(doc).map((cluster) => normalizeGkeCluster({ cluster }, ctx)),
  },
  {
    name: 'Kubernetes objects',
    producedBy: 'kubectl get -o json|yaml, manifests (multi-document YAML), kustomize build or helm template output, a Helm chart directory',
    matches: isKubernetesDocument,
    kubernetesObjects: kubernetesObjectsOf,
  },
];

// OSV vulnerability records are data for `posture db update --source <dir>`, not assets: a directory
// holding them (the demo's samples/osv) is scanned without calling them unreadable.
shapes.push({
  name: 'OSV vulnerability record (read by posture db update, yields no asset)',
  producedBy: 'the OSV archives, GitHub advisories, the Go vulnerability database',
  matches: (doc) => isObject(doc) && typeof doc.id === 'string' && typeof doc.modified === 'string' && (Array.isArray(doc.affected) || typeof doc.withdrawn === 'string'),
  toAssets: () => [],
});

export function describeAcceptedShapes(): string {
  return [...shapes.map((s) => `${s.name} (${s.producedBy})`), 'OCI image layout directory', 'docker save / OCI image tarball'].join('; ');
}

export const isKubernetesShape = (shape: InputShape): shape is KubernetesShape => 'kubernetesObjects' in shape;
