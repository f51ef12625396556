// The production collectors behind the worker, against moto (STS, ECR, ECS, EKS, SQS, DynamoDB) and real
// distribution registries on loopback: an AWS scope job records its configuration assets and fans out one
// image job per ECR image; image jobs pull with credentials chosen by registry host (ECR token from moto,
// ACR refresh-token exchange, Google access token; anonymous elsewhere); an ECR scan-complete event
// refreshes the image's native findings from DescribeImageScanFindings.
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { PutImageCommand, StartImageScanCommand } from '@aws-sdk/client-ecr';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ImageAsset } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import { parseJob, policyDigestOf, type Job, type NativeScanJob, type ScanImageJob, type ScanScopeJob, type Trigger } from '../../core/jobs.ts';
import { DynamoStateStore } from '../../core/state/dynamodb.ts';
import { DynamoLedger } from '../../functions/runtime/ledger.ts';
import { providerCollectors, type ProviderCollectorOptions } from '../../functions/runtime/provider-collectors.ts';
import { SqsJobQueue } from '../../functions/runtime/queue.ts';
import { S3InventoryCache } from '../../functions/runtime/inventory-cache.ts';
import { startFaultProxy } from '../oci/support/fault-proxy.ts';
import { StateRecorder } from '../../functions/runtime/recorder.ts';
import { scopesFromEnv } from '../../functions/runtime/scopes.ts';
import { roleSettings } from '../../providers/aws/collector.ts';
import { parseEcrHost } from '../../providers/aws/ecr-host.ts';
import { registryKindOf } from '../../providers/registry-access.ts';
import { createWorkerHandler, type WorkerDeps } from '../../functions/worker.ts';
import { Engine } from '../../policies/engine.ts';
import { acrScope } from '../../providers/azure/index.ts';
import { TestTenantCredential } from '../azure/support/test-tenant-credential.ts';
import { startAcrFront, type AcrFront } from '../azure/support/acr-front.ts';
import { craneFor } from '../oci/support/crane.ts';
import { debianSpec } from '../oci/support/fixtures.ts';
import { writeLayout } from '../oci/support/layout-writer.ts';
import * as grpc from '@grpc/grpc-js';
import { startGrafeasStandIn, type GrafeasStandIn } from '../standins/grafeas-grpc.ts';
import { startRegistry, type RunningRegistry } from '../oci/support/registry-server.ts';
import { startTokenServer, type TokenServer } from '../oci/support/token-server.ts';
import { freePort } from '../standins/free-port.ts';
import { motoCredentials, startMoto, type MotoServer } from '../standins/moto.ts';
import { startAwsProxy } from '../aws/support/aws-proxy.ts';
import { MotoGaps } from '../aws/support/moto-gaps.ts';
import { captureLog } from './support/logs.ts';
import { createQueues, drain, toSqsEvent, type Queues } from './support/sqs.ts';

const account = '123456789012';
const region = 'eu-west-1';
const ecrHost = `${account}.dkr.ecr.${region}.amazonaws.com`;
const acrHost = 'shopdemo.azurecr.io';
const arHost = 'europe-west1-docker.pkg.dev';
const googleToken = 'ya29.test-google-access-token';
const acrAadToken = 'acr-audience-token';

let moto: MotoServer;
let basic: RunningRegistry; // htpasswd: the ECR token pair and oauth2accesstoken
let acr: { front: AcrFront; tokens: TokenServer; registry: RunningRegistry };
let work: string;
let digest: string;
let engine: Engine;
let queues: Queues;
let store: DynamoStateStore;
let deps: WorkerDeps;
// Artifact Analysis for the Artifact Registry image: a loopback Grafeas with no occurrences (no evidence).
let grafeas: GrafeasStandIn;
let tableNo = 0;
const logs = captureLog();

const trigger = (eventId: string, source: Trigger['source'] = 'schedule'): Trigger => ({ source, eventId, at: '2026-06-01T00:00:00Z' });
const scopeJob = (eventId: string): ScanScopeJob => ({ v: 1, type: 'scan-scope', cloud: 'aws', account, region, trigger: trigger(eventId) });
const endpointsVia = (endpoint: string) => ({ sts: endpoint, ec2: endpoint, organizations: endpoint, ecr: endpoint, ecs: endpoint, eks: endpoint });

