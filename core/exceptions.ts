// Exceptions (accepted risks) and graduated enforcement modes, both plain config data.
// An exception suppresses matching findings until its expiry date; expired and unused exceptions
// are reported so they get renewed or removed instead of silently rotting.
import picomatch from 'picomatch';
import { z } from 'zod';
import type { Finding } from './finding.ts';

const Glob = z.string().min(1).max(512);

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'not a calendar date');

export const ExceptionRule = z
  .object({
    /** Stable name for reports; defaults to the position in the list. */
    id: z.string().min(1).max(128).optional(),
    /** Rule id or glob (`IMG-*`). */
    rule: Glob,
    /**
     * Vulnerability id or glob (`CVE-2023-4911`, `GHSA-*`): only findings about that vulnerability
     * (IMG-003, REG-002 evidence `id` or one of its `aliases`) are covered.
     */
    vulnerability: Glob.optional(),
    /** Every given key must match; an empty selector matches every asset. */
    assets: z
      .object({
        id: Glob.optional(),
        account: Glob.optional(),
        region: Glob.optional(),
        tags: z.record(z.string().min(1), Glob).optional(),
      })
      .strict()
      .default({}),
    owner: z.string().min(1),
    reason: z.string().min(1).max(2000),
    /** Last day (UTC) the exception applies. Required: accepted risks are revisited. */
    expires: IsoDate,
  })
  .strict();
export type ExceptionRule = z.infer<typeof ExceptionRule>;

export const ExceptionsConfig = z.array(ExceptionRule).max(10_000).default([]);

export const Mode = z.enum(['audit', 'warn', 'ticket']);
export type Mode = z.infer<typeof Mode>;

export const ModesConfig = z
  .object({
    /** Mode for rules no other entry names. */
    default: Mode.default('ticket'),
    /** Framework id → mode; a rule in several frameworks takes the strictest. */
    frameworks: z.record(z.string(), Mode).default({}),
    /** Rule id → mode; wins over frameworks. */
    rules: z.record(z.string(), Mode).default({}),
  })
  .strict()
  .prefault({});
export type ModesConfig = z.infer<typeof ModesConfig>;

const modeRank: Record<Mode, number> = { audit: 0, warn: 1, ticket: 2 };

/** audit = record only, warn = report, ticket = publish. */
export function modeFor(finding: Pick<Finding, 'ruleId' | 'frameworks' | 'aliases'>, modes: ModesConfig): Mode {
  // A mode set for a rule's earlier id (METADATA aliases) still applies to it.
  const byRule = [finding.ruleId, ...(finding.aliases ?? [])].map((id) => modes.rules[id]).find((m) => m !== undefined);
  if (byRule) return byRule;
  const byFramework = Object.keys(finding.frameworks)
    .map((f) => modes.frameworks[f])
    .filter((m): m is Mode => m !== undefined);
  if (byFramework.length === 0) return modes.default;
  return byFramework.reduce((a, b) => (modeRank[b] > modeRank[a] ? b : a));
}

/** The asset facts a selector can look at. */
export interface AssetFacts {
  id: string;
  account: string;
  region: string;
  tags: Record<string, string>;
}

export interface Suppression {
  exceptionId: string;
  reason: string;
  owner: string;
}

export interface ExceptionReport {
  expired: { id: string; owner: string; expires: string }[];
  unused: { id: string; owner: string; expires: string }[];
  used: { id: string; matches: number }[];
}

// `*` stays within one `/` segment and `**` crosses them, as in file globs; ids are URIs.
const compile = (glob: string) => picomatch(glob, { dot: true, nobrace: true, noextglob: true });

interface Compiled {
  id: string;
  source: ExceptionRule;
  endsAt: number;
  rule: (s: string) => boolean;
  vulnerability: ((ids: string[]) => boolean) | null;
  asset: ((a: AssetFacts) => boolean)[];
}

/** The vulnerability ids a finding is about: its evidence `id` and `aliases` (IMG-003, REG-002). */
export function vulnerabilityIdsOf(evidence: unknown): string[] {
  if (typeof evidence !== 'object' || evidence === null) return [];
  const e = evidence as { id?: unknown; aliases?: unknown };
  return [...(typeof e.id === 'string' ? [e.id] : []), ...(Array.isArray(e.aliases) ? e.aliases.filter((a): a is string => typeof a === 'string') : [])];
}

export class ExceptionSet {
  private readonly compiled: Compiled[];
  private readonly uses = new Map<string, number>();

  constructor(rules: readonly ExceptionRule[], private readonly now: Date = new Date()) {
    const seen = new Set<string>();
    this.compiled = rules.map((source, index) => {
      const id = source.id ?? `exception-${index + 1}`;
      if (seen.has(id)) throw new Error(`exception id "${id}" is declared twice`);
      seen.add(id);
      const asset: ((a: AssetFacts) => boolean)[] = [];
      const { id: idGlob, account, region, tags } = source.assets;
      if (idGlob) asset.push(((m) => (a: AssetFacts) => m(a.id))(compile(idGlob)));
      if (account) asset.push(((m) => (a: AssetFacts) => m(a.account))(compile(account)));
      if (region) asset.push(((m) => (a: AssetFacts) => m(a.region))(compile(region)));
      for (const [key, glob] of Object.entries(tags ?? {})) {
        const m = compile(glob);
        asset.push((a) => a.tags[key] !== undefined && m(a.tags[key]));
      }
      // The expiry date is inclusive: the exception ends at the following UTC midnight.
      const endsAt = Date.parse(`${source.expires}T00:00:00Z`) + 86_400_000;
      const vulnGlob = source.vulnerability ? picomatch(source.vulnerability, { nocase: true, nobrace: true, noextglob: true }) : null;
      const vulnerability = vulnGlob ? (ids: string[]) => ids.some((i) => vulnGlob(i)) : null;
      return { id, source, endsAt, rule: compile(source.rule), vulnerability, asset };
    });
  }

  /** The first live exception that covers this finding on this asset, or null. */
  match(finding: Pick<Finding, 'ruleId' | 'aliases'> & { evidence?: unknown }, asset: AssetFacts): Suppression | null {
    // An exception written for a rule's earlier id (METADATA aliases) still covers it.
    const ids = [finding.ruleId, ...(finding.aliases ?? [])];
    for (const c of this.compiled) {
      if (c.endsAt <= this.now.getTime()) continue;
      if (!ids.some((id) => c.rule(id)) || !c.asset.every((test) => test(asset))) continue;
      if (c.vulnerability && !c.vulnerability(vulnerabilityIdsOf(finding.evidence))) continue;
      this.uses.set(c.id, (this.uses.get(c.id) ?? 0) + 1);
      return { exceptionId: c.id, reason: c.source.reason, owner: c.source.owner };
    }
    return null;
  }

  /** Expired exceptions, and live ones that matched nothing since this set was built. */
  report(): ExceptionReport {
    const brief = (c: Compiled) => ({ id: c.id, owner: c.source.owner, expires: c.source.expires });
    const live = this.compiled.filter((c) => c.endsAt > this.now.getTime());
    return {
      expired: this.compiled.filter((c) => c.endsAt <= this.now.getTime()).map(brief),
      unused: live.filter((c) => !this.uses.has(c.id)).map(brief),
      used: live.filter((c) => this.uses.has(c.id)).map((c) => ({ id: c.id, matches: this.uses.get(c.id) ?? 0 })),
    };
  }
}
