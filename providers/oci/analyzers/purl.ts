// Package URLs (the package-url spec) through packageurl-js, which applies each type's own normalization
// (e.g. PyPI names lower-cased with `_` as `-`, npm scopes percent-encoded).
import { PackageURL } from 'packageurl-js';

export function purl(type: string, namespace: string | undefined, name: string, version: string, qualifiers?: Record<string, string | undefined>): string {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(qualifiers ?? {})) if (v) q[k] = v;
  return new PackageURL(type, namespace || undefined, name, version, Object.keys(q).length ? q : undefined, undefined).toString();
}

/** Splits `a/b/c` into namespace `a/b` and name `c` (npm scopes, Go module paths). */
export function splitLast(full: string, separator: string): { namespace: string | undefined; name: string } {
  const i = full.lastIndexOf(separator);
  return i > 0 ? { namespace: full.slice(0, i), name: full.slice(i + separator.length) } : { namespace: undefined, name: full };
}
