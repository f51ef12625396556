// The provider interface: everything posture needs to know about one source of assets (AWS, Azure, Google
// Cloud, Kubernetes), declared in one place and registered once (providers/registry.ts). The CLI and the
// Lambda sweep both run providers/orchestrate.ts over these declarations, so the two paths cannot drift.
//
// A declaration module (`providers/<id>/provider.ts`) is read at start-up by the config parser, the CDK
// stack and every Lambda, so it stays light: zod schemas, plain data and pure functions. What needs a
// cloud SDK sits behind lazy loaders, each in a module of a fixed name that bundles can split off:
//   `collector.ts`    scope discovery and collection (the SDK-heavy part; the worker's second bundle)
//   `pull.ts`         registry pull credentials (the image path)
//   `native-scan.ts`  the registry scanner's findings for a pulled image (the image path; optional)
// A declaration must not import core/ at run time (type imports are fine): core/config.ts and
// core/asset.ts read the registry, and test/providers/registry.test.ts checks that the registry stays a leaf.
import type { z } from 'zod';
import type { Asset, ImageAsset, NativeVulnerability } from '../core/asset.ts';
import type { CollectionError } from '../core/collection-errors.ts';
import type { CredentialProvider } from './oci/registry/credentials.ts';

/**
 * One unit of collection, with a key that stays the same from run to run: an AWS account × region, an
 * Azure subscription, a Google Cloud project, a Kubernetes cluster. Findings of assets that vanish from a
 * scope are resolved only when that scope's collection completed (see ScopeStatus).
 */
export interface Scope {
  provider: string;
  /** AWS account id, Azure subscription id, GCP project id; for a cluster, the cloud account it lives in ('' from a kubeconfig). */
  account: string;
  /** The cloud's region or location name; '' when the scope has none. */
  region: string;
  /** A scope inside the account and region, named by its provider (a cluster: `eks/prod`, `context/dev`). */
  target?: string;
}

/**
 * `aws/123456789012/eu-west-1`, `azure/<subscription>`, `gcp/<project>`, `kubernetes/123456789012/eu-west-1/eks/prod`,
 * `kubernetes/kubeconfig/context/dev`: provider and account, then the region and target when there are any.
 */
export function scopeKey(scope: Scope): string {
  return [scope.provider, scope.account, scope.region, scope.target ?? ''].filter((part, i) => i < 2 || part !== '').join('/');
}

/**
 * complete: every part of the scope was read, so an asset missing from it is gone;
 * partial:  some parts failed (their assets may be missing for that reason alone);
 * failed:   nothing could be read.
 */
export type ScopeStatus = 'complete' | 'partial' | 'failed';

export function scopeStatus(assets: number, errors: number, threw: boolean): ScopeStatus {
  if (threw) return 'failed';
  if (errors === 0) return 'complete';
  return assets > 0 ? 'partial' : 'failed';
}

/** An image a scope found (newest images of a repository, images configured for a registry), to be pulled and analyzed. */
export interface ImageTarget {
  /** The provider whose registry holds it; the image asset is reported under it. */
  provider: string;
  account: string;
  region: string;
  image: { registry: string; repository: string; digest: string | null; tag: string | null };
  /** Tags or labels the image inherits from its repository (residency and ownership rules read them). */
  tags?: Record<string, string>;
  /** Stream and analyze the layers (default true); false reads manifest and config only. */
  analyzeLayers?: boolean;
  /** Where a failed pull is reported (a collection-error scope such as `aws/<account>/<region>/ecr/repository/<name>/image/<digest>`). */
  scope: string;
  /** The registry API's own view of the image, kept on the asset's `raw` (e.g. ECR `imageDetail`). */
  raw?: Record<string, unknown>;
  /**
   * Set by a collector that knows a better way in than the registry host and the default credentials (the CLI's
   * assumed role and configured registry endpoint). Not serializable: a sweep's image jobs drop it.
   */
  pull?: { host: string; insecure: boolean; credentials?: CredentialProvider };
}

/** What one scope's collection produced. */
export interface ScopeResult {
  assets: Asset[];
  errors: CollectionError[];
  images: ImageTarget[];
}

export interface ScopeCollection extends ScopeResult {
  scope: Scope;
  key: string;
  status: ScopeStatus;
  /** Scopes found inside this one (the clusters of an AWS region), each collected by its own provider. */
  children: Scope[];
}

/** What the orchestration hands a provider's collector; `all*` let one provider reach another's clouds (EKS for Kubernetes). */
export interface CollectorContext<S = unknown, D = unknown, A = unknown> {
  settings: S;
  /** The deployment's scopes for this provider (Lambda); undefined from the CLI. */
  deployment: D | undefined;
  /** Credential and transport overrides (tests, other hosts); empty in production. */
  access: A;
  allSettings: Readonly<Record<string, unknown>>;
  allDeployments: Readonly<Record<string, unknown>> | undefined;
  allAccess: Readonly<Record<string, unknown>>;
  now: () => Date;
  signal?: AbortSignal;
}

