// Registry-native scan results as a second source: ECR basic scanning (`findings`: CVE name, severity,
// package_name / package_version attributes, from ECR DescribeImageScanFindings), ECR enhanced scanning by
// Amazon Inspector (packageVulnerabilityDetails with the vulnerable packages and their fixed versions, from
// Inspector2 ListFindings or DescribeImageScanFindings' `enhancedFindings`; providers/aws/native-scan.ts),
// Microsoft Defender for Containers' sub-assessments (Azure Resource Graph, providers/azure/native-scan.ts) and
// Google Artifact Analysis' vulnerability occurrences (Grafeas, providers/gcp/native-scan.ts). Each becomes a NativeFinding; `mergeNative` then folds
// the ones we also matched into our vulnerability (adding the scanner to `detectedBy`) and keeps the rest,
// which REG-002 judges.
import { z } from 'zod';
import type { ImageAsset, ImageVulnerability } from '../../core/asset.ts';
import type { VulnSeverity } from '../severity.ts';

export interface NativeFinding {
  scanner: string;
  id: string;
  aliases: string[];
  severity: VulnSeverity;
  packageName: string | null;
  packageVersion: string | null;
  fixedVersion: string | null;
  uri: string | null;
}

const severityOf = (s: string | undefined): VulnSeverity => {
  switch ((s ?? '').toUpperCase()) {
    case 'CRITICAL':
      return 'critical';
    case 'HIGH':
      return 'high';
    case 'MEDIUM':
      return 'medium';
    case 'LOW':
    case 'INFORMATIONAL':
      return 'low';
    default:
      return 'unknown';
  }
};

