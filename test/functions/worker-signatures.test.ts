// The cloud path judges signatures too: the Lambda worker, wired exactly as in Lambda (functions/runtime/
// wiring/worker.ts reading posture.yaml from POSTURE_CONFIG_FILE, SQS and DynamoDB on moto), pulls images
// from a real registry that real cosign signed, and records IMG-007 as `posture scan` would. Each verdict is
// checked against `cosign verify` on the same image and key; a pass is shown to be a judged pass (IMG-007
// applicable and not "not evaluated"), never a rule that was skipped.
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageAsset } from '../../core/asset.ts';
import type { Job } from '../../core/jobs.ts';
import type { ScanResult } from '../../core/scan.ts';
import { DynamoStateStore } from '../../core/state/dynamodb.ts';
import { envNames } from '../../functions/runtime/env.ts';
import { workerDepsFromEnv } from '../../functions/runtime/wiring/worker.ts';
import { createWorkerHandler } from '../../functions/worker.ts';
import { craneFor, type Crane } from '../oci/support/crane.ts';
import { startRegistry, type RunningRegistry } from '../oci/support/registry-server.ts';
import { startMoto, type MotoServer } from '../standins/moto.ts';
import { cosignFor, type Cosign, type CosignKeyPair } from '../supply-chain/support/cosign.ts';
import { pushOneFileImage } from '../supply-chain/support/signing-lab.ts';
import { createQueues, drain, toSqsEvent, type Queues } from './support/sqs.ts';

let moto: MotoServer;
let registry: RunningRegistry;
let crane: Crane;
let cosign: Cosign;
let trusted: CosignKeyPair;
let other: CosignKeyPair;
let queues: Queues;
let work: string;
let stateTable: string;
const savedEnv = { ...process.env };