export interface ScopeCollector {
  /** The scopes the settings name (the CLI): may call the cloud (an organization's accounts, enabled regions). */
  discover(): Promise<{ scopes: Scope[]; errors: CollectionError[] }>;
  /** Collects one scope; throws only when nothing in it could be read. */
  collect(scope: Scope): Promise<ScopeResult>;
  close?(): Promise<void>;
}

export interface CollectorModule<S, D, A> {
  createCollector(context: CollectorContext<S, D, A>): ScopeCollector;
}

/** Pull credentials for one registry host, built by a provider that recognises it. */
export interface PullCredentialRequest<S, A> {
  settings: S;
  access: A;
  /** The registry the image belongs to (names it, e.g. the ECR host). */
  registry: string;
  /** The host actually spoken to (the registry itself, a VPC endpoint or a loopback stand-in). */
  pulledFrom: string;
  insecureHosts: readonly string[];
}

export interface PullModule<S, A> {
  pullCredentials(request: PullCredentialRequest<S, A>): CredentialProvider;
}

/** A registry scanner's results for one pulled image. */
export interface NativeScanResult {
  scanner: string;
  /** Its findings, normalized (vulns/native/findings.ts); null when it reported nothing that shows it scanned the image. */
  findings: z.infer<typeof NativeVulnerability>[] | null;
  /** More findings than are kept. */
  truncated: boolean;
}

export interface NativeScanModule<S, A> {
  /** Whether the settings ask for it. */
  enabled(settings: S): boolean;
  read(request: { settings: S; access: A; image: ImageAsset; target: ImageTarget; signal?: AbortSignal }): Promise<NativeScanResult>;
}

/** An IAM statement the deployment's worker needs for this provider (rendered by infra/posture-stack.ts). */
export interface IamStatement {
  sid: string;
  actions: string[];
  resources: string[];
}

/** How events from this provider reach posture; parsing lives in functions/events/, routing in the handlers. */
export type EventSource =
  | {
      via: 'eventbridge';
      /** The trigger recorded on the jobs it produces (core/jobs.ts Trigger.source). */
      trigger: string;
      ruleId: string;
      description: string;
      /** The EventBridge pattern; `repositoryPrefixes` narrows push events to some repositories. */
      pattern(options: { repositoryPrefixes: readonly string[] }): Record<string, unknown>;
    }
  | { via: 'webhook'; trigger: string; method: 'POST'; path: string; description: string };

/** A command-line option (commander flags syntax) and what it does. */
export interface CliOption {
  flags: string;
  description: string;
}

export interface CliDeclaration<S> {
  options: CliOption[];
  /** Whether the parsed options ask for this provider. */
  wanted(flags: Readonly<Record<string, unknown>>): boolean;
  /** The posture.yaml section with the command line applied. */
  settings(flags: Readonly<Record<string, unknown>>, section: S): S;
}

/**
 * `S`, `D`, `A`: the settings, deployment and access types; `SS` and `DS` the exact schema types, so the
 * composed config and deployment schemas keep each section's input type (defaults make keys optional).
 */
export interface ProviderDeclaration<Id extends string = string, S = unknown, D = unknown, A = unknown, SS extends z.ZodType<S> = z.ZodType<S>, DS extends z.ZodType<D> = z.ZodType<D>> {
  id: Id;
  /** Human name used in messages ("AWS", "Kubernetes"). */
  title: string;
  /** Its posture.yaml section (`<id>:`), every key defaulted. */
  settings: SS;
  /** Its part of the deployment's scopes (CDK context `scopes.<id>`), defaulted to none. */
  deployment: DS;
  scopes: {
    /** The scopes a deployment sweeps. */
    fromDeployment(deployment: D): Scope[];
    /** Scopes this provider reads inside what another provider collected (clusters found by the cloud scopes). */
    discoveredIn?(assets: readonly Asset[], context: { settings: S; deployment: D | undefined }): Scope[];
    /** Scopes collected at once. */
    concurrency(settings: S): number;
  };
  collector(): Promise<CollectorModule<S, D, A>>;
  /** Registry hosts whose pull credentials this provider supplies. */
  registries?: {
    /** Short name of the registry service (ecr, acr, google). */
    kind: string;
    matches(host: string): boolean;
    load(): Promise<PullModule<S, A>>;
    /** The registry's own scanner, read for each image pulled from it (ACR: Defender for Containers). */
    nativeScan?(): Promise<NativeScanModule<S, A>>;
  };
  events: EventSource[];
  /** IAM statements the worker's role needs to collect this provider's scopes. */
  iam(deployment: D): IamStatement[];
  cli: CliDeclaration<S>;
}

/** `--flag` values: true for a bare flag, a list when values were given. */
export function listed(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}