const Attribute = z.object({ key: z.string(), value: z.string().optional() }).loose();
const BasicFinding = z.object({ name: z.string().optional(), severity: z.string().optional(), uri: z.string().optional(), attributes: z.array(Attribute).optional() }).loose();
const VulnerablePackage = z.object({ name: z.string().optional(), version: z.string().optional(), epoch: z.number().optional(), release: z.string().optional(), fixedInVersion: z.string().optional() }).loose();
const EnhancedFinding = z
  .object({
    severity: z.string().optional(),
    /** ACTIVE, SUPPRESSED (a suppression rule in Inspector) or CLOSED (fixed). */
    status: z.string().optional(),
    packageVulnerabilityDetails: z
      .object({
        vulnerabilityId: z.string().optional(),
        relatedVulnerabilities: z.array(z.string()).optional(),
        sourceUrl: z.string().optional(),
        vulnerablePackages: z.array(VulnerablePackage).optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

const cap = (s: string, n = 256) => s.slice(0, n);

/** Findings kept per image and scanner (counts beyond it are reported as truncated). */
export const maxNativeFindings = 500;

/** ECR basic scan findings (the Clair-based scanner). */
export function fromEcrBasic(findings: unknown[]): NativeFinding[] {
  return findings.flatMap((raw) => {
    const f = BasicFinding.safeParse(raw);
    if (!f.success || !f.data.name) return [];
    const attr = (k: string) => f.data.attributes?.find((a) => a.key === k)?.value ?? null;
    return [{ scanner: 'ecr-basic', id: cap(f.data.name), aliases: [], severity: severityOf(f.data.severity), packageName: attr('package_name'), packageVersion: attr('package_version'), fixedVersion: null, uri: f.data.uri ?? null }];
  });
}

/** ECR enhanced scan findings (Amazon Inspector, from ListFindings or DescribeImageScanFindings): one per vulnerable package. */
export function fromInspector(findings: unknown[]): NativeFinding[] {
  return findings.flatMap((raw) => {
    const f = EnhancedFinding.safeParse(raw);
    const d = f.success ? f.data.packageVulnerabilityDetails : undefined;
    if (!f.success || !d?.vulnerabilityId) return [];
    // Suppressed findings are Inspector's own exemptions, closed ones are fixed: neither is a finding.
    if (f.data.status !== undefined && f.data.status !== 'ACTIVE') return [];
    const packages = d.vulnerablePackages?.length ? d.vulnerablePackages : [{}];
    return packages.map((p) => {
      const version = p.version ? `${p.epoch ? `${p.epoch}:` : ''}${p.version}${p.release ? `-${p.release}` : ''}` : null;
      return {
        scanner: 'inspector2',
        id: cap(d.vulnerabilityId!),
        aliases: (d.relatedVulnerabilities ?? []).slice(0, 50).map((a) => cap(a)),
        severity: severityOf(f.data.severity),
        packageName: p.name ?? null,
        packageVersion: version,
        fixedVersion: p.fixedInVersion && p.fixedInVersion !== 'NotAvailable' ? p.fixedInVersion : null,
        uri: d.sourceUrl ?? null,
      };
    });
  });
}

const grafeasSeverities = ['SEVERITY_UNSPECIFIED', 'MINIMAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
/** A Grafeas enum as gRPC (name) or REST with integer enums (number) delivers it. */
const GrafeasEnum = z.union([z.string(), z.number()]).optional();
const grafeasSeverity = (value: string | number | undefined): VulnSeverity | null => {
  const name = typeof value === 'number' ? grafeasSeverities[value] : value;
  if (!name || name === 'SEVERITY_UNSPECIFIED') return null;
  return name === 'MINIMAL' ? 'low' : severityOf(name);
};
const GrafeasVersion = z.object({ epoch: z.number().optional(), name: z.string().optional(), revision: z.string().optional(), kind: GrafeasEnum, fullName: z.string().optional() }).loose();
const PackageIssue = z
  .object({ affectedPackage: z.string().optional(), affectedVersion: GrafeasVersion.nullish(), fixedVersion: GrafeasVersion.nullish(), fixAvailable: z.boolean().optional(), effectiveSeverity: GrafeasEnum })
  .loose();
const Occurrence = z
  .object({
    noteName: z.string().optional(),
    vulnerability: z
      .object({
        severity: GrafeasEnum,
        effectiveSeverity: GrafeasEnum,
        shortDescription: z.string().optional(),
        packageIssue: z.array(PackageIssue).optional(),
        relatedUrls: z.array(z.object({ url: z.string().optional() }).loose()).optional(),
      })
      .loose()
      .nullish(),
  })
  .loose();

/** `epoch:name-revision` as Grafeas splits a version (`fullName` when given); null for an empty one. */
function grafeasVersion(v: z.infer<typeof GrafeasVersion> | null | undefined): string | null {
  if (!v) return null;
  if (v.fullName) return v.fullName;
  if (!v.name) return null;
  return `${v.epoch ? `${v.epoch}:` : ''}${v.name}${v.revision ? `-${v.revision}` : ''}`;
}

/**
 * Google Artifact Analysis VULNERABILITY occurrences (grafeas.v1.Occurrence): one finding per package issue.
 * The id is the note's (`projects/goog-vulnz/notes/CVE-…`); the severity the distribution's own rating
 * (`effectiveSeverity`, per package issue when given) before the CVSS-based `severity`; a fixed version only
 * when a fix is available (a MAXIMUM-kind fixed version means none).
 */
export function fromArtifactAnalysis(occurrences: unknown[]): NativeFinding[] {
  return occurrences.flatMap((raw) => {
    const o = Occurrence.safeParse(raw);
    const v = o.success ? o.data.vulnerability : undefined;
    if (!o.success || !v) return [];
    const id = o.data.noteName?.split('/').pop() || v.shortDescription;
    if (!id) return [];
    const issues = v.packageIssue?.length ? v.packageIssue : [{}];
    const link = v.relatedUrls?.find((u) => u.url)?.url ?? null;
    return issues.map((p: z.infer<typeof PackageIssue>) => {
      const fixKind = p.fixedVersion?.kind;
      const noFix = p.fixAvailable === false || fixKind === 'MAXIMUM' || fixKind === 3;
      return {
        scanner: 'artifact-analysis',
        id: cap(id),
        aliases: [],
        severity: grafeasSeverity(p.effectiveSeverity) ?? grafeasSeverity(v.effectiveSeverity) ?? grafeasSeverity(v.severity) ?? 'unknown',
        packageName: p.affectedPackage ? cap(p.affectedPackage) : null,
        packageVersion: grafeasVersion(p.affectedVersion),
        fixedVersion: noFix ? null : grafeasVersion(p.fixedVersion),
        uri: link ? cap(link, 500) : null,
      };
    });
  });
}

const DefenderRow = z
  .object({
    id: z.string().optional(),
    properties: z
      .object({
        id: z.string().optional(),
        status: z.object({ code: z.string().optional(), severity: z.string().optional() }).loose().optional(),
        additionalData: z
          .object({
            vulnerabilityDetails: z
              .object({ cveId: z.string().optional(), severity: z.string().optional(), references: z.array(z.object({ title: z.string().optional(), link: z.string().optional() }).loose()).optional() })
              .loose()
              .optional(),
            softwareDetails: z.object({ packageName: z.string().optional(), version: z.string().optional(), fixedVersion: z.string().optional(), fixStatus: z.string().optional() }).loose().optional(),
          })
          .loose()
          .optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

/**
 * Microsoft Defender for Containers sub-assessments (Azure Resource Graph `securityresources`): one per
 * vulnerability and package. Only `Unhealthy` ones are findings: `Healthy` is resolved and `NotApplicable`
 * covers exemptions made in Defender.
 */
export function fromDefender(rows: unknown[]): NativeFinding[] {
  return rows.flatMap((raw) => {
    const r = DefenderRow.safeParse(raw);
    const p = r.success ? r.data.properties : undefined;
    const vuln = p?.additionalData?.vulnerabilityDetails;
    const id = p?.id ?? vuln?.cveId;
    if (!p || !id || (p.status?.code ?? 'Unhealthy') !== 'Unhealthy') return [];
    const sw = p.additionalData?.softwareDetails;
    const link = vuln?.references?.find((x) => x.title === id)?.link ?? null;
    return [
      {
        scanner: 'defender',
        id: cap(id),
        aliases: vuln?.cveId && vuln.cveId !== id ? [cap(vuln.cveId)] : [],
        severity: severityOf(vuln?.severity ?? p.status?.severity),
        packageName: sw?.packageName ? cap(sw.packageName) : null,
        packageVersion: sw?.version ? cap(sw.version) : null,
        fixedVersion: sw?.fixedVersion ? cap(sw.fixedVersion) : null,
        uri: link ? cap(link, 500) : null,
      },
    ];
  });
}

/** Does our match describe the same vulnerability in the same package as the registry's finding? */
function sameAs(ours: ImageVulnerability, theirs: NativeFinding): boolean {
  const ids = new Set([ours.id, ...ours.aliases]);
  if (!ids.has(theirs.id) && !theirs.aliases.some((a) => ids.has(a))) return false;
  if (theirs.packageName === null) return true;
  return theirs.packageName === ours.package.name || theirs.packageName === ours.package.sourceName;
}

/**
 * Folds registry findings into the image: a finding we matched too adds its scanner to our vulnerability's
 * `detectedBy`; the others are kept as `nativeVulnerabilities` (what only the registry saw).
 */
export function mergeNative(image: ImageAsset, native: readonly NativeFinding[]): ImageAsset {
  const ours = (image.image.vulnerabilities ?? []).map((v) => ({ ...v, detectedBy: [...v.detectedBy] }));
  const onlyTheirs: NativeFinding[] = [];
  for (const n of native) {
    const hits = ours.filter((v) => sameAs(v, n));
    if (hits.length === 0) onlyTheirs.push(n);
    for (const v of hits) if (!v.detectedBy.includes(n.scanner)) v.detectedBy.push(n.scanner);
  }
  return {
    ...image,
    image: {
      ...image.image,
      ...(image.image.vulnerabilities ? { vulnerabilities: ours } : {}),
      nativeVulnerabilities: onlyTheirs,
    },
  };
}
