// Security Hub batching against moto (through a proxy that enforces the 100-per-call limit and can
// fail chosen findings or whole calls): more than 100 findings go out in calls of at most 100, and
// each finding's own failure or success reaches its own outbox intent.
import { type AwsSecurityFinding, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordScan } from '../../core/lifecycle.ts';
import { ManualClock } from '../../core/state/clock.ts';
import type { StateStore } from '../../core/state/store.ts';
import { asffId } from '../../publishers/asff.ts';
import { PublishConfig } from '../../publishers/config.ts';
import { drainOutbox } from '../../publishers/drain.ts';
import { SecurityHubPublisher, securityHubLimits } from '../../publishers/securityhub.ts';
import { type MotoServer, startMoto } from '../standins/moto.ts';
import { type Backend, asset, finding, scan, sqliteBackend } from '../state/support.ts';
import { startSecurityHubProxy } from './support/securityhub-proxy.ts';

const backend: Backend = sqliteBackend();
let moto: MotoServer;
let proxy: Awaited<ReturnType<typeof startSecurityHubProxy>>;
let store: StateStore;
let clock: ManualClock;
beforeAll(async () => {
  moto = await startMoto();
  proxy = await startSecurityHubProxy(moto.endpoint);
});
afterAll(async () => {
  await proxy.close();
  await moto.stop();
  await backend.teardown();
});
beforeEach(async () => {
  store = await backend.open();
  clock = new ManualClock();
  await moto.reset();
  proxy.importCalls.length = 0;
  proxy.rejectIds.clear();
});
afterEach(() => store.close());

const config = PublishConfig.parse({ securityhub: { region: 'us-east-1', accountId: '123456789012' } }).securityhub!;
const drainOptions = () => ({ clock, backoff: { baseMs: 1_000, maxMs: 60_000 }, maxWaitMs: 3_600_000, random: () => 0.5 });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function allFindings(client: SecurityHubClient): Promise<AwsSecurityFinding[]> {
  const found: AwsSecurityFinding[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
    found.push(...(page.Findings ?? []));
    token = page.NextToken || undefined;
  } while (token);
  return found;
}

describe('Security Hub batches on moto', () => {
  it('imports 205 findings in calls of at most 100; rejected and oversized findings are parked alone, a failed call is retried', async () => {
    // No SDK-level retries: a failed call must surface to the outbox, which retries it.
    const publisher = new SecurityHubPublisher(config, { ...moto.clientConfig, endpoint: proxy.endpoint, maxAttempts: 1 });
    const client = new SecurityHubClient(moto.clientConfig);
    try {
      const list = Array.from({ length: 205 }, (_, i) => finding('EKS-001', `nodegroups/ng-${i}/public`));
      const rejected = [list[7]!, list[150]!];
      for (const f of rejected) proxy.rejectIds.add(asffId(f.fingerprint));
      const hugeId = `aws://123456789012/eu-west-1/eks/cluster/${'x'.repeat(securityHubLimits.bytesPerFinding)}`;
      const huge = finding('EKS-001', 'endpoint', { value: 'x' }, hugeId);
      await recordScan(store, scan(list), { targets: ['securityhub'], clock });
      await recordScan(store, scan([huge], { asset: { ...asset, id: hugeId }, assetId: hugeId }), { targets: ['securityhub'], clock });
      proxy.failNextCalls(1);

      const summary = await drainOutbox(store, [publisher], drainOptions());
      expect(summary).toMatchObject({ created: 203, parked: 3, outbox: { pending: 0, parked: 3 } });
      // The failed first call: every finding in it retried once (not parked), then all sent again.
      const [failedCall = 0, ...delivered] = proxy.importCalls;
      expect(summary.retried).toBe(failedCall);
      expect(failedCall).toBeGreaterThanOrEqual(99);
      expect(sum(delivered)).toBe(205);
      expect(delivered).toHaveLength(3);
      expect(Math.max(...proxy.importCalls)).toBeLessThanOrEqual(100);

      const parked = await store.listIntents({ state: 'parked' });
      const errorOf = (fp: string) => parked.find((i) => i.fingerprint === fp)?.lastError ?? '';
      for (const f of rejected) expect(errorOf(f.fingerprint)).toMatch(new RegExp(`securityhub rejected posture/${f.fingerprint}: InvalidInput .*at least one resource`));
      expect(errorOf(huge.fingerprint)).toMatch(/is \d+ bytes as ASFF, over the 245760 bytes Security Hub accepts/);
      // Parked at the first rejection (a second attempt only for those in the failed call), not retried to the limit.
      expect(parked.every((i) => i.attempts <= 2)).toBe(true);

      const imported = await allFindings(client);
      expect(imported).toHaveLength(203);
      expect(imported.every((f) => f.RecordState === 'ACTIVE')).toBe(true);
      expect((await store.getRecord(list[0]!.fingerprint))?.tickets.securityhub).toBe(asffId(list[0]!.fingerprint));
      expect((await store.getRecord(rejected[0]!.fingerprint))?.tickets.securityhub).toBeUndefined();

      // All fixed: the 203 imported ones are archived in three calls; the two never imported need nothing.
      proxy.importCalls.length = 0;
      await recordScan(store, scan([]), { targets: ['securityhub'], clock });
      expect(await drainOutbox(store, [publisher], drainOptions())).toMatchObject({ resolved: 203, unchanged: 2, parked: 0, outbox: { pending: 0, parked: 1 } });
      expect(proxy.importCalls).toHaveLength(3);
      expect(Math.max(...proxy.importCalls)).toBeLessThanOrEqual(100);
      expect(sum(proxy.importCalls)).toBe(203);
      const archived = await allFindings(client);
      expect(archived.every((f) => f.RecordState === 'ARCHIVED' && f.Compliance?.Status === 'PASSED')).toBe(true);
    } finally {
      publisher.close();
      client.destroy();
    }
  });

  it('keeps each call under 6 MB when findings are large', async () => {
    const publisher = new SecurityHubPublisher(config, { ...moto.clientConfig, endpoint: proxy.endpoint, maxAttempts: 1 });
    try {
      // ASFF findings of about 200 KB each (a long resource id): 40 of them are some 8 MB.
      const findings = Array.from({ length: 40 }, (_, i) => {
        const id = `aws://123456789012/eu-west-1/eks/cluster/c${i}-${'y'.repeat(200 * 1024)}`;
        return { id, finding: finding('EKS-001', 'endpoint', { value: i }, id) };
      });
      for (const { id, finding: f } of findings) await recordScan(store, scan([f], { asset: { ...asset, id }, assetId: id }), { targets: ['securityhub'], clock });
      expect(await drainOutbox(store, [publisher], drainOptions())).toMatchObject({ created: 40, parked: 0, outbox: { pending: 0, parked: 0 } });
      expect(proxy.importCalls.length).toBeGreaterThanOrEqual(2);
      expect(sum(proxy.importCalls)).toBe(40);
    } finally {
      publisher.close();
    }
  });
});
