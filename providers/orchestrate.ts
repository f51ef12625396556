// The one orchestration the CLI and the Lambda sweep share, over the registered provider declarations:
//   discover scopes (CLI) or take them from the deployment (sweep)
//   → collect each scope with its provider's collector, bounded, each ending complete / partial / failed
//   → scopes found inside (clusters) become scopes of their own provider
//   → image targets are pulled here (CLI) or handed on as one job each (sweep; functions/runtime/provider-collectors.ts).
import pLimit from 'p-limit';
import type { Asset, ImageAsset } from '../core/asset.ts';
import type { CollectionError } from '../core/collection-errors.ts';
import { jurisdictionOf } from '../core/jurisdiction.ts';
import { log } from '../core/log.ts';
import { collectRegistryImage, type CollectOptions } from './oci/index.ts';
import { scopeKey, scopeStatus, type ImageTarget, type Scope, type ScopeCollection, type ScopeCollector } from './provider.ts';
import { RegistryAccess, registryProviderOf } from './registry-access.ts';
import { allProviders, providerById, type AccessMap, type AnyProvider, type DeploymentMap, type ProviderId, type SettingsMap } from './registry.ts';

export interface ImagePullOptions {
  /** Registry host → host actually spoken to (VPC endpoints, FIPS, loopback stand-ins). */
  endpoints?: Readonly<Record<string, string>>;
  /** Hosts spoken to over plain HTTP (loopback stand-ins only). */
  insecureHosts?: readonly string[];
  /** Hosts served like a provider's registry besides the ones it recognises (custom domains, stand-ins). */
  registryHosts?: Readonly<Record<string, ProviderId>>;
  /** Platform choice, caps, timeouts and retries for every pull. */
  options?: Omit<CollectOptions, 'insecureHosts' | 'credentialProviders' | 'source' | 'now' | 'signal'>;
}

export interface OrchestrationOptions {
  /** posture.yaml's provider sections (parsed or partial); a missing one takes its defaults. */
  settings?: SettingsMap;
  /** The deployment's scopes (the sweep); undefined from the CLI. */
  deployment?: DeploymentMap;
  /** Credential and transport overrides per provider (tests, other hosts); empty in production. */
  access?: AccessMap;
  images?: ImagePullOptions;
  now?: () => Date;
  signal?: AbortSignal;
}

export class UnknownProvider extends Error {
  override name = 'UnknownProvider';
}

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 600);

/** One run over the providers: collectors are made once (clients, assumed roles and tokens are reused) and closed at the end. */
export class Orchestration {
  private readonly collectors = new Map<string, Promise<ScopeCollector>>();
  private readonly parsedSettings = new Map<string, unknown>();
  readonly registries: RegistryAccess;
  readonly now: () => Date;

  constructor(private readonly options: OrchestrationOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.registries = new RegistryAccess({
      settingsOf: (id) => this.settingsOf(id),
      accessOf: (id) => this.accessOf(id),
      insecureHosts: options.images?.insecureHosts ?? [],
      registryHosts: options.images?.registryHosts ?? {},
    });
  }

  provider(id: string): AnyProvider {
    const provider = providerById(id);
    if (!provider) throw new UnknownProvider(`no provider "${id}" is registered (providers/registry.ts)`);
    return provider;
  }

  settingsOf(id: string): unknown {
    if (!this.parsedSettings.has(id)) {
      const section = (this.options.settings as Record<string, unknown> | undefined)?.[id] ?? {};
      this.parsedSettings.set(id, this.provider(id).settings.parse(section));
    }
    return this.parsedSettings.get(id);
  }

  private accessOf(id: string): unknown {
    return (this.options.access as Record<string, unknown> | undefined)?.[id] ?? {};
  }

  private deploymentOf(id: string): unknown {
    return (this.options.deployment as Record<string, unknown> | undefined)?.[id];
  }

  collector(id: string): Promise<ScopeCollector> {
    let made = this.collectors.get(id);
    if (!made) {
      const provider = this.provider(id);
      made = provider.collector().then((module) =>
        module.createCollector({
          settings: this.settingsOf(id),
          deployment: this.deploymentOf(id),
          access: this.accessOf(id),
          allSettings: new Proxy({}, { get: (_, key) => (typeof key === 'string' && providerById(key) ? this.settingsOf(key) : undefined) }),
          allDeployments: this.options.deployment as Record<string, unknown> | undefined,
          allAccess: (this.options.access ?? {}) as Record<string, unknown>,
          now: this.now,
          ...(this.options.signal ? { signal: this.options.signal } : {}),
        }),
      );
      made.catch(() => this.collectors.delete(id));
      this.collectors.set(id, made);
    }
    return made;
  }

