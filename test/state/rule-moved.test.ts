// A rule can move to another kind of asset: ECS-014 (Container Insights) and ECS-015 (ECS Exec) were judged
// on each ECS service through its cluster and are now judged once on the cluster asset. A deployment that
// recorded them on services must see those records resolved by the next scan (the rule no longer applies
// there, a verdict), and the finding open once on the cluster: no ticket left open for ever, no duplicate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf, evidenceHashOf, type Finding } from '../../core/finding.ts';
import { recordScan } from '../../core/lifecycle.ts';
import { parseConfig } from '../../core/config.ts';
import { recordScanResult } from '../../core/record-result.ts';
import { scanAssets } from '../../core/scan.ts';
import { ManualClock } from '../../core/state/clock.ts';
import type { StateStore } from '../../core/state/store.ts';
import { Engine } from '../../policies/engine.ts';
import { normalizeEcsCluster } from '../../providers/aws/normalize/ecs-cluster.ts';
import { normalizeService } from '../../providers/aws/normalize/ecs-service.ts';
import { sqliteBackend } from './support.ts';

const targets = ['jira'];
const account = '123456789012';
const clusterArn = `arn:aws:ecs:eu-west-1:${account}:cluster/shop`;
const cluster = { clusterArn, clusterName: 'shop', status: 'ACTIVE', settings: [{ name: 'containerInsights', value: 'disabled' }], configuration: {} };
const service = {
  serviceArn: `arn:aws:ecs:eu-west-1:${account}:service/shop/web`,
  serviceName: 'web',
  clusterArn,
  launchType: 'FARGATE',
  platformVersion: 'LATEST',
  enableExecuteCommand: false,
  networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], assignPublicIp: 'DISABLED' } },
};
const ctx = { collectedAt: '2026-06-01T00:00:00Z' };
const serviceAsset = normalizeService({ service, cluster }, ctx);
const clusterAsset = normalizeEcsCluster({ cluster, include: ['SETTINGS', 'CONFIGURATIONS', 'TAGS'], services: [{ serviceName: 'web', enableExecuteCommand: false }] }, ctx);

/** ECS-014 as the service-level rule reported it before the move. */
const legacy: Finding = {
  fingerprint: fingerprintOf(serviceAsset.id, 'ECS-014', 'cluster/settings/containerInsights'),
  ruleId: 'ECS-014',
  title: 'ECS clusters have Container Insights enabled',
  severity: 'medium',
  frameworks: { 'aws-fsbp': ['ECS.12'] },
  unverified: [],
  remediation: 'Turn it on',
  message: 'ECS cluster shop (service web) has Container Insights disabled',
  path: 'cluster/settings/containerInsights',
  evidence: 'disabled',
  evidenceHash: evidenceHashOf('disabled'),
  assetId: serviceAsset.id,
  assetKind: 'service',
  provider: 'aws',
  account,
  region: 'eu-west-1',
};

describe('a rule that moved from services to clusters', () => {
  const backend = sqliteBackend();
  let store: StateStore;
  let engine: Engine;
  const clock = new ManualClock();

  beforeAll(async () => {
    store = await backend.open();
    engine = await Engine.load({ config: parseConfig({}), now: new Date(ctx.collectedAt) });
    await recordScan(store, { asset: { id: serviceAsset.id, account, region: 'eu-west-1', tags: {} }, assetId: serviceAsset.id, scanId: 'before', contentHash: 'sha256:before', policyBundleDigest: 'old', findings: [legacy] }, { targets, clock });
    const created = await store.claimIntents({ targets, owner: 'drain', now: clock.now(), leaseMs: 30_000, limit: 10 });
    for (const i of created) await store.completeIntent(i, 'drain', 'SEC-7');
  });
  afterAll(async () => {
    await store.close();
    await backend.teardown();
  });

  it('resolves the service-level record and its ticket, and opens the finding once on the cluster', async () => {
    clock.advance(60_000);
    const scan = scanAssets(engine, [serviceAsset, clusterAsset]);
    expect(scan.findings.filter((f) => f.ruleId === 'ECS-014').map((f) => f.assetId)).toEqual([clusterAsset.id]);
    await recordScanResult(store, scan, 'new', { targets, clock });

    const [onService] = await store.listByAsset(serviceAsset.id).then((records) => records.filter((r) => r.ruleId === 'ECS-014'));
    expect(onService).toMatchObject({ fingerprint: legacy.fingerprint, status: 'resolved', tickets: { jira: 'SEC-7' } });
    const onCluster = (await store.listByAsset(clusterAsset.id)).filter((r) => r.ruleId === 'ECS-014');
    expect(onCluster).toEqual([expect.objectContaining({ status: 'open', assetId: clusterAsset.id })]);
    const intents = await store.claimIntents({ targets, owner: 'drain', now: clock.now(), leaseMs: 30_000, limit: 10 });
    const ecs014 = new Set([legacy.fingerprint, ...onCluster.map((r) => r.fingerprint)]);
    expect(intents.filter((i) => ecs014.has(i.fingerprint)).map((i) => `${i.action}:${i.fingerprint === legacy.fingerprint ? 'service' : 'cluster'}`).sort()).toEqual(['create:cluster', 'resolve:service']);
  });
});
