// `--format asff`: the scan's findings in the AWS Security Finding Format, ready for
// `aws securityhub batch-import-findings`. The mapping is the Security Hub publisher's
// (publishers/asff.ts). The importing account is `publish.securityhub` from posture.yaml; without
// it, an AWS finding is attributed to its own account and region, and a non-AWS finding cannot be.
// (rule, asset) pairs that could not be judged are added with Compliance.Status NOT_AVAILABLE where
// they can be attributed.
import type { SecurityHubConfig } from '../publishers/config.ts';
import { toAsff } from '../publishers/asff.ts';
import type { ComplianceReportInput } from './compliance-input.ts';
import { recordOf, unjudgedFindings } from './ocsf.ts';

export class AsffError extends Error {
  override name = 'AsffError';
}

export function renderAsff(input: ComplianceReportInput, securityHub?: SecurityHubConfig): string {
  const orphans = input.result.findings.filter((f) => !securityHub && (f.provider !== 'aws' || !/^\d{12}$/.test(f.account) || !f.region));
  if (orphans.length) {
    throw new AsffError(
      `ASFF needs an AWS account to import into: ${orphans.length} finding(s) (e.g. ${orphans[0]!.assetId}) are not on an AWS asset with an account and region; set publish.securityhub.accountId and region in posture.yaml`,
    );
  }
  const now = input.result.finishedAt;
  const attributable = (f: { provider: string; account: string; region: string }) => Boolean(securityHub) || (f.provider === 'aws' && /^\d{12}$/.test(f.account) && Boolean(f.region));
  // Pairs that could not be judged go in as NOT_AVAILABLE (Security Hub's "the check could not be completed").
  const unjudged = unjudgedFindings(input)
    .filter(({ finding }) => attributable(finding))
    .map(({ finding, outcome, reason }) => {
      const doc = toAsff(recordOf(input, finding), securityHub ?? { accountId: finding.account, region: finding.region }, now);
      return { ...doc, Compliance: { ...doc.Compliance, Status: 'NOT_AVAILABLE' }, ProductFields: { ...doc.ProductFields, 'posture/outcome': outcome, 'posture/reason': reason } };
    });
  return JSON.stringify(
    [...input.result.findings.map((f) => toAsff(recordOf(input, f), securityHub ?? { accountId: f.account, region: f.region }, now)), ...unjudged],
    null,
    2,
  );
}
