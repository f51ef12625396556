// `--format asff`: the scan's findings in the AWS Security Finding Format, ready for
// `aws securityhub batch-import-findings`. The mapping is the Security Hub publisher's
// (publishers/asff.ts). The importing account is `publish.securityhub` from posture.yaml; without
// it, an AWS finding is attributed to its own account and region, and a non-AWS finding cannot be.
import type { SecurityHubConfig } from '../publishers/config.ts';
import { toAsff } from '../publishers/asff.ts';
import type { ComplianceReportInput } from './compliance-input.ts';
import { recordOf } from './ocsf.ts';

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
  return JSON.stringify(
    input.result.findings.map((f) => toAsff(recordOf(input, f), securityHub ?? { accountId: f.account, region: f.region }, now)),
    null,
    2,
  );
}
