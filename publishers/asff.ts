// AWS Security Finding Format for one finding. All twelve required top-level attributes are set
// (the SDK model's ten plus Severity and Types, which the user guide also requires).
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { FindingRecord } from '../core/state/record.ts';
import type { SecurityHubConfig } from './config.ts';

const severityLabel = { info: 'INFORMATIONAL', low: 'LOW', medium: 'MEDIUM', high: 'HIGH', critical: 'CRITICAL' } as const;
const awsResourceType = { cluster: 'AwsEksCluster', registry: 'AwsEcrRepository', workload: 'AwsEcsTaskDefinition', service: 'AwsEcsService', image: 'AwsEcrContainerImage' } as const;

export const asffId = (fingerprint: string) => `posture/${fingerprint}`;

export function productArnFor(config: SecurityHubConfig): string {
  return config.productArn ?? `arn:aws:securityhub:${config.region}:${config.accountId}:product/${config.accountId}/default`;
}

export function toAsff(record: FindingRecord, config: SecurityHubConfig, nowIso: string): AwsSecurityFinding {
  const f = record.finding;
  const archived = record.status === 'resolved' || record.status === 'suppressed';
  const requirements = Object.entries(f.frameworks).flatMap(([fw, ids]) => ids.map((id) => `${fw} ${id}`));
  return {
    SchemaVersion: '2018-10-08',
    Id: asffId(record.fingerprint),
    ProductArn: productArnFor(config),
    GeneratorId: `posture/${f.ruleId}`,
    AwsAccountId: config.accountId,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    CreatedAt: record.firstSeen,
    UpdatedAt: nowIso,
    FirstObservedAt: record.firstSeen,
    LastObservedAt: record.lastSeen,
    Severity: { Label: severityLabel[f.severity] },
    Title: `${f.ruleId}: ${f.title}`.slice(0, 256),
    Description: f.message.slice(0, 1024) || f.title.slice(0, 1024),
    Remediation: { Recommendation: { Text: f.remediation.slice(0, 512) } },
    ProductFields: { 'posture/fingerprint': record.fingerprint, 'posture/ruleId': f.ruleId, 'posture/path': f.path.slice(0, 1024) },
    Resources: [
      {
        Type: (f.provider === 'aws' && f.assetKind in awsResourceType ? awsResourceType[f.assetKind as keyof typeof awsResourceType] : undefined) ?? 'Other',
        Id: f.assetId,
        ...(f.region ? { Region: f.region } : {}),
        Details: { Other: { provider: f.provider, account: f.account } },
      },
    ],
    Compliance: { Status: archived ? 'PASSED' : 'FAILED', RelatedRequirements: requirements.slice(0, 32) },
    RecordState: archived ? 'ARCHIVED' : 'ACTIVE',
  };
}
