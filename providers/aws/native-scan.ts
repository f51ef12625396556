// ECR's own scanner for a pulled image. The registry's scanning configuration says which one runs:
//   BASIC     ECR's scanner; its findings come from ECR DescribeImageScanFindings (`findings[]`).
//   ENHANCED  Amazon Inspector; its findings come from Inspector2 ListFindings, filtered to this registry,
//             repository and digest, active package vulnerabilities only (suppressed and closed ones are
//             Inspector's own exemptions and fixes).
// An image the scanner has not (yet) scanned is no evidence (null), never "clean": ListFindings answers an
// empty list both for a clean image and for one Inspector never saw, so an empty answer counts only when
// ECR reports the enhanced scan ACTIVE (Inspector monitors the image) or the basic scan COMPLETE.
// docs/vulnerabilities.md keeps the fields read here.
import { DescribeImageScanFindingsCommand, GetRegistryScanningConfigurationCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { Inspector2Client, ListFindingsCommand } from '@aws-sdk/client-inspector2';
import { fromEcrBasic, fromInspector, maxNativeFindings, type NativeFinding } from '../../vulns/native/findings.ts';
import type { NativeScanModule, NativeScanResult } from '../provider.ts';
import { clientConfig } from './clients.ts';
import { parseEcrHost } from './ecr-host.ts';
import type { AwsAccess } from './provider.ts';
import { ecrClient } from './pull.ts';
import type { AwsSettings } from './settings.ts';

/** ListFindings serves at most 100 per page. */
const pageSize = 100;
const maxPages = Math.ceil(maxNativeFindings / pageSize) + 1;

/** Image scan statuses that show the scanner looked at the image: basic COMPLETE, enhanced ACTIVE (continuously monitored). */
const scannedStatuses = new Set(['COMPLETE', 'ACTIVE']);

export function inspectorClient(settings: AwsSettings, account: string, region: string, credentials: AwsAccess['credentials']): Inspector2Client {
  return new Inspector2Client(clientConfig(settings, 'inspector2', account, region, credentials));
}

/** The ListFindings filter for one image: its registry (account), repository and digest, active package vulnerabilities. */
export function imageFilter(account: string, repository: string, digest: string) {
  const eq = (value: string) => [{ comparison: 'EQUALS' as const, value }];
  return {
    ecrImageRegistry: eq(account),
    ecrImageRepositoryName: eq(repository),
    ecrImageHash: eq(digest),
    findingType: eq('PACKAGE_VULNERABILITY'),
    findingStatus: eq('ACTIVE'),
  };
}

/** Inspector's active findings for the image (at most maxNativeFindings), and whether more were left unread. */
export async function listInspectorFindings(
  inspector: Inspector2Client,
  image: { account: string; repository: string; digest: string },
  signal?: AbortSignal,
): Promise<{ findings: NativeFinding[]; truncated: boolean }> {
  const findings: NativeFinding[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await inspector.send(
      new ListFindingsCommand({ filterCriteria: imageFilter(image.account, image.repository, image.digest), maxResults: pageSize, ...(nextToken ? { nextToken } : {}) }),
      signal ? { abortSignal: signal } : {},
    );
    findings.push(...fromInspector(answer.findings ?? []));
    nextToken = answer.nextToken;
    if (!nextToken || findings.length > maxNativeFindings) break;
  }
  return { findings: findings.slice(0, maxNativeFindings), truncated: Boolean(nextToken) || findings.length > maxNativeFindings };
}

/** ECR's view of the image's scan: its status (null when ECR has no scan of it) and, for basic scanning, the findings. */
async function ecrScan(ecr: ECRClient, image: { account: string; repository: string; digest: string }, signal?: AbortSignal): Promise<{ status: string | null; findings: NativeFinding[]; truncated: boolean }> {
  const findings: NativeFinding[] = [];
  let status: string | null = null;
  let nextToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    let answer;
    try {
      answer = await ecr.send(
        new DescribeImageScanFindingsCommand({ registryId: image.account, repositoryName: image.repository, imageId: { imageDigest: image.digest }, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }),
        signal ? { abortSignal: signal } : {},
      );
    } catch (err) {
      // No scan of this image (scan on push off, never scanned): no evidence, not a failure.
      if ((err as { name?: string }).name === 'ScanNotFoundException') return { status: null, findings: [], truncated: false };
      throw err;
    }
    status = answer.imageScanStatus?.status ?? status;
    findings.push(...fromEcrBasic(answer.imageScanFindings?.findings ?? []));
    nextToken = answer.nextToken;
    if (!nextToken || findings.length > maxNativeFindings) break;
  }
  return { status, findings: findings.slice(0, maxNativeFindings), truncated: Boolean(nextToken) || findings.length > maxNativeFindings };
}

export const nativeScan: NativeScanModule<AwsSettings, AwsAccess> = {
  enabled: (settings) => settings.nativeFindings,
  async read({ settings, access, image, target, signal }): Promise<NativeScanResult> {
    const host = parseEcrHost(target.image.registry);
    if (!host) throw new Error(`${target.image.registry} is not an ECR registry host`);
    const id = { account: host.account, repository: target.image.repository, digest: image.image.digest };
    const ecr = ecrClient(settings, host.account, host.region, access.credentials);
    try {
      const config = await ecr.send(new GetRegistryScanningConfigurationCommand({}), signal ? { abortSignal: signal } : {});
      const scanType = (config.scanningConfiguration?.scanType ?? 'BASIC').toUpperCase();
      if (scanType === 'ENHANCED') {
        const inspector = inspectorClient(settings, host.account, host.region, access.credentials);
        try {
          const listed = await listInspectorFindings(inspector, id, signal);
          if (listed.findings.length > 0) return { scanner: 'inspector2', ...listed };
          // An empty list is evidence only while Inspector monitors the image.
          const { status } = await ecrScan(ecr, id, signal);
          return { scanner: 'inspector2', findings: status && scannedStatuses.has(status) ? [] : null, truncated: false };
        } finally {
          inspector.destroy();
        }
      }
      const basic = await ecrScan(ecr, id, signal);
      return { scanner: 'ecr-basic', findings: basic.status === 'COMPLETE' ? basic.findings : null, truncated: basic.truncated };
    } finally {
      ecr.destroy();
    }
  },
};
