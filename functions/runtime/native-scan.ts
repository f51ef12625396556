// The registry's own scanner finished (ECR basic scan or Inspector enhanced scan): read its results
// through ECR DescribeImageScanFindings (both scanners report there) and keep them on the image asset
// as `raw.nativeScan`. Bounded: counts are always kept, individual findings up to `maxFindings`.
import { DescribeImageScanFindingsCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { z } from 'zod';
import type { NativeScanJob } from '../../core/jobs.ts';
import { fromEcrBasic, fromInspector, type NativeFinding } from '../../vulns/native/findings.ts';

export const maxFindings = 500;
const maxPages = 10;

const Finding = z
  .object({
    name: z.string().optional(),
    title: z.string().optional(),
    severity: z.string().optional(),
    uri: z.string().optional(),
    description: z.string().optional(),
    packageVulnerabilityDetails: z.object({ vulnerabilityId: z.string().optional() }).loose().optional(),
  })
  .loose();

const Page = z
  .object({
    imageScanStatus: z.object({ status: z.string().optional(), description: z.string().optional() }).loose().optional(),
    imageScanFindings: z
      .object({
        imageScanCompletedAt: z.date().optional(),
        vulnerabilitySourceUpdatedAt: z.date().optional(),
        findingSeverityCounts: z.record(z.string(), z.number()).optional(),
        findings: z.array(Finding).optional(),
        enhancedFindings: z.array(Finding).optional(),
      })
      .loose()
      .optional(),
    nextToken: z.string().optional(),
  })
  .loose();

export interface NativeScan {
  scanner: NativeScanJob['scanner'];
  /** The status the completion event announced, and the one ECR reports now. */
  eventStatus: string;
  status: string | null;
  severityCounts: Record<string, number>;
  completedAt: string | null;
  vulnerabilitySourceUpdatedAt: string | null;
  findings: { id: string; severity: string; uri: string | null }[];
  /** More findings than `maxFindings`: the counts are complete, the list is not. */
  truncated: boolean;
  /** The findings normalized for matching against ours (vulns/native/findings.ts), same bound. */
  native: NativeFinding[];
}

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…` : s);

export async function readNativeScan(ecr: ECRClient, job: NativeScanJob): Promise<NativeScan> {
  const out: NativeScan = {
    scanner: job.scanner,
    eventStatus: job.status,
    status: null,
    severityCounts: job.severityCounts,
    completedAt: null,
    vulnerabilitySourceUpdatedAt: null,
    findings: [],
    truncated: false,
    native: [],
  };
  let nextToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const raw = await ecr.send(
      new DescribeImageScanFindingsCommand({
        repositoryName: job.repository,
        ...(job.account ? { registryId: job.account } : {}),
        imageId: { imageDigest: job.digest },
        maxResults: 1000,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    const parsed = Page.safeParse(raw);
    if (!parsed.success) throw new Error(`ECR DescribeImageScanFindings for ${job.repository}@${job.digest} answered an unexpected shape: ${z.prettifyError(parsed.error)}`);
    const p = parsed.data;
    out.status = p.imageScanStatus?.status ?? out.status;
    const findings = p.imageScanFindings;
    if (findings?.findingSeverityCounts) out.severityCounts = findings.findingSeverityCounts;
    out.completedAt = findings?.imageScanCompletedAt?.toISOString() ?? out.completedAt;
    out.vulnerabilitySourceUpdatedAt = findings?.vulnerabilitySourceUpdatedAt?.toISOString() ?? out.vulnerabilitySourceUpdatedAt;
    if (out.native.length < maxFindings) {
      out.native.push(...[...fromEcrBasic(findings?.findings ?? []), ...fromInspector(findings?.enhancedFindings ?? [])].slice(0, maxFindings - out.native.length));
    }
    for (const f of [...(findings?.findings ?? []), ...(findings?.enhancedFindings ?? [])]) {
      if (out.findings.length >= maxFindings) {
        out.truncated = true;
        break;
      }
      const id = f.name ?? f.packageVulnerabilityDetails?.vulnerabilityId ?? f.title ?? '(unnamed)';
      out.findings.push({ id: clip(id), severity: clip(f.severity ?? 'UNDEFINED', 32), uri: f.uri ? clip(f.uri, 500) : null });
    }
    nextToken = p.nextToken;
    if (!nextToken || out.truncated) break;
  }
  if (nextToken) out.truncated = true;
  return out;
}
