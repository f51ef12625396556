// After evaluation the CLI keeps each asset's raw API answer only as two digests. Whatever reads them (the
// finding state's content hash, the history's rawSha256) must see exactly what it computed from the full asset.
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, sha256 } from '../../core/canonical.ts';
import { contentHashOf } from '../../core/jobs.ts';
import { contentHashIn, rawDigestIn, releaseRaw } from '../../core/raw-digests.ts';
import type { ScanResult } from '../../core/scan.ts';
import { snapshotOf } from '../../core/snapshots.ts';
import { complianceOf } from '../../cli/compliance.ts';
import { sampleScan } from '../report/support.ts';

let full: ScanResult;
beforeAll(async () => {
  full = await sampleScan();
});

describe('releaseRaw', () => {
  it('empties every raw payload and keeps the content hash and raw digest the full asset gives', () => {
    const withRaw = full.assets.filter((a) => Object.keys(a.raw).length > 0);
    expect(withRaw.length).toBeGreaterThan(5);
    const released = releaseRaw(full, { content: true, raw: true });
    expect(released.assets).toHaveLength(full.assets.length);
    expect(released.assets.every((a) => Object.keys(a.raw).length === 0)).toBe(true);
    full.assets.forEach((asset, i) => {
      const slim = released.assets[i]!;
      expect(slim.id).toBe(asset.id);
      expect(contentHashIn(released, slim)).toBe(contentHashOf(asset));
      expect(rawDigestIn(released, slim)).toBe(sha256(canonicalJson(asset.raw)));
    });
    // A raw payload changes the content hash: the digest kept is not the hash of the emptied asset.
    const changed = withRaw[0]!;
    expect(contentHashIn(released, released.assets[full.assets.indexOf(changed)]!)).not.toBe(contentHashOf({ ...changed, raw: {} }));
    // The result it came from is left as it was.
    expect(full.assets.filter((a) => Object.keys(a.raw).length > 0)).toHaveLength(withRaw.length);
  });

  it('gives the history snapshot the same assets and digests as the full result', () => {
    const { result, extras } = complianceOf(full);
    const released = complianceOf(releaseRaw(full, { content: false, raw: true }));
    const extra = { policyVersion: 'test', suppressions: extras.suppressions };
    expect(snapshotOf(released.result, released.extras.scores, extra)).toEqual(snapshotOf(result, extras.scores, extra));
  });

  it('refuses to hand out a digest it was not asked to keep rather than hash the emptied asset', () => {
    const released = releaseRaw(full, { content: false, raw: false });
    const asset = released.assets[0]!;
    expect(() => contentHashIn(released, asset)).toThrow(/content hash of .* was not kept/);
    expect(() => rawDigestIn(released, asset)).toThrow(/raw digest of .* was not kept/);
  });
});