  /** The scopes the settings name (the CLI). Throws when the provider cannot even start (no identity, nothing configured). */
  async discover(id: string): Promise<{ scopes: Scope[]; errors: CollectionError[] }> {
    return (await this.collector(id)).discover();
  }

  /** One scope, with its completion. Throws only when the collector cannot be loaded or its identity is unreadable. */
  async collectScope(scope: Scope): Promise<ScopeCollection> {
    const collector = await this.collector(scope.provider);
    const result = await collector.collect(scope);
    const children: Scope[] = [];
    for (const provider of allProviders()) {
      if (!provider.scopes.discoveredIn) continue;
      children.push(...provider.scopes.discoveredIn(result.assets, { settings: this.settingsOf(provider.id), deployment: this.deploymentOf(provider.id) }));
    }
    return { ...result, scope, key: scopeKey(scope), status: scopeStatus(result.assets.length, result.errors.length, false), children };
  }

  /** A scope that threw, as a failed collection (the CLI reports it and goes on; the sweep retries the job instead). */
  failedScope(scope: Scope, err: unknown): ScopeCollection {
    const key = scopeKey(scope);
    return { scope, key, status: scopeStatus(0, 1, true), assets: [], errors: [{ scope: key, message: describe(err) }], images: [], children: [] };
  }

  /**
   * Pulls and analyzes one image target, reported under its registry (not the endpoint it came through) and its
   * cloud's location. `signal` stops this pull alone (a worker's invocation deadline); the run's stops every pull.
   */
  async pullImage(target: ImageTarget, source?: string, signal?: AbortSignal): Promise<ImageAsset[]> {
    const pulledFrom = target.pull?.host ?? this.options.images?.endpoints?.[target.image.registry] ?? target.image.registry;
    const credentials = target.pull?.credentials ?? (await this.registries.providerFor(target.image.registry, pulledFrom));
    const pin = target.image.digest ? `@${target.image.digest}` : `:${target.image.tag}`;
    const insecureHosts = [...(this.options.images?.insecureHosts ?? []), ...(target.pull?.insecure ? [pulledFrom] : [])];
    const pullOptions = this.options.images?.options;
    const assets = await collectRegistryImage(`oci://${pulledFrom}/${target.image.repository}${pin}`, {
      ...pullOptions,
      // Signature policies name the registry, not the endpoint the image was pulled through.
      ...(pullOptions?.supplyChain ? { supplyChain: { ...pullOptions.supplyChain, registry: target.image.registry } } : {}),
      ...(target.analyzeLayers !== undefined ? { analyzeLayers: target.analyzeLayers } : {}),
      credentialProviders: credentials ? [credentials] : [],
      insecureHosts,
      source: source ?? `${target.provider}://${target.account}${target.region ? `/${target.region}` : ''}/${target.image.registry}/${target.image.repository}${pin}`,
      now: this.now(),
      ...(signal || this.options.signal ? { signal: signal && this.options.signal ? AbortSignal.any([signal, this.options.signal]) : (signal ?? this.options.signal)! } : {}),
    });
    return Promise.all(assets.map((asset) => this.withNativeScan(placeImage(asset, target, pulledFrom), target)));
  }

  /**
   * The registry scanner's findings for the image, when the provider of its registry reads them: kept as
   * `image.nativeVulnerabilities` (matching folds in those it also made; REG-002 judges the rest). A scanner that
   * cannot be read leaves them absent (REG-002 not evaluated) with the reason in `raw.nativeScan`.
   */
  private async withNativeScan(asset: ImageAsset, target: ImageTarget): Promise<ImageAsset> {
    const provider = registryProviderOf(target.image.registry, this.options.images?.registryHosts);
    const load = provider?.registries?.nativeScan;
    if (!provider || !load) return asset;
    const settings = this.settingsOf(provider.id);
    let scanner = provider.registries?.kind ?? provider.id;
    try {
      const module = await load();
      if (!module.enabled(settings)) return asset;
      const result = await module.read({ settings, access: this.accessOf(provider.id), image: asset, target, ...(this.options.signal ? { signal: this.options.signal } : {}) });
      scanner = result.scanner;
      const nativeScan = { scanner, status: result.findings ? 'reported' : 'no-report', findings: result.findings?.length ?? 0, truncated: result.truncated };
      return { ...asset, raw: { ...asset.raw, nativeScan }, image: { ...asset.image, ...(result.findings ? { nativeVulnerabilities: result.findings } : {}) } };
    } catch (err) {
      log.warn({ image: asset.id, err: describe(err) }, 'registry scanner findings unreadable');
      return { ...asset, raw: { ...asset.raw, nativeScan: { scanner, status: 'unreadable', error: describe(err) } } };
    }
  }

  async close(): Promise<void> {
    const made = [...this.collectors.values()];
    this.collectors.clear();
    await Promise.all(made.map(async (c) => (await c.catch(() => undefined))?.close?.()));
  }
}

