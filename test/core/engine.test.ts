// The engine as a user relies on it: the real Wasm bundle, config-driven, deterministic.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { Engine } from '../../policies/engine.ts';
import { collectLocal } from '../../providers/local/collect.ts';

const now = new Date('2026-11-01T00:00:00Z');

async function analyticsCluster() {
  const { assets } = await collectLocal([path.resolve('samples/aws/eks-cluster-analytics.json')], { now });
  const asset = assets[0];
  if (!asset) throw new Error('sample missing');
  return asset;
}

describe('Engine', () => {
  it('returns typed findings joined with the rule metadata', async () => {
    const engine = await Engine.load({ config: parseConfig({}), now });
    const findings = engine.evaluate(await analyticsCluster());
    const residency = findings.find((f) => f.ruleId === 'DR-002');
    expect(residency).toMatchObject({
      title: expect.any(String),
      severity: 'high',
      frameworks: { gdpr: expect.arrayContaining(['Art. 44']) },
      remediation: expect.any(String),
      path: 'region',
      assetId: 'aws://444455556666/us-east-1/eks/cluster/analytics',
      evidence: { region: 'us-east-1', jurisdiction: 'US', class: 'personal' },
    });
    expect(residency?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives identical fingerprints from separately loaded engines', async () => {
    const asset = await analyticsCluster();
    const a = (await Engine.load({ config: parseConfig({}), now })).evaluate(asset);
    const b = (await Engine.load({ config: parseConfig({}), now: new Date() })).evaluate({ ...asset, collectedAt: new Date().toISOString() });
    expect(b.map((f) => f.fingerprint)).toEqual(a.map((f) => f.fingerprint));
  });

  it('reads residency classes from config as Rego data', async () => {
    const permissive = parseConfig({ residency: { allowed: { personal: ['*'] } } });
    const findings = (await Engine.load({ config: permissive, now })).evaluate(await analyticsCluster());
    expect(findings.some((f) => f.ruleId === 'DR-002')).toBe(false);
  });

  it('names the missing file when the bundle was not built', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'posture-nobundle-'));
    await expect(Engine.load({ config: parseConfig({}), dist: empty })).rejects.toThrow(/policy\.wasm is missing \(run `npm run build:policies`\)/);
  });
});
