// Matching an image's package inventory against the local OSV store: one vulnerability per (package,
// vulnerability), records that name each other as aliases merged into one (a GHSA and its CVE, a Go
// advisory and its CVE), with the installed and fixed versions, the layer that brought the package,
// and the severity from CVSS or the database's own rating.
//
// Which name OSV keys a package on: Debian, Ubuntu, Alpine, Rocky and AlmaLinux advisories name the
// source package (dpkg Source:, apk origin, the SRPM); Red Hat names binary or source RPMs, so both are
// asked. Language ecosystems use the package's own name.
import type { CvssScore, VulnSeverity } from './severity.ts';
import { severityOf, severityRank } from './severity.ts';
import { affectedBy } from './osv/ranges.ts';
import type { StoredMatch, VulnStore } from './db/store.ts';
import { baseEcosystem, comparatorFor } from './versions/index.ts';

/** The inventory fields matching reads (core/asset.ts ImagePackage). */
export interface MatchablePackage {
  name: string;
  version: string;
  manager: string;
  ecosystem?: string | null;
  purl?: string;
  layer?: number | null;
  layerDigest?: string | null;
  path?: string;
  source?: { name: string; version: string } | null;
}

export interface Vulnerability {
  /** The id reports lead with: the CVE when one is among the aliases, else the first record id. */
  id: string;
  /** Every id of this vulnerability: matched record ids and their aliases, sorted. */
  aliases: string[];
  /** The OSV records that matched this package. */
  records: string[];
  package: { name: string; version: string; ecosystem: string; purl: string | null; sourceName: string | null; path: string | null };
  fixedVersion: string | null;
  fixAvailable: boolean;
  layer: number | null;
  layerDigest: string | null;
  /** base: brought by the base image's layers; application: added on top; unknown: the history does not say. */
  layerKind: 'base' | 'application' | 'unknown';
  severity: VulnSeverity;
  severitySource: string;
  cvss: CvssScore[];
  /** Highest CVSS base score among the vectors, or null. */
  score: number | null;
  published: string | null;
  summary: string | null;
  references: string[];
  /** Who found it: our OSV matching, or a registry's own scanner. */
  detectedBy: string[];
}

export interface MatchResult {
  vulnerabilities: Vulnerability[];
  /** Packages that could not be judged, and why (no ecosystem, unreadable version). */
  notEvaluated: { package: string; reason: string }[];
  packagesMatched: number;
}

const sourceKeyed = new Set(['Debian', 'Ubuntu', 'Alpine', 'Rocky Linux', 'AlmaLinux', 'Wolfi', 'Chainguard']);

// Debian's and Ubuntu's advisories give source package versions (a fix is a source upload), and a binary's
// own version can differ from its source's: an epoch only the binary has (bsdutils 1:2.38.1-5+b1 from
// util-linux 2.38.1-5), a binNMU rebuild (+b1), a bundled component's own version (node-write 2.0.0~6.0.0…
// from node-file-entry-cache 6.0.0…). The source version is the one compared.
const sourceVersioned = new Set(['Debian', 'Ubuntu']);

/** The version compared against the ecosystem's ranges. */
export function comparedVersion(pkg: MatchablePackage, ecosystem: string): string {
  return sourceVersioned.has(baseEcosystem(ecosystem)) && pkg.source?.version ? pkg.source.version : pkg.version;
}

/** Names to look the package up under in its ecosystem. */
export function lookupNames(pkg: MatchablePackage, ecosystem: string): string[] {
  const base = baseEcosystem(ecosystem);
  const src = pkg.source?.name;
  if (sourceKeyed.has(base)) return [src || pkg.name];
  if (base === 'Red Hat' && src && src !== pkg.name) return [pkg.name, src];
  return [pkg.name];
}

const cvePattern = /^CVE-\d{4}-\d+$/;

export function preferredId(ids: readonly string[]): string {
  return ids.find((i) => cvePattern.test(i)) ?? ids.find((i) => i.startsWith('GHSA-')) ?? ids[0]!;
}

/**
 * How many of the image's layers came from its base image, read from the build history: the base image's
 * own history ends with its CMD/ENTRYPOINT, so layers built before the first such entry (when more
 * history follows it) are the base. Null when the history does not say.
 */
export function baseLayerCount(history: readonly { createdBy: string; emptyLayer: boolean }[]): number | null {
  let layers = 0;
  for (let i = 0; i < history.length; i++) {
    const h = history[i]!;
    if (/(^|\s)(CMD|ENTRYPOINT)\s/.test(h.createdBy) && i < history.length - 1) return layers;
    if (!h.emptyLayer) layers++;
  }
  return null;
}

interface Hit {
  match: StoredMatch;
  fixed: string | null;
}

/**
 * The ids a hit is known by: its record id, its aliases, and its upstream id when it has exactly one (a
 * distribution's per-CVE record, DEBIAN-CVE-… or ALPINE-CVE-…, is that CVE for this package).
 */
function identity(m: StoredMatch): string[] {
  return [m.recordId, ...m.aliases, ...(m.upstream.length === 1 ? m.upstream : [])];
}

/**
 * Merges hits that share an id (union-find over identities). An advisory covering several upstream CVEs
 * (a DSA, a USN) joins each group for one of those CVEs rather than fusing them into one; it stands
 * alone only when none of its CVEs matched on their own.
 */