/**
 * The registry API says nothing about where an image lives; the scope or event that found it does. The image
 * is named by its registry, not by the endpoint it was pulled through, so an ECR image read over a VPC
 * endpoint or a stand-in keeps the same id and findings.
 */
export function placeImage(asset: ImageAsset, target: ImageTarget, pulledFrom: string): ImageAsset {
  const logical = target.image.registry;
  const renamed = pulledFrom !== logical && asset.id.startsWith(`oci://${pulledFrom}/`);
  const account = target.account || (asset.account === pulledFrom ? logical : asset.account);
  const region = target.region || asset.region;
  const provider = (providerById(target.provider)?.id ?? asset.provider) as ImageAsset['provider'];
  return {
    ...asset,
    ...(renamed ? { id: `oci://${logical}/${asset.id.slice(`oci://${pulledFrom}/`.length)}` } : {}),
    provider,
    account,
    region,
    jurisdiction: region ? jurisdictionOf(provider, region) : asset.jurisdiction,
    tags: { ...target.tags, ...asset.tags },
    raw: { ...asset.raw, ...target.raw },
    image: { ...asset.image, reference: { ...asset.image.reference, registry: logical, tag: asset.image.reference.tag ?? target.image.tag } },
  };
}

export interface ProviderRun {
  assets: Asset[];
  errors: CollectionError[];
  /** Every scope's collection (assets, errors, images) and its completion. */
  scopes: ScopeCollection[];
  /** Providers that could not start at all (no identity, nothing configured), with the reason. */
  failures: { provider: ProviderId; error: Error }[];
}

/**
 * What the CLI runs for each provider asked for: discover its scopes, collect them (bounded), follow the
 * scopes found inside them when their provider is asked for too, and pull every image target found.
 */
export async function collectProviders(ids: readonly ProviderId[], options: OrchestrationOptions = {}): Promise<ProviderRun> {
  const run = new Orchestration(options);
  const assets = new Map<string, Asset>();
  const errors: CollectionError[] = [];
  const scopes: ScopeCollection[] = [];
  const limits = new Map<string, ReturnType<typeof pLimit>>();
  const limitFor = (id: string) => {
    let limit = limits.get(id);
    if (!limit) {
      const provider = run.provider(id);
      limit = pLimit(Math.max(1, provider.scopes.concurrency(run.settingsOf(id))));
      limits.set(id, limit);
    }
    return limit;
  };
  const asked = new Set<string>(ids);
  const failures: ProviderRun['failures'] = [];
  const seen = new Set<string>();

  const collect = async (scope: Scope): Promise<void> => {
    const key = scopeKey(scope);
    if (seen.has(key)) return;
    seen.add(key);
    const collection = await limitFor(scope.provider)(async () => {
      try {
        return await run.collectScope(scope);
      } catch (err) {
        log.warn({ scope: key, error: describe(err) }, 'scope collection failed');
        return run.failedScope(scope, err);
      }
    });
    const pulled = await Promise.all(
      collection.images.map((target) =>
        limitFor(target.provider)(async () => {
          try {
            return await run.pullImage(target);
          } catch (err) {
            collection.errors.push({ scope: target.scope, message: describe(err) });
            return [];
          }
        }),
      ),
    );
    for (const image of pulled.flat()) collection.assets.push(image);
    // An image that could not be pulled leaves the scope partial: its asset is missing for that reason alone.
    collection.status = collection.status === 'complete' && collection.errors.length > 0 ? 'partial' : collection.status;
    scopes.push(collection);
    for (const asset of collection.assets) assets.set(asset.id, asset);
    errors.push(...collection.errors);
    await Promise.all(collection.children.filter((child) => asked.has(child.provider)).map(collect));
  };

  try {
    await Promise.all(
      ids.map(async (id) => {
        let found: Awaited<ReturnType<Orchestration['discover']>>;
        try {
          found = await run.discover(id);
        } catch (err) {
          failures.push({ provider: id, error: err instanceof Error ? err : new Error(String(err)) });
          return;
        }
        errors.push(...found.errors);
        await Promise.all(found.scopes.map(collect));
      }),
    );
  } finally {
    await run.close();
  }
  return {
    assets: [...assets.values()].sort((a, b) => a.id.localeCompare(b.id)),
    errors: errors.sort((a, b) => a.scope.localeCompare(b.scope) || a.message.localeCompare(b.message)),
    scopes: scopes.sort((a, b) => a.key.localeCompare(b.key)),
    failures,
  };
}

/** One provider, everything its settings name (`collectAws`, … and tests); throws when the provider cannot start. */
export async function collectProvider(id: ProviderId, options: OrchestrationOptions = {}): Promise<ProviderRun> {
  const run = await collectProviders([id], options);
  const failure = run.failures[0];
  if (failure) throw failure.error;
  return run;
}
