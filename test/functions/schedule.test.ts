// The estate sweep against real SQS (moto): one scope job per AWS account × region, Azure subscription
// and GCP project, all carrying the schedule's execution id; a bad scope configuration is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJob, type ScanScopeJob } from '../../core/jobs.ts';
import { SqsJobQueue } from '../../functions/runtime/queue.ts';
import { parseScopes } from '../../functions/runtime/scopes.ts';
import { assumableRoles } from '../../providers/aws/provider.ts';
import { createScheduleHandler } from '../../functions/schedule.ts';
import { startMoto, type MotoServer } from '../standins/moto.ts';
import { captureLog } from './support/logs.ts';
import { createQueues, drain, type Queues } from './support/sqs.ts';

let moto: MotoServer;
let queues: Queues;

beforeAll(async () => {
  moto = await startMoto();
  queues = await createQueues(moto, 'sweep');
});
afterAll(async () => moto?.stop());

const scopes = parseScopes(
  {
    aws: [
      { account: '111111111111', regions: ['eu-west-1', 'eu-central-1'] },
      { account: '222222222222', roleArn: 'arn:aws:iam::222222222222:role/PostureAudit', regions: ['us-east-1'] },
    ],
    azure: [{ subscription: '6a1f0c2e-4b7d-4e59-9c3a-2d8e5f7b1a90' }],
    gcp: [{ project: 'shop-prod-123' }],
  },
  'test scopes',
);

describe('schedule sweep', () => {
  it('fans out one scope job per collection scope, more than one SQS batch when needed', async () => {
    const many = parseScopes({ aws: Array.from({ length: 12 }, (_, i) => ({ account: String(100000000000 + i), regions: ['eu-west-1'] })) }, 'many');
    const handle = createScheduleHandler({ queue: new SqsJobQueue(queues.sqs, queues.queueUrl), scopes: { ...scopes, aws: [...scopes.aws, ...many.aws] }, log: captureLog().log });
    const out = await handle({ kind: 'sweep', executionId: 'exec-2026-01-01', scheduledTime: '2026-01-01T02:00:00Z' });
    expect(out).toEqual({ jobs: 17 });
    const jobs = (await drain(queues.sqs, queues.queueUrl)).map((m) => parseJob(m.Body as string) as ScanScopeJob);
    expect(jobs).toHaveLength(17);
    const where = jobs.map((j) => `${j.cloud}/${j.account}/${j.region}`);
    expect(where).toEqual(
      expect.arrayContaining([
        'aws/111111111111/eu-west-1',
        'aws/111111111111/eu-central-1',
        'aws/222222222222/us-east-1',
        'azure/6a1f0c2e-4b7d-4e59-9c3a-2d8e5f7b1a90/',
        'gcp/shop-prod-123/',
        'aws/100000000011/eu-west-1',
      ]),
    );
    expect(new Set(jobs.map((j) => j.trigger.eventId))).toEqual(new Set(['exec-2026-01-01']));
    expect(jobs.every((j) => j.type === 'scan-scope' && j.trigger.source === 'schedule')).toBe(true);
  });

  it('refuses an input that is not a sweep (a deployment bug) and queues nothing', async () => {
    const handle = createScheduleHandler({ queue: new SqsJobQueue(queues.sqs, queues.queueUrl), scopes, log: captureLog().log });
    await expect(handle({ kind: 'nightly' })).rejects.toThrow(/schedule input is not a sweep event: kind/);
    expect(await drain(queues.sqs, queues.queueUrl)).toEqual([]);
  });
});

describe('scope configuration', () => {
  it('names the field that is wrong', () => {
    expect(() => parseScopes({ aws: [{ account: '12345', regions: ['eu-west-1'] }] }, 'POSTURE_SCOPES')).toThrow(/POSTURE_SCOPES is invalid: aws\.0\.account: expected a 12-digit account id/);
    expect(() => parseScopes({ aws: [{ account: '111111111111', regions: [] }] }, 'scopes')).toThrow(/aws\.0\.regions/);
    expect(() => parseScopes({ aws: [{ account: '111111111111', regions: ['eu-west-1'], roleArn: 'arn:aws:iam::999999999999:role/X' }] }, 'scopes')).toThrow(/roleArn must be in the account it scans/);
    expect(() => parseScopes({ azure: [{ subscription: 'not-a-uuid' }] }, 'scopes')).toThrow(/azure\.0\.subscription/);
  });

  it('lists exactly the configured roles as assumable', () => {
    expect(assumableRoles(scopes.aws)).toEqual(['arn:aws:iam::222222222222:role/PostureAudit']);
  });
});