function collectorOptions(overrides: { endpoints?: Record<string, string> } = {}): ProviderCollectorOptions {
  return {
    registryEndpoints: { [ecrHost]: basic.host, [arHost]: basic.host, [acrHost]: acr.front.host, 'registry.example.com': basic.host },
    insecureHosts: [basic.host, acr.front.host],
    settings: { aws: { homeRegion: region, endpoints: { ...endpointsVia(moto.endpoint), ...overrides.endpoints }, imagesPerRepository: 2, maxAttempts: 1 } },
    access: { aws: { credentials: motoCredentials }, azure: { credential: new TestTenantCredential({ [acrScope]: acrAadToken }) } },
    now: () => new Date('2026-06-01T00:00:00Z'),
  };
}

async function worker(options: ProviderCollectorOptions = collectorOptions()) {
  return createWorkerHandler({ ...deps, collectors: providerCollectors(options) });
}

async function run(options: ProviderCollectorOptions, ...jobs: Job[]) {
  for (const job of jobs) await queues.sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: JSON.stringify(job) }));
  const messages = await drain(queues.sqs, queues.queueUrl);
  return { messages, out: await (await worker(options))(toSqsEvent(messages, queues.queueArn)) };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'posture-provider-collectors-'));
  moto = await startMoto({ region });
  grafeas = await startGrafeasStandIn({ occurrences: {} });
  // moto's GetAuthorizationToken answers base64("AWS:<account>-auth-token"): only that pair (or the Google token) may pull.
  basic = await startRegistry({ kind: 'htpasswd', users: { AWS: `${account}-auth-token`, oauth2accesstoken: googleToken, pusher: 'push-secret' } });
  const crane = await craneFor(basic.host, 'pusher', 'push-secret');
  await writeLayout(join(work, 'debian'), await debianSpec());
  await crane('push', join(work, 'debian'), `${basic.host}/shop/api:1.0`);
  digest = await crane('digest', `${basic.host}/shop/api:1.0`);
  await crane('copy', `${basic.host}/shop/api@${digest}`, `${basic.host}/shop-prod-123/images/api:1.0`);
  const manifest = await crane('manifest', `${basic.host}/shop/api:1.0`);

  // ACR's layout: a login server whose /oauth2/* is the token service, in front of a token-auth registry.
  const front = await startAcrFront();
  const tokens = await startTokenServer({ dir: work, users: { pusher: 'push-secret' }, accessTokens: [acrAadToken] });
  const registry = await startRegistry({ kind: 'token', realm: `http://${front.host}/oauth2/token`, service: tokens.service, issuer: tokens.issuer, rootCertBundle: tokens.certFile });
  front.route({ registry: registry.host, tokens: new URL(tokens.url).host });
  acr = { front, tokens, registry };
  await (await craneFor(front.host, 'pusher', 'push-secret'))('push', join(work, 'debian'), `${front.host}/shop/api:1.0`);

  const { ECRClient, CreateRepositoryCommand } = await import('@aws-sdk/client-ecr');
  const ecr = new ECRClient(moto.clientConfig);
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'shop/api' }));
  await ecr.send(new PutImageCommand({ repositoryName: 'shop/api', imageManifest: manifest, imageManifestMediaType: JSON.parse(manifest).mediaType, imageTag: '1.0', imageDigest: digest }));
  await ecr.send(new StartImageScanCommand({ repositoryName: 'shop/api', imageId: { imageDigest: digest } }));
  engine = await Engine.load({ config: parseConfig({}), now: new Date('2026-06-01T00:00:00Z') });
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([moto?.stop(), grafeas?.stop(), basic?.stop(), acr?.front.stop(), acr?.tokens.stop(), acr?.registry.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

beforeEach(async () => {
  logs.clear();
  tableNo += 1;
  queues = await createQueues(moto, `collectors-${tableNo}`);
  const db = new DynamoDBClient(moto.clientConfig);
  const ledgerTable = `collectors-ledger-${tableNo}`;
  await db.send(new CreateTableCommand({ TableName: ledgerTable, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
  await db.send(new UpdateTimeToLiveCommand({ TableName: ledgerTable, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
  store = new DynamoStateStore({ tableName: `collectors-state-${tableNo}`, client: db });
  await store.ensureTable();
  deps = {
    queue: new SqsJobQueue(queues.sqs, queues.queueUrl, queues.dlqUrl),
    ledger: new DynamoLedger(db, ledgerTable, { leaseSeconds: 600, retainSeconds: 86_400 }),
    engine,
    policyDigest: policyDigestOf(engine.bundleDigest, {}),
    collectors: providerCollectors(),
    recorder: new StateRecorder(store, () => ({ targets: ['jira'] })),
    concurrency: 2,
    log: logs.log,
  };
});

const imageJob = (registry: string, repository = 'shop/api', cloud: ScanImageJob['cloud'] = 'aws'): ScanImageJob => ({
  v: 1,
  type: 'scan-image',
  cloud,
  account: cloud === 'aws' ? account : '',
  region: cloud === 'aws' ? region : '',
  trigger: trigger(`push-${registry}`, 'ecr-push'),
  image: { registry, repository, digest, tag: null },
});

describe('AWS scope jobs', () => {
  it('record the scope\'s configuration assets and queue one scan-image job per ECR image, without pulling', async () => {
    const { out } = await run(collectorOptions(), scopeJob('sweep-1'));
    expect(out.batchItemFailures).toEqual([]);
    const repoId = `aws://${account}/${region}/ecr/repository/shop/api`;
    const records = await store.listByAsset(repoId);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.status === 'open' && r.lastScanId.length > 0)).toBe(true);
    // The image is not pulled by the scope job: nothing is recorded for it yet, one job carries it.
    expect(await store.listByAsset(`oci://${ecrHost}/shop/api@${digest}`)).toEqual([]);
    const fanned = (await drain(queues.sqs, queues.queueUrl)).map((m) => parseJob(m.Body as string));
    expect(fanned).toEqual([
      { v: 1, type: 'scan-image', cloud: 'aws', account, region, trigger: { source: 'scope', eventId: 'sweep-1', at: '2026-06-01T00:00:00Z' }, image: { registry: ecrHost, repository: 'shop/api', digest, tag: '1.0' } },
    ]);
    // The repository and the registry's own settings; moto 5.2.5 lacks DescribePullThroughCacheRules, a recorded gap.
    expect(logs.lines().find((l) => l.msg === 'scope recorded; image jobs queued')).toMatchObject({ assets: 2, collectionErrors: 1, imageJobs: 1 });
    expect(logs.lines().find((l) => l.msg === 'scope collected with errors')).toMatchObject({ errors: [{ source: `aws/${account}/${region}/ecr/registry/pull-through-cache-rules` }] });
  });

  it('record what could be read and count what could not, when one service of the scope fails', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const { out } = await run(collectorOptions({ endpoints: { ecs: closed } }), scopeJob('sweep-2'));
    expect(out.batchItemFailures).toEqual([]);
    expect((await store.listByAsset(`aws://${account}/${region}/ecr/repository/shop/api`)).length).toBeGreaterThan(0);
    const warned = logs.lines().find((l) => l.msg === 'scope collected with errors');
    expect(warned).toMatchObject({ collectionErrors: 2, errors: [{ source: `aws/${account}/${region}/ecr/registry/pull-through-cache-rules` }, { source: `aws/${account}/${region}/ecs` }] });
    expect(logs.lines().find((l) => l.msg === 'scope recorded; image jobs queued')).toMatchObject({ collectionErrors: 2, imageJobs: 1 });
  });

  it('resolve what a region no longer has only where the sweep read the region without errors', async () => {
    const { ECRClient, CreateRepositoryCommand, DeleteRepositoryCommand } = await import('@aws-sdk/client-ecr');
    const regions = ['eu-west-1', 'eu-central-1'];
    const ecr = (r: string) => new ECRClient({ ...moto.clientConfig, region: r });
    for (const r of regions) await ecr(r).send(new CreateRepositoryCommand({ repositoryName: 'legacy/batch' }));
    await ecr('eu-central-1').send(new CreateRepositoryCommand({ repositoryName: 'central/keep' }));
    const legacy = (r: string) => `aws://${account}/${r}/ecr/repository/legacy/batch`;
    // moto 5.2.5 lacks DescribePullThroughCacheRules, which would leave every region partial; the gap
    // fill answers it as the ECR API reference describes, so eu-west-1 can be read whole.
    const filled = await startAwsProxy({ target: moto.endpoint, gaps: new MotoGaps() });
    const whole = () => collectorOptions({ endpoints: { ecr: filled.endpoint } });
    const sweep = async (eventId: string, r: string, options = whole()) => {
      const { out } = await run(options, { ...scopeJob(eventId), region: r });
      expect(out.batchItemFailures).toEqual([]);
      await drain(queues.sqs, queues.queueUrl); // image jobs fanned out: not this test's business
    };
    for (const r of regions) await sweep(`sweep-a-${r}`, r);
    for (const r of regions) {
      const records = await store.listByAsset(legacy(r));
      expect(records.length).toBeGreaterThan(0);
      expect(records.every((x) => x.status === 'open')).toBe(true);
    }

    // The repository is deleted in both regions. The next sweep reads eu-west-1 whole, but ECS in
    // eu-central-1 does not answer: that region's collection is partial.
    for (const r of regions) await ecr(r).send(new DeleteRepositoryCommand({ repositoryName: 'legacy/batch', force: true }));
    await sweep('sweep-b-eu-west-1', 'eu-west-1');
    const closed = `http://127.0.0.1:${await freePort()}`;
    await sweep('sweep-b-eu-central-1', 'eu-central-1', collectorOptions({ endpoints: { ecr: filled.endpoint, ecs: closed } }));
    await filled.stop();

    const west = await store.listByAsset(legacy('eu-west-1'));
    expect(west.every((x) => x.status === 'resolved' && x.resolution?.reason === 'no-longer-present' && x.resolution.scope === `aws/${account}/eu-west-1`)).toBe(true);
    const central = await store.listByAsset(legacy('eu-central-1'));
    expect(central.length).toBeGreaterThan(0);
    expect(central.every((x) => x.status === 'open')).toBe(true);
    // The repository that still exists in eu-west-1 keeps its findings open.
    expect((await store.listByAsset(`aws://${account}/eu-west-1/ecr/repository/shop/api`)).every((x) => x.status === 'open')).toBe(true);
    const summaries = logs.lines().filter((l) => l.msg === 'scope recorded; image jobs queued');
    expect(summaries.at(-2)).toMatchObject({ scope: `aws/${account}/eu-west-1`, completion: 'complete', removedAssets: 1 });
    expect(summaries.at(-1)).toMatchObject({ scope: `aws/${account}/eu-central-1`, completion: 'partial', removedAssets: 0 });
  });

  it('fail as a whole (SQS retries, then dead-letters) when the worker cannot even establish its identity', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const { messages, out } = await run(collectorOptions({ endpoints: { sts: closed } }), scopeJob('sweep-3'));
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: messages[0]?.MessageId }]);
    expect(logs.text()).toMatch(/cannot read the caller's AWS identity/);
    expect(await drain(queues.sqs, queues.dlqUrl)).toEqual([]); // not parked: a retry may succeed
  });

  it('take the role the deployment\'s scopes name for the account', () => {
    expect(roleSettings('arn:aws:iam::222222222222:role/security/PostureAudit')).toEqual({ rolePath: '/security/', roleName: 'PostureAudit' });
    expect(roleSettings('arn:aws:iam::222222222222:role/PostureAudit')).toEqual({ rolePath: '/', roleName: 'PostureAudit' });
    const deployment = scopesFromEnv({ POSTURE_SCOPES: JSON.stringify({ aws: [{ account: '222222222222', roleArn: 'arn:aws:iam::222222222222:role/PostureAudit', regions: ['eu-west-1'] }, { account: '111111111111', regions: ['eu-west-1'] }] }) }, 'POSTURE_SCOPES');
    expect(deployment.aws.map((a) => a.roleArn)).toEqual(['arn:aws:iam::222222222222:role/PostureAudit', undefined]);
    expect(() => scopesFromEnv({ POSTURE_SCOPES: '{"aws":[{"account":"12"}]}' }, 'POSTURE_SCOPES')).toThrow(/POSTURE_SCOPES is invalid: aws\.0\.account: expected a 12-digit account id/);
    expect(() => scopesFromEnv({ POSTURE_SCOPES: '{nope' }, 'POSTURE_SCOPES')).toThrow(/POSTURE_SCOPES is not JSON/);
  });
});

describe('image jobs pull with credentials chosen by registry host', () => {
  it('names the credential source for each kind of registry host', () => {
    expect(registryKindOf(ecrHost)).toBe('ecr');
    expect(registryKindOf(`${account}.dkr.ecr-fips.us-east-1.amazonaws.com`)).toBe('ecr');
    expect(parseEcrHost(`${account}.dkr.ecr.cn-north-1.amazonaws.com.cn`)).toEqual({ account, region: 'cn-north-1', partition: 'aws-cn' });
    expect(registryKindOf(acrHost)).toBe('acr');
    expect(registryKindOf(arHost)).toBe('google');
    expect(registryKindOf('gcr.io')).toBe('google');
    expect(registryKindOf('eu.gcr.io')).toBe('google');
    expect(registryKindOf('registry-1.docker.io')).toBe('anonymous');
    expect(registryKindOf(`${account}.dkr.ecr.${region}.amazonaws.com.evil.example`)).toBe('anonymous');
  });

  it('ECR: GetAuthorizationToken under the worker\'s role; Artifact Registry: a Google access token; ACR: the refresh-token exchange', async () => {
    const jobs = [imageJob(ecrHost), imageJob(arHost, 'shop-prod-123/images/api', 'gcp'), imageJob(acrHost, 'shop/api', 'azure')];
    const options = collectorOptions();
    options.access = {
      ...options.access,
      gcp: {
        authClient: { getAccessToken: async () => ({ token: googleToken }) } as never,
        clientOptions: { containerAnalysis: { apiEndpoint: '127.0.0.1', port: grafeas.port, sslCreds: grpc.credentials.createInsecure() } },
      },
    };
    const { out } = await run(options, ...jobs);
    expect(out.batchItemFailures).toEqual([]);
    // The pulled Artifact Registry image was looked up in Artifact Analysis by its own resource URL.
    expect(grafeas.requests.map((r) => r.filter)).toContain(`kind="VULNERABILITY" AND resourceUrl="https://${arHost}/shop-prod-123/images/api@${digest}"`);
    for (const id of [`oci://${ecrHost}/shop/api@${digest}`, `oci://${arHost}/shop-prod-123/images/api@${digest}`, `oci://${acrHost}/shop/api@${digest}`]) {
      const records = await store.listByAsset(id);
      expect(records.length, id).toBeGreaterThan(0);
    }
    // ACR: the Entra token was traded at the login server's /oauth2/exchange, then redeemed per scope.
    expect(acr.tokens.requests.some((r) => r.path === '/oauth2/exchange' && r.ok)).toBe(true);
    expect(acr.tokens.requests.some((r) => r.grant === 'refresh_token' && r.ok)).toBe(true);
  });

  it('any other host is pulled anonymously: a registry that wants credentials refuses it and the job is retried', async () => {
    const { messages, out } = await run(collectorOptions(), imageJob('registry.example.com'));
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: messages[0]?.MessageId }]);
    expect(logs.text()).toMatch(/401|unauthori[sz]ed/i);
  });
});

