// The rule catalog: METADATA annotations read by `opa inspect -a`, validated, keyed by rule package.
import { z } from 'zod';
import { AssetKind, Provider } from '../core/asset.ts';

export const Severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof Severity>;
export const severityRank: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export const frameworkIds = [
  'cis-docker-1.6',
  'cis-eks-1.8',
  'cis-aks-1.8',
  'cis-gke-1.9',
  'cis-k8s-1.12',
  'k8s-pss',
  'nsa-cisa-k8s-1.2',
  'aws-fsbp',
  'nist-800-53-r5',
  'pci-dss-4.0',
  'disa-k8s-stig',
  'owasp-docker-top10',
  'nist-800-190',
  'hipaa',
  'sox-itgc',
  'gdpr',
] as const;
export const FrameworkId = z.enum(frameworkIds);

export const RuleId = z.string().regex(/^[A-Z]+-\d{3}$/, 'a rule id looks like EKS-001');

/**
 * Where a rule (or a framework's controls) applies beyond the asset kind: every listed key must match
 * the asset. An asset that lacks the facet (an image has no `distribution`) does not match a selector
 * that names it.
 */
export const Selector = z
  .object({
    kind: z.array(AssetKind).min(1).optional(),
    provider: z.array(Provider).min(1).optional(),
    /** clusters */
    distribution: z.array(z.enum(['eks', 'aks', 'gke', 'ecs', 'kubernetes'])).min(1).optional(),
    /** registries */
    service: z.array(z.enum(['ecr', 'ecr-registry', 'acr', 'artifact-registry'])).min(1).optional(),
    /** workloads */
    platform: z.array(z.enum(['ecs', 'kubernetes'])).min(1).optional(),
  })
  .strict();
export type Selector = z.infer<typeof Selector>;

/**
 * An earlier id of a rule. Plain (`EKS-001`): it applies wherever the rule does. Scoped
 * (`{id: AKS-001, distribution: [aks]}`): the earlier rule judged only those assets, so only there do its
 * records, exceptions and modes carry over (an exception written for AKS-001 never covers an EKS cluster).
 */
export const Alias = z.union([RuleId, Selector.omit({ kind: true }).extend({ id: RuleId }).strict()]);

/** A normalized input a rule reads: a dot path from the asset root, array elements implied. */
export const InputPath = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/, 'a dot path such as cluster.nodePools.publicIp');

/**
 * A normalized input a rule requires: everywhere the rule applies (`registry.scanOnPush`), or only on the
 * assets a selector matches (`{input: raw.policyText, service: [ecr]}`), for a rule that judges several
 * clouds and reads each one's own input.
 */
export const Requirement = z.union([InputPath, Selector.omit({ kind: true }).extend({ input: InputPath }).strict()]);
export type Requirement = z.infer<typeof Requirement>;

/** The METADATA `custom` fields every rule has, as written and as kept in the catalog. */
const ruleFields = {
  id: RuleId,
  severity: Severity,
  kind: z.array(AssetKind).min(1),
  /** Narrows where the rule applies (provider, distribution, service, platform); absent = every asset of `kind`. */
  applies: Selector.omit({ kind: true }).optional(),
  /** Normalized inputs the rule reads; when one is absent on an asset, the (rule, asset) pair is "not evaluated". */
  requires: z.array(Requirement).default([]),
  /** An input's collector does not exist yet: the rule runs and reports, but is left out of scores. */
  preview: z.boolean().default(false),
  frameworks: z.partialRecord(FrameworkId, z.array(z.string().min(1)).min(1)),
  /** Framework ids whose mapping for this rule was not read in a primary source. */
  unverified: z.array(FrameworkId).default([]),
  remediation: z.string().min(1),
};

/** METADATA `custom` as written in a rule file; aliases become ids plus the scopes of the scoped ones. */
const RuleCustom = z
  .object({
    ...ruleFields,
    /** Earlier ids of this rule: findings, tickets, exceptions and history recorded under them carry over. */
    aliases: z.array(Alias).default([]),
  })
  .superRefine((rule, ctx) => {
    const ids = rule.aliases.map((a) => (typeof a === 'string' ? a : a.id));
    if (ids.includes(rule.id)) ctx.addIssue({ code: 'custom', path: ['aliases'], message: `${rule.id} lists itself as an alias` });
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['aliases'], message: `${rule.id} lists an alias twice` });
  })
  .transform(({ aliases, ...rule }) => ({
    ...rule,
    aliases: aliases.map((a) => (typeof a === 'string' ? a : a.id)),
    aliasScopes: Object.fromEntries(aliases.flatMap((a) => (typeof a === 'string' ? [] : [[a.id, (({ id: _id, ...selector }) => selector)(a)] as const]))),
  }));

export const CatalogRule = z.object({
  ...ruleFields,
  /** Earlier ids of this rule (METADATA `aliases`). */
  aliases: z.array(RuleId).default([]),
  /** Alias id → the assets it judged, for scoped aliases; an alias not listed applies wherever the rule does. */
  aliasScopes: z.record(RuleId, Selector.omit({ kind: true })).default({}),
  /** Package leaf under data.posture.rules, e.g. `eks_001`; the key findings carry. */
  package: z.string(),
  title: z.string().min(1),
  description: z.string().min(1),
  file: z.string(),
  /**
   * Framework id → the assets its controls speak about (from the framework file's `assets`), for the
   * frameworks this rule maps to that are limited that way: a CIS EKS control is not evidenced by a GKE cluster.
   */
  scopes: z.partialRecord(FrameworkId, z.array(Selector).min(1)).default({}),
});
export type CatalogRule = z.infer<typeof CatalogRule>;
export const Catalog = z.array(CatalogRule);
export type Catalog = z.infer<typeof Catalog>;

const InspectOutput = z.object({
  annotations: z
    .array(
      z.object({
        annotations: z.object({
          scope: z.string(),
          title: z.string().optional(),
          description: z.string().optional(),
          custom: z.unknown().optional(),
        }),
        location: z.object({ file: z.string() }),
        path: z.array(z.object({ type: z.string(), value: z.unknown() })),
      }),
    )
    .default([]),
});

/** Turns `opa inspect -a -f json` output into the catalog; a rule with broken metadata fails the build, named. */
export function catalogFromInspect(json: unknown): Catalog {
  const inspect = InspectOutput.parse(json);
  const rules: CatalogRule[] = [];
  for (const entry of inspect.annotations) {
    const ref = entry.path.map((p) => String(p.value));
    if (entry.annotations.scope !== 'package' || ref[1] !== 'posture' || ref[2] !== 'rules') continue;
    const pkg = ref.slice(3).join('.');
    const custom = RuleCustom.safeParse(entry.annotations.custom);
    if (!custom.success) {
      throw new Error(`rule ${pkg} (${entry.location.file}) has invalid METADATA custom: ${z.prettifyError(custom.error)}`);
    }
    const expectedPkg = custom.data.id.toLowerCase().replace('-', '_');
    if (pkg !== expectedPkg) {
      throw new Error(`rule ${custom.data.id} lives in package posture.rules.${pkg}; expected posture.rules.${expectedPkg}`);
    }
    rules.push(
      CatalogRule.parse({
        ...custom.data,
        package: pkg,
        title: entry.annotations.title,
        description: entry.annotations.description,
        file: entry.location.file,
      }),
    );
  }
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.id)) throw new Error(`rule id ${r.id} is declared twice`);
    seen.add(r.id);
  }
  return rules.sort((a, b) => a.id.localeCompare(b.id));
}
