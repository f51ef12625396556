// Where a rule applies and whether its inputs are there: the facts an outcome is decided from.
// Written against the asset document generically (kind, provider and the facet fields below), so an
// asset kind added later (namespace, rbac-binding, …) is handled without this file knowing it.
import type { Asset } from './asset.ts';
import type { CatalogRule, Requirement, Selector } from '../policies/catalog.ts';

/** The facets selectors match on; a facet the asset does not have is undefined. */
export interface Facets {
  kind: string;
  provider: string;
  distribution?: string;
  service?: string;
  platform?: string;
}

function field(asset: Asset, part: string, key: string): string | undefined {
  const section = (asset as unknown as Record<string, unknown>)[part];
  if (section === null || typeof section !== 'object') return undefined;
  const value = (section as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

function kubernetesWorkloadDistribution(asset: Asset): string | undefined {
  if (asset.kind !== 'workload') return undefined;
  return asset.workload?.kubernetes?.distribution;
}

export function facetsOf(asset: Asset): Facets {
  const facets: Facets = { kind: asset.kind, provider: asset.provider };
  // Kubernetes objects carry the distribution of the cluster they were read from.
  const distribution =
    field(asset, 'cluster', 'distribution') ??
    field(asset, 'namespace', 'distribution') ??
    field(asset, 'rbacBinding', 'distribution') ??
    kubernetesWorkloadDistribution(asset);
  const service = field(asset, 'registry', 'service');
  const platform = field(asset, 'workload', 'platform');
  if (distribution !== undefined) facets.distribution = distribution;
  if (service !== undefined) facets.service = service;
  if (platform !== undefined) facets.platform = platform;
  return facets;
}

/** Every key the selector lists must match; an asset without that facet does not match. */
export function selectorMatches(selector: Selector, facets: Facets): boolean {
  for (const [key, allowed] of Object.entries(selector) as [keyof Facets, readonly string[] | undefined][]) {
    if (allowed === undefined) continue;
    const value = facets[key];
    if (value === undefined || !allowed.includes(value)) return false;
  }
  return true;
}

/** The input a requirement names, and the selector that narrows it (undefined: every asset the rule judges). */
export function requirementParts(r: Requirement): { input: string; where?: Omit<Selector, 'kind'> } {
  if (typeof r === 'string') return { input: r };
  const { input, ...where } = r;
  return { input, where };
}

/** The rule judges this kind of asset and every `applies` key matches. */
export function ruleApplies(rule: Pick<CatalogRule, 'kind' | 'applies'>, facets: Facets): boolean {
  return (rule.kind as readonly string[]).includes(facets.kind) && (!rule.applies || selectorMatches(rule.applies, facets));
}

/** A key for assets that the same rules apply to (used to share one applicable-rule list between them). */
export const facetKey = (f: Facets) => `${f.kind}|${f.provider}|${f.distribution ?? ''}|${f.service ?? ''}|${f.platform ?? ''}`;

/**
 * Whether a required input is on the asset. Arrays are walked element by element and every element must
 * have it (an empty array has nothing missing). Under `raw` (the provider's answer) a key that is absent
 * was not collected and `null` means collected and empty; in normalized fields `null` means unknown,
 * so it counts as missing too.
 */
export function inputPresent(asset: Asset, dotPath: string): boolean {
  const parts = partsOf(dotPath);
  return present(asset, parts, 0, parts[0] === 'raw');
}

function present(value: unknown, parts: readonly string[], i: number, nullIsPresent: boolean): boolean {
  if (Array.isArray(value)) {
    for (const v of value) if (!present(v, parts, i, nullIsPresent)) return false;
    return true;
  }
  if (i === parts.length) return value !== undefined && (value !== null || nullIsPresent);
  if (value === null) return nullIsPresent && i > 1;
  if (typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  const key = parts[i] as string;
  return Object.hasOwn(record, key) && present(record[key], parts, i + 1, nullIsPresent);
}

/** Required paths split once: the catalog names a few hundred, and every asset checks each of its rules' paths. */
const splitPaths = new Map<string, readonly string[]>();
function partsOf(dotPath: string): readonly string[] {
  let parts = splitPaths.get(dotPath);
  if (!parts) {
    if (splitPaths.size >= 4096) splitPaths.clear();
    splitPaths.set(dotPath, (parts = dotPath.split('.')));
  }
  return parts;
}

/**
 * Whether a normalizer produced a value at the path in this asset: at least one concrete (non-null)
 * leaf. This is the build gate's test: an empty list or an always-null field proves nothing.
 */
export function inputProduced(value: unknown, parts: readonly string[], i = 0): boolean {
  if (Array.isArray(value)) return value.some((v) => inputProduced(v, parts, i));
  if (i === parts.length) return value !== undefined && value !== null;
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  const key = parts[i] as string;
  return Object.hasOwn(record, key) && inputProduced(record[key], parts, i + 1);
}

/** Whether the path exists at all (null included): what a static `input.a.b` read needs. */
export function pathDeclared(value: unknown, parts: readonly string[], i = 0): boolean {
  if (i === parts.length) return value !== undefined;
  if (Array.isArray(value)) return value.some((v) => pathDeclared(v, parts, i));
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  const key = parts[i] as string;
  return Object.hasOwn(record, key) && pathDeclared(record[key], parts, i + 1);
}