describe('native scan refresh', () => {
  const nativeJob: NativeScanJob = {
    v: 1,
    type: 'refresh-native-scan',
    cloud: 'aws',
    account,
    region,
    trigger: trigger('ecr-scan-1', 'ecr-scan'),
    scanner: 'ecr-basic',
    repository: 'shop/api',
    digest,
    status: 'COMPLETE',
    severityCounts: { HIGH: 1 },
  };

  it('reads DescribeImageScanFindings and keeps it on the image asset as raw.nativeScan', async () => {
    const collected = await providerCollectors(collectorOptions()).collect({ ...nativeJob, digest });
    expect(collected.errors).toEqual([]);
    const [image] = collected.assets as ImageAsset[];
    expect(image?.id).toBe(`oci://${ecrHost}/shop/api@${digest}`);
    expect(image?.raw.nativeScan).toMatchObject({
      scanner: 'ecr-basic',
      eventStatus: 'COMPLETE',
      status: 'COMPLETE',
      truncated: false,
      findings: expect.arrayContaining([{ id: 'CVE-9999-9999', severity: 'HIGH', uri: expect.stringContaining('CVE-9999-9999') }]),
    });
    expect(typeof (image?.raw.nativeScan as { completedAt?: unknown }).completedAt).toBe('string');
    // moto's scan finding, normalized for REG-002 (the worker matched nothing itself, so it is kept).
    expect(image?.image.nativeVulnerabilities).toEqual(expect.arrayContaining([expect.objectContaining({ scanner: 'ecr-basic', id: 'CVE-9999-9999', severity: 'high' })]));
  });

  it('through the worker: the refresh is recorded once and a redelivery changes nothing', async () => {
    const first = await run(collectorOptions(), { ...nativeJob, digest });
    expect(first.out.batchItemFailures).toEqual([]);
    const records = await store.listByAsset(`oci://${ecrHost}/shop/api@${digest}`);
    expect(records.length).toBeGreaterThan(0);
    const again = await run(collectorOptions(), { ...nativeJob, digest });
    expect(again.out.batchItemFailures).toEqual([]);
    expect(await store.listByAsset(`oci://${ecrHost}/shop/api@${digest}`)).toEqual(records);
  });

  it('re-evaluates the image from the inventory its image job kept, reading manifest and config but no layer', async () => {
    const { CreateBucketCommand, S3Client } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({ ...moto.clientConfig, forcePathStyle: true });
    const bucket = `inventory-${tableNo}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: region } }));
    const proxy = await startFaultProxy(basic, {});
    try {
      const options = (inventory: S3InventoryCache): ProviderCollectorOptions => {
        const o = collectorOptions();
        return { ...o, registryEndpoints: { ...o.registryEndpoints, [ecrHost]: proxy.host }, insecureHosts: [...(o.insecureHosts ?? []), proxy.host], inventory };
      };
      const inventory = new S3InventoryCache(s3, bucket);
      const layerHits = () => [...proxy.hits].filter(([p]) => p.startsWith('/v2/shop/api/blobs/') && layers.includes(p.slice(p.lastIndexOf('/') + 1))).reduce((n, [, c]) => n + c, 0);
      const manifest = JSON.parse(await (await craneFor(basic.host, 'pusher', 'push-secret'))('manifest', `${basic.host}/shop/api@${digest}`)) as { layers: { digest: string }[] };
      const layers = manifest.layers.map((l) => l.digest);

      const [analysed] = (await providerCollectors(options(inventory)).collect(imageJob(ecrHost))).assets as ImageAsset[];
      expect(layerHits()).toBeGreaterThanOrEqual(layers.length);
      const before = layerHits();

      const [refreshed] = (await providerCollectors(options(inventory)).collect({ ...nativeJob, digest })).assets as ImageAsset[];
      expect(layerHits()).toBe(before);
      expect((refreshed?.raw.nativeScan as { inventory?: string }).inventory).toBe('cached');
      // The same inventory as the analysis made, the config read afresh, the registry's findings attached.
      expect(refreshed?.image.contents).toEqual(analysed?.image.contents);
      expect(refreshed?.image.config).toEqual(analysed?.image.config);
      expect(refreshed?.image.nativeVulnerabilities).toEqual(expect.arrayContaining([expect.objectContaining({ scanner: 'ecr-basic', id: 'CVE-9999-9999' })]));

      // Evaluated through the worker, the kept inventory is matched like a fresh analysis: same package count.
      const withDb = { ...deps, collectors: providerCollectors(options(inventory)), vulnerabilities: { current: async () => ({ unavailable: 'no database in this test' }) } };
      const handler = createWorkerHandler(withDb);
      await queues.sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: JSON.stringify({ ...nativeJob, digest, trigger: trigger('ecr-scan-2', 'ecr-scan') }) }));
      expect((await handler(toSqsEvent(await drain(queues.sqs, queues.queueUrl), queues.queueArn))).batchItemFailures).toEqual([]);
      expect(layerHits()).toBe(before);

      // Without a kept inventory (another bucket: nothing there) the native job analyses the layers itself.
      const empty = `inventory-empty-${tableNo}`;
      await s3.send(new CreateBucketCommand({ Bucket: empty, CreateBucketConfiguration: { LocationConstraint: region } }));
      const [fresh] = (await providerCollectors(options(new S3InventoryCache(s3, empty))).collect({ ...nativeJob, digest })).assets as ImageAsset[];
      expect((fresh?.raw.nativeScan as { inventory?: string }).inventory).toBe('analysed');
      expect(layerHits()).toBeGreaterThan(before);
      expect(fresh?.image.contents).toEqual(analysed?.image.contents);
    } finally {
      await proxy.stop();
    }
  });

  it('names the image when ECR has no scan for it', async () => {
    const { ECRClient, CreateRepositoryCommand } = await import('@aws-sdk/client-ecr');
    await new ECRClient(moto.clientConfig).send(new CreateRepositoryCommand({ repositoryName: 'shop/unscanned' })).catch(() => undefined);
    await expect(providerCollectors(collectorOptions()).collect({ ...nativeJob, repository: 'shop/unscanned' })).rejects.toThrow(/shop\/unscanned|ImageNotFound|ScanNotFound/);
  });
});