function groupHits(hits: Hit[]): Hit[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const single = hits.filter((h) => h.match.upstream.length <= 1);
  const multi = hits.filter((h) => h.match.upstream.length > 1);
  for (const h of single) {
    const ids = identity(h.match);
    for (const id of ids) if (!parent.has(id)) parent.set(id, id);
    for (const id of ids.slice(1)) parent.set(find(id), find(ids[0]!));
  }
  const groups = new Map<string, Hit[]>();
  for (const h of single) {
    const root = find(h.match.recordId);
    groups.set(root, [...(groups.get(root) ?? []), h]);
  }
  for (const h of multi) {
    const roots = new Set(identity(h.match).concat(h.match.upstream).filter((id) => parent.has(id)).map(find));
    if (roots.size === 0) groups.set(h.match.recordId, [h]);
    for (const root of roots) groups.get(root)!.push(h);
  }
  return [...groups.values()];
}

export function matchPackages(store: VulnStore, packages: readonly MatchablePackage[], options: { baseLayers?: number | null } = {}): MatchResult {
  const out: Vulnerability[] = [];
  const notEvaluated: MatchResult['notEvaluated'] = [];
  let matchedPackages = 0;
  for (const pkg of packages) {
    const ecosystem = pkg.ecosystem;
    if (!ecosystem) {
      notEvaluated.push({ package: `${pkg.manager}:${pkg.name}@${pkg.version}`, reason: 'no OSV ecosystem for this package' });
      continue;
    }
    const compare = comparatorFor(ecosystem);
    const hits: Hit[] = [];
    const seen = new Set<string>();
    let unreadable = false;
    const version = comparedVersion(pkg, ecosystem);
    for (const name of lookupNames(pkg, ecosystem)) {
      for (const candidate of store.candidates(ecosystem, name)) {
        if (seen.has(candidate.recordId)) continue;
        const verdict = affectedBy(candidate.affected, version, compare);
        if (verdict.unreadable.includes(version)) unreadable = true;
        if (!verdict.affected) continue;
        seen.add(candidate.recordId);
        hits.push({ match: candidate, fixed: verdict.fixed });
      }
    }
    if (unreadable && hits.length === 0) notEvaluated.push({ package: `${ecosystem}/${pkg.name}@${version}`, reason: `version is not valid in ${baseEcosystem(ecosystem)}` });
    if (hits.length) matchedPackages++;
    for (const group of groupHits(hits)) out.push(toVulnerability(pkg, ecosystem, group, compare, options.baseLayers ?? null));
  }
  out.sort((a, b) => severityRank[b.severity] - severityRank[a.severity] || a.package.name.localeCompare(b.package.name) || a.id.localeCompare(b.id));
  return { vulnerabilities: out, notEvaluated, packagesMatched: matchedPackages };
}

function toVulnerability(pkg: MatchablePackage, ecosystem: string, group: Hit[], compare: ((a: string, b: string) => number) | null, baseLayers: number | null): Vulnerability {
  const records = [...new Set(group.map((h) => h.match.recordId))].sort();
  const ids = [...new Set([...records, ...group.flatMap((h) => identity(h.match))])].sort();
  // The fix for this package is the lowest fixing version any merged record names.
  let fixed: string | null = null;
  for (const h of group) {
    if (h.fixed === null) continue;
    if (fixed === null) fixed = h.fixed;
    else {
      try {
        if ((compare ?? (() => 0))(h.fixed, fixed) < 0) fixed = h.fixed;
      } catch {
        /* keep the first readable one */
      }
    }
  }
  const ratings = group.map((h) => severityOf({ severity: h.match.severity, database_specific: h.match.databaseSpecific ?? undefined }, h.match.affected.severity ?? []));
  const best = ratings.sort((a, b) => severityRank[b.severity] - severityRank[a.severity])[0]!;
  const cvss = dedupeCvss(ratings.flatMap((r) => r.cvss));
  const published = group.map((h) => h.match.published).filter((p): p is string => !!p).sort()[0] ?? null;
  const layer = pkg.layer ?? null;
  return {
    id: preferredId(ids),
    aliases: ids,
    records,
    package: { name: pkg.name, version: pkg.version, ecosystem, purl: pkg.purl ?? null, sourceName: pkg.source?.name ?? null, path: pkg.path ?? null },
    fixedVersion: fixed,
    fixAvailable: fixed !== null,
    layer,
    layerDigest: pkg.layerDigest ?? null,
    layerKind: layer === null || baseLayers === null ? 'unknown' : layer < baseLayers ? 'base' : 'application',
    severity: best.severity,
    severitySource: best.source,
    cvss,
    score: cvss.length ? Math.max(...cvss.map((c) => c.score)) : null,
    published,
    summary: group.map((h) => h.match.summary).find((s) => !!s) ?? null,
    references: [...new Set(group.flatMap((h) => h.match.references))].slice(0, 5),
    detectedBy: ['osv'],
  };
}

function dedupeCvss(list: CvssScore[]): CvssScore[] {
  const seen = new Map<string, CvssScore>();
  for (const c of list) seen.set(c.vector, c);
  return [...seen.values()];
}
