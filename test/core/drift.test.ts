// `posture diff` shows the values the rules judged: the normalized fields, which the rules read, so a
// change shown there and a finding opened or closed agree. Across a rule merge (CLU rules replacing the
// per-cloud ones), a finding that continues an earlier one is neither opened nor closed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { complianceOf, policyVersion } from '../../cli/compliance.ts';
import { parseAsset, type Asset } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import { diffSnapshots, diffStreams, renderDriftText } from '../../core/drift.ts';
import { scanAssets } from '../../core/scan.ts';
import { snapshotOf, snapshotParts, SnapshotStore, type ScanSnapshot } from '../../core/snapshots.ts';
import { Engine } from '../../policies/engine.ts';
import { normalizeGkeCluster } from '../../providers/gcp/normalize-gke.ts';

const now = new Date('2026-11-01T00:00:00Z');
let engine: Engine;
beforeAll(async () => {
  engine = await Engine.load({ config: parseConfig({}), now });
});

const gke = (ipEndpointsConfig: Record<string, unknown>, name = 'shop') =>
  parseAsset(
    normalizeGkeCluster(
      {
        cluster: {
          name,
          selfLink: `https://container.googleapis.com/v1/projects/shop-prod/locations/europe-west1/clusters/${name}`,
          location: 'europe-west1',
          currentMasterVersion: '1.32.2-gke.1182003',
          // The deprecated field says private; the newer one decides.
          privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true },
          masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: [{ cidrBlock: '203.0.113.0/24' }] },
          controlPlaneEndpointsConfig: { ipEndpointsConfig },
          nodePools: [{ name: 'default-pool', version: '1.32.2-gke.1182003' }],
        },
      },
      { collectedAt: now.toISOString() },
    ),
  );

let seq = 0;
function snapshot(assets: Asset[], edit: (s: ScanSnapshot) => ScanSnapshot = (s) => s): ScanSnapshot {
  const { result, extras } = complianceOf(scanAssets(engine, assets));
  return edit({ ...snapshotOf(result, extras.scores, { policyVersion: policyVersion(), suppressions: {} }), v: 1, seq: ++seq });
}

describe('drift', () => {
  it('shows the endpoint value CLU-001 judged, in step with the finding it opened or closed', () => {
    const open = snapshot([gke({ enabled: true, enablePublicEndpoint: true })]);
    const dnsOnly = snapshot([gke({ enabled: false })]);
    const drift = diffSnapshots(open, dnsOnly);
    const [asset] = drift.assets;
    expect(asset!.changes).toContainEqual({ path: 'cluster/endpoint/public', before: true, after: false });
    expect(asset!.closed).toEqual([expect.objectContaining({ ruleId: 'CLU-001', path: 'endpoint/public', evidence: { public: true, private: true } })]);
    expect(asset!.opened).toEqual([]);
    expect(renderDriftText(drift)).toContain('- closed CLU-001 [high] Kubernetes API server has no public endpoint (endpoint/public: was {"private":true,"public":true})');
    // Back again: the same value shown, the same finding opened.
    const reopened = diffSnapshots(dnsOnly, snapshot([gke({ enabled: true, enablePublicEndpoint: true })]));
    expect(reopened.assets[0]!.changes).toContainEqual({ path: 'cluster/endpoint/public', before: false, after: true });
    expect(reopened.assets[0]!.opened.map((f) => f.ruleId)).toEqual(['CLU-001']);
  });

  it('reads a merged rule as the continuation of the per-cloud rule it replaced, and closes what it judged fixed', () => {
    const asset = gke({ enabled: true, enablePublicEndpoint: true });
    // The scan before the upgrade, as the per-cloud rules recorded it: each CLU finding under its earlier
    // id and fingerprint (what the engine derives from METADATA aliases; test/state/merged-rules shows the
    // real per-cloud rules produce exactly these).
    const legacy = snapshot([asset], (s) => ({
      ...s,
      policy: { ...s.policy, rules: s.policy.rules.filter((r) => !r.startsWith('CLU-')).concat(['GKE-001', 'GKE-002', 'GKE-003']), aliases: {} },
      findings: s.findings.map((f) => (f.ruleId.startsWith('CLU-') ? { ...f, ruleId: f.aliases![0]!, fingerprint: f.previousFingerprints![0]!, aliases: undefined, previousFingerprints: undefined } : f)),
    }));
    expect(legacy.findings.map((f) => f.ruleId)).toContain('GKE-002');
    const unchanged = diffSnapshots(legacy, snapshot([asset]));
    expect(unchanged.totals).toMatchObject({ opened: 0, closed: 0 });
    const fixed = diffSnapshots(legacy, snapshot([gke({ enabled: true, enablePublicEndpoint: false })]));
    expect(fixed.assets[0]!.closed.map((f) => f.ruleId)).toEqual(['GKE-002']);
    expect(fixed.assets[0]!.opened).toEqual([]);
  });

  it('diffs two recorded snapshots a record at a time; "notable" keeps the assets with something to say, totals count all', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'posture-drift-store-'));
    try {
      const store = new SnapshotStore(dir);
      const record = (assets: Asset[]) => {
        const { result, extras } = complianceOf(scanAssets(engine, assets));
        return store.append(snapshotParts(result, extras.scores, { policyVersion: policyVersion(), suppressions: {} }));
      };
      const quiet = gke({ enabled: false }, 'quiet');
      const first = record([gke({ enabled: true, enablePublicEndpoint: true }), quiet]);
      const second = record([quiet, gke({ enabled: false })]);
      const drift = diffStreams(store.open(first), store.open(second), 'notable');
      expect(drift.from).toMatchObject({ seq: 1 });
      expect(drift.to).toMatchObject({ seq: 2 });
      expect(drift.assets.map((a) => [a.assetId.split('/').at(-1), a.status])).toEqual([['shop', 'changed']]);
      expect(drift.assets[0]!.changes).toContainEqual({ path: 'cluster/endpoint/public', before: true, after: false });
      expect(drift.assets[0]!.closed.map((f) => f.ruleId)).toEqual(['CLU-001']);
      expect(drift.totals).toEqual({ added: 0, removed: 0, changed: 1, unchanged: 1, opened: 0, closed: 1 });
      // Every asset, in id order, when all are asked for.
      const all = diffStreams(store.open(first), store.open(second));
      expect(all.assets.map((a) => [a.assetId.split('/').at(-1), a.status])).toEqual([['quiet', 'unchanged'], ['shop', 'changed']]);
      expect(all.totals).toEqual(drift.totals);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
