// Rule data from posture.yaml carried into the exported policies, so a rule that reads configuration judges
// with the same values at admission: a Gatekeeper constraint gets them as spec.parameters (declared in its
// template's schema, read as input.parameters.<name>), a ValidatingAdmissionPolicy as an inline CEL list in
// variables.<name>. A translation names the posture.yaml path (dot-separated) and what of it to take.
import { z } from 'zod';

export const Parameter = z
  .object({
    name: z.string().regex(/^[a-z][A-Za-z0-9]*$/),
    /** Dot path in the parsed posture.yaml, e.g. image.trustedRegistries. */
    config: z.string().regex(/^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$/),
    /** A list of strings as it is, or the keys of a map (residency.allowed → its class names). */
    take: z.enum(['values', 'keys']).default('values'),
    /** In CEL: the strings, or each trusted-registry entry as a regular expression over `registry/repository`. */
    cel: z.enum(['list', 'registry-patterns']).default('list'),
  })
  .strict();
export type Parameter = z.infer<typeof Parameter>;

/** The parameter's strings out of the parsed configuration; throws naming the path when it is not a list or map of strings. */
export function parameterValues(p: Parameter, config: unknown): string[] {
  const value = p.config.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), config);
  const strings = p.take === 'keys' ? (value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : null) : Array.isArray(value) ? value : null;
  if (!strings || !strings.every((s) => typeof s === 'string')) throw new Error(`posture.yaml ${p.config}: expected ${p.take === 'keys' ? 'a map' : 'a list of strings'} for admission parameter ${p.name}`);
  return strings as string[];
}

/** The CEL list literal for a parameter's values. */
export function celList(p: Parameter, values: readonly string[]): string {
  const items = p.cel === 'registry-patterns' ? values.map(registryPattern) : values;
  return `[${items.map((v) => JSON.stringify(v)).join(', ')}]`;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * WKL-016's trusted-registry entry as an RE2 expression over the lower-cased `registry/repository` of an
 * image: a host or repository prefix matches everything under it; an entry with `*` and no `/` is a glob over
 * the host's dot-separated labels (`*` within a label, `**` across labels, `?` one character); an entry with
 * `*` and `/` a glob over the whole `registry/repository` by path segment. Glob classes, alternatives and
 * escapes (`[`, `{`, `\`) have no translation here and are refused.
 */
export function registryPattern(raw: string): string {
  const entry = raw.trim().toLowerCase().replace(/\/+$/, '');
  if (/[[\]{}\\]/.test(entry)) throw new Error(`image.trustedRegistries entry "${raw}": the CEL export translates only *, ** and ? in globs`);
  if (!entry.includes('*')) return `^${escape(entry)}/`;
  const glob = (separator: string) =>
    entry
      .split(/(\*\*|\*|\?)/)
      .map((part) => (part === '**' ? (separator === '.' ? '[^/]*' : '.*') : part === '*' ? `[^${separator === '.' ? './' : '/'}]*` : part === '?' ? `[^${separator === '.' ? './' : '/'}]` : escape(part)))
      .join('');
  return entry.includes('/') ? `^${glob('/')}$` : `^${glob('.')}/`;
}
