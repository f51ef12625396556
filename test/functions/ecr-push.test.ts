// The ECR EventBridge target against real SQS (moto): a successful push is one job keyed on
// account/region/repository/digest; scan-complete events refresh native data; anything else is
// ignored, and malformed events are parked on the dead-letter queue with the reason.
import type { EventBridgeEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dedupeKey, parseJob } from '../../core/jobs.ts';
import { createEcrPushHandler } from '../../functions/ecr-push.ts';
import { SqsJobQueue } from '../../functions/runtime/queue.ts';
import { startMoto, type MotoServer } from '../standins/moto.ts';
import { captureLog } from './support/logs.ts';
import { digestA, digestB, ecrBasicScan, ecrPush, inspectorScan } from './support/payloads.ts';
import { createQueues, drain, type Queues } from './support/sqs.ts';

let moto: MotoServer;
let queues: Queues;
const logs = captureLog();
let handle: ReturnType<typeof createEcrPushHandler>;

beforeAll(async () => {
  moto = await startMoto();
  queues = await createQueues(moto, 'ecr-scan');
  handle = createEcrPushHandler({ queue: new SqsJobQueue(queues.sqs, queues.queueUrl, queues.dlqUrl), log: logs.log });
});
afterAll(async () => moto?.stop());
beforeEach(() => logs.clear());

const asEvent = (e: Record<string, unknown>) => e as unknown as EventBridgeEvent<string, unknown>;
const queued = async () => (await drain(queues.sqs, queues.queueUrl)).map((m) => ({ job: parseJob(m.Body as string), attrs: m.MessageAttributes }));

describe('ECR Image Action', () => {
  it('queues one scan job for the pushed digest, with the ECR registry host of that account and region', async () => {
    expect(await handle(asEvent(ecrPush()))).toEqual({ outcome: 'queued', jobs: 1 });
    const [msg, ...rest] = await queued();
    expect(rest).toEqual([]);
    expect(msg?.job).toEqual({
      v: 1,
      type: 'scan-image',
      cloud: 'aws',
      account: '123456789012',
      region: 'us-west-2',
      image: { registry: '123456789012.dkr.ecr.us-west-2.amazonaws.com', repository: 'my-repository-name', digest: digestA, tag: 'latest' },
      trigger: { source: 'ecr-push', eventId: '13cde686-328b-6117-af20-0e5566167482', at: '2019-11-16T01:54:34Z' },
    });
    expect(msg?.attrs?.dedupeKey?.StringValue).toBe(`image:aws/123456789012/us-west-2/123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name@${digestA}`);
  });

  it('gives a redelivered event and a second event for the same digest the same dedupe key', async () => {
    await handle(asEvent(ecrPush()));
    await handle(asEvent(ecrPush({ 'image-tag': 'v1.2.3' }, { id: 'another-event-id' })));
    const keys = (await queued()).map((m) => dedupeKey(m.job));
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
  });

  it('accepts a digest-only push (no image-tag)', async () => {
    const event = ecrPush();
    delete (event.detail as Record<string, unknown>)['image-tag'];
    await handle(asEvent(event));
    const [msg] = await queued();
    expect(msg?.job.type === 'scan-image' && msg.job.image.tag).toBeNull();
  });

  it.each([
    ['a delete', { 'action-type': 'DELETE' }],
    ['a failed push', { result: 'FAILURE' }],
  ])('ignores %s', async (_name, detail) => {
    const out = await handle(asEvent(ecrPush(detail)));
    expect(out.outcome).toBe('ignored');
    expect(await queued()).toEqual([]);
  });

  it('ignores detail-types it does not handle', async () => {
    const out = await handle(asEvent(ecrPush({}, { 'detail-type': 'ECR Replication Action' })));
    expect(out).toMatchObject({ outcome: 'ignored', reason: expect.stringContaining('ECR Replication Action') });
  });
});

describe('scan completion events', () => {
  it('turns an ECR basic scan into a native-data refresh with the severity counts', async () => {
    await handle(asEvent(ecrBasicScan()));
    const [msg] = await queued();
    expect(msg?.job).toMatchObject({
      type: 'refresh-native-scan',
      scanner: 'ecr-basic',
      account: '123456789012',
      region: 'us-east-1',
      repository: 'my-repository-name',
      digest: digestA,
      status: 'COMPLETE',
      severityCounts: { CRITICAL: 10, MEDIUM: 9 },
    });
  });

  it('reads the repository name out of the ARN Inspector puts in repository-name', async () => {
    await handle(asEvent(inspectorScan()));
    const [msg] = await queued();
    expect(msg?.job).toMatchObject({ type: 'refresh-native-scan', scanner: 'inspector2', account: '111122223333', repository: 'inspector2', digest: digestB, severityCounts: { TOTAL: 0 } });
  });

  it('ignores the EC2/Lambda variant of Inspector2 Scan, which has no image digest', async () => {
    const event = inspectorScan();
    delete (event.detail as Record<string, unknown>)['image-digest'];
    expect((await handle(asEvent(event))).outcome).toBe('ignored');
    expect(await queued()).toEqual([]);
  });
});

describe('malformed events', () => {
  it.each([
    ['missing digest', ecrPush({ 'image-digest': undefined }), /image-digest/],
    ['digest of the wrong type', ecrPush({ 'image-digest': 12345 }), /image-digest/],
    ['a non-numeric account', ecrPush({}, { account: 'root' }), /account: expected a 12-digit account id/],
    ['a repository name with a path traversal', ecrPush({ 'repository-name': '../etc' }), /repository-name/],
    ['an Inspector event with a name instead of an ARN', inspectorScan({ 'repository-name': 'inspector2' }), /expected an ECR repository ARN/],
    ['no detail-type', { source: 'aws.ecr', detail: {} }, /detail-type/],
  ])('parks %s on the dead-letter queue with the reason, and queues no job', async (_name, event, reason) => {
    const out = await handle(asEvent(event as Record<string, unknown>));
    expect(out.outcome).toBe('rejected');
    expect(out.reason).toMatch(reason);
    expect(await queued()).toEqual([]);
    const parked = await drain(queues.sqs, queues.dlqUrl);
    expect(parked).toHaveLength(1);
    expect(JSON.parse(parked[0]?.Body as string)).toEqual(event);
    expect(parked[0]?.MessageAttributes?.rejectedBecause?.StringValue).toMatch(reason);
    expect(logs.lines().find((l) => l.msg === 'ECR event rejected')?.reason).toMatch(reason);
  });
});