const pushImage = (repository: string, content: string) => pushOneFileImage(crane, registry.host, work, repository, content);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'posture-worker-sigs-'));
  [moto, registry, cosign] = await Promise.all([startMoto(), startRegistry({ kind: 'none' }), cosignFor()]);
  crane = await craneFor(registry.host);
  [trusted, other] = await Promise.all([cosign.generateKeyPair(), cosign.generateKeyPair()]);
  // The SDK clients the wiring makes (`new DynamoDBClient({})`) find moto the way Lambda's find AWS: from the environment.
  Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: moto.clientConfig.region, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
  delete process.env.AWS_PROFILE;
  queues = await createQueues(moto, 'worker-signatures');
  const db = new DynamoDBClient(moto.clientConfig);
  await db.send(new CreateTableCommand({ TableName: 'ledger', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
  await db.send(new UpdateTimeToLiveCommand({ TableName: 'ledger', TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
  stateTable = 'state';
  await new DynamoStateStore({ tableName: stateTable, client: db }).ensureTable();
}, 180_000);

afterAll(async () => {
  process.env = savedEnv;
  await Promise.allSettled([moto?.stop(), registry?.stop()]);
});

/** The worker as Lambda builds it from its environment, with the recorder observed so the scan can be read back. */
async function worker(configLines: string[]) {
  const configFile = join(await mkdtemp(join(work, 'config-')), 'posture.yaml');
  await writeFile(configFile, configLines.join('\n'));
  const env = { [envNames.configFile]: configFile, [envNames.queueUrl]: queues.queueUrl, [envNames.deadLetterUrl]: queues.dlqUrl, [envNames.ledgerTable]: 'ledger', [envNames.stateTable]: stateTable };
  const deps = await workerDepsFromEnv(env, { insecureHosts: [registry.host] });
  const scans: ScanResult[] = [];
  const handle = createWorkerHandler({ ...deps, recorder: { record: (scan, job, digest) => (scans.push(scan), deps.recorder.record(scan, job, digest)) } });
  const run = async (repository: string, digest: string, eventId: string) => {
    const job: Job = { v: 1, type: 'scan-image', cloud: 'aws', account: '123456789012', region: 'eu-west-1', trigger: { source: 'schedule', eventId, at: '2026-11-26T00:00:00Z' }, image: { registry: registry.host, repository, digest, tag: 'v1' } };
    await queues.sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: JSON.stringify(job) }));
    const response = await handle(toSqsEvent(await drain(queues.sqs, queues.queueUrl), queues.queueArn));
    expect(response.batchItemFailures).toEqual([]);
    const scan = scans.at(-1)!;
    const image = scan.assets.find((a): a is ImageAsset => a.kind === 'image')!;
    const outcome = scan.outcomes.find((o) => o.assetId === image.id)!;
    const records = await new DynamoStateStore({ tableName: stateTable, clientConfig: moto.clientConfig }).listByAsset(image.id);
    return { image, outcome, finding: scan.findings.find((f) => f.ruleId === 'IMG-007'), record: records.find((r) => r.ruleId === 'IMG-007') };
  };
  return { run };
}

const policy = (keyFile: string) => ['supplyChain:', '  policies:', '    - name: release', `      match: ["${registry.host}/app/**"]`, '      cosign:', `        keys: [{ name: release, file: ${keyFile} }]`];

describe('the Lambda worker checks signatures under the deployed posture.yaml', () => {
  it('passes an image cosign signed with the trusted key, fails unsigned and other-key images, and records the failures', async () => {
    const signed = await pushImage('app/signed', 'signed');
    const unsigned = await pushImage('app/unsigned', 'unsigned');
    const otherKey = await pushImage('app/other-key', 'other key');
    await cosign.sign(`${registry.host}/app/signed@${signed}`, trusted, 'bundle');
    await cosign.sign(`${registry.host}/app/other-key@${otherKey}`, other, 'legacy');
    // cosign's own verdicts under the trusted key: what the worker must agree with.
    expect((await cosign.verify(`${registry.host}/app/signed@${signed}`, trusted)).ok).toBe(true);
    expect((await cosign.verify(`${registry.host}/app/unsigned@${unsigned}`, trusted)).ok).toBe(false);
    expect((await cosign.verify(`${registry.host}/app/other-key@${otherKey}`, trusted)).ok).toBe(false);

    const { run } = await worker(policy(trusted.publicKey));
    const pass = await run('app/signed', signed, 'sig-1');
    expect(pass.image.image.signatures).toEqual([expect.objectContaining({ verified: true, signer: { kind: 'key', key: 'release' } })]);
    expect(pass.outcome.applicable).toContain('IMG-007');
    expect(pass.outcome.notEvaluated.map((n) => n.ruleId)).not.toContain('IMG-007');
    expect(pass.outcome.failed).not.toContain('IMG-007');
    expect(pass.finding).toBeUndefined();

    const none = await run('app/unsigned', unsigned, 'sig-2');
    expect(none.outcome.failed).toContain('IMG-007');
    expect(none.finding?.message).toContain('has no signature (policy release');
    expect(none.record).toMatchObject({ ruleId: 'IMG-007' });

    const wrong = await run('app/other-key', otherKey, 'sig-3');
    expect(wrong.outcome.failed).toContain('IMG-007');
    expect(wrong.finding?.message).toMatch(/untrusted-key/);
    expect(wrong.record).toMatchObject({ ruleId: 'IMG-007' });
  });

  it('leaves IMG-007 not evaluated, never passed, when the deployed posture.yaml has no policy for the image', async () => {
    const digest = await pushImage('app/uncovered', 'uncovered');
    const { run } = await worker(['supplyChain:', '  policies:', '    - name: elsewhere', '      match: ["ghcr.io/acme/**"]', '      cosign:', `        keys: [{ name: release, file: ${trusted.publicKey} }]`]);
    const result = await run('app/uncovered', digest, 'sig-4');
    expect(result.outcome.notEvaluated.map((n) => n.ruleId)).toContain('IMG-007');
    expect(result.finding).toBeUndefined();
  });
});
