// OCSF 1.2 Compliance Finding (class_uid 2003, category 2 Findings) for one finding event.
import type { FindingRecord, PublishAction } from '../core/state/record.ts';

const severityId = { info: 1, low: 2, medium: 3, high: 4, critical: 5 } as const;
// create → Create (1); update and reopen → Update (2); resolve → Close (3).
const activityId: Record<PublishAction, 1 | 2 | 3> = { create: 1, update: 2, reopen: 2, resolve: 3 };
const statusId = { open: 1, reopened: 1, suppressed: 3, resolved: 4 } as const;

export function ocsfComplianceFinding(record: FindingRecord, action: PublishAction, timeMs: number): Record<string, unknown> {
  const f = record.finding;
  const activity = activityId[action];
  const passed = record.status === 'resolved';
  return {
    class_uid: 2003,
    class_name: 'Compliance Finding',
    category_uid: 2,
    activity_id: activity,
    type_uid: 2003 * 100 + activity,
    time: timeMs,
    severity_id: severityId[f.severity],
    status_id: statusId[record.status],
    ...(record.suppression ? { status_detail: `suppressed: ${record.suppression.reason}` } : {}),
    message: f.message,
    metadata: { version: '1.2.0', product: { name: 'posture', vendor_name: 'posture' } },
    finding_info: {
      uid: record.fingerprint,
      title: f.title,
      desc: f.message,
      first_seen_time: Date.parse(record.firstSeen),
      last_seen_time: Date.parse(record.lastSeen),
      types: [f.ruleId],
    },
    compliance: {
      standards: Object.keys(f.frameworks),
      requirements: Object.entries(f.frameworks).flatMap(([fw, ids]) => ids.map((id) => `${fw}:${id}`)),
      control: f.ruleId,
      status_id: passed ? 1 : 3,
      status_detail: f.path,
    },
    resources: [{ uid: f.assetId, type: f.assetKind, region: f.region || undefined, cloud_partition: f.provider, account: { uid: f.account } }],
    remediation: { desc: f.remediation },
    unmapped: { evidence: f.evidence ?? null, evidence_hash: f.evidenceHash },
  };
}
